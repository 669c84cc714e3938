/**
 * `POST /v1/auth/token`: OAuth2 client credentials. HTTP Basic with the API key pair (or the
 * `client_id`/`client_secret` form fallback); the body's Content-Type is irrelevant.
 *
 * @module
 */
import { Hono } from "hono";
import { hashSecret, randomSecret, verifySecret } from "../../crypto/secrets.ts";
import type { TokenResponse } from "../../protocol/responses.ts";
import { formatTimestamp } from "../../protocol/timestamps.ts";
import { CLIENT_DISABLED, readApiCredentials } from "../_auth.ts";
import type { AppEnv, Deps } from "../env.ts";
import { HttpError } from "../_http_error.ts";
import { BEARER_TOKEN_SECONDS } from "../settings.ts";

/**
 * The token route.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", authTokenRoutes(deps));
 * ```
 */
export function authTokenRoutes(deps: Deps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post("/v1/auth/token", async (c) => {
    const credentials = await readApiCredentials(c);
    if (credentials === undefined) {
      throw new HttpError(401, "Send the API key pair as HTTP Basic credentials");
    }
    const client = await deps.store.clients.findByApiKeyId(credentials.apiKeyId);
    // Hash even for an unknown key id so both failures take about as long.
    const secretMatches = await verifySecret(credentials.apiSecret, client?.apiSecretHash ?? "");
    if (client === undefined || !secretMatches) {
      throw new HttpError(401, "Unauthorized: check your API key pair");
    }
    if (client.disabled === true) throw new HttpError(401, CLIENT_DISABLED);
    const token = randomSecret(32);
    const now = deps.clock();
    const expires = now + BEARER_TOKEN_SECONDS * 1_000_000;
    await deps.store.bearerTokens.deleteExpired(now);
    await deps.store.bearerTokens.create({
      tokenHash: await hashSecret(token),
      clientId: client.clientId,
      expires,
    });
    const body: TokenResponse = {
      access_token: token,
      token_type: "Bearer",
      expires_in: BEARER_TOKEN_SECONDS,
      expires_at: formatTimestamp(expires),
    };
    c.header("Cache-Control", "no-store");
    return c.json(body, 200);
  });
  return routes;
}
