/**
 * `POST /v1/account/e3db/clients/register`: a registration token buys a client id and an API
 * key pair. Answers 201 with the header `X-Backup-Client` (Python reads it unconditionally).
 *
 * @module
 */
import { Hono } from "hono";
import { hashSecret, randomHexSecret } from "../../crypto/secrets.ts";
import { randomUuid } from "../../crypto/uuid.ts";
import { keyToJson } from "../../protocol/keys.ts";
import type { RegistrationResponse } from "../../protocol/responses.ts";
import { registrationRequestSchema } from "../../protocol/schemas.ts";
import type { ClientRow } from "../../store/clients.ts";
import type { AppEnv, Deps } from "../env.ts";
import { HttpError } from "../_http_error.ts";
import { readJson } from "../_read_json.ts";

/**
 * The registration route.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", registrationRoutes(deps));
 * ```
 */
export function registrationRoutes(deps: Deps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post("/v1/account/e3db/clients/register", async (c) => {
    const body = await readJson(c, registrationRequestSchema);
    const tokenHash = await hashSecret(body.token);
    const clientId = randomUuid();
    const apiKeyId = randomHexSecret(32);
    const apiSecret = randomHexSecret(32);
    const apiSecretHash = await hashSecret(apiSecret);
    const signingKey = body.client.signing_key;
    const client = await deps.store.transaction(async (tx): Promise<ClientRow> => {
      const token = await tx.registrationTokens.findByHash(tokenHash);
      if (token === undefined || !(await tx.registrationTokens.use(token.tokenId))) {
        throw new HttpError(401, "Registration token is not valid");
      }
      const row: ClientRow = {
        clientId,
        accountId: token.accountId,
        name: body.client.name,
        publicKeyType: body.client.public_key.type,
        publicKey: body.client.public_key.value,
        signingKeyType: signingKey?.type ?? null,
        signingKey: signingKey?.value ?? null,
        apiKeyId,
        apiSecretHash,
        backupClientId: clientId,
        backedUp: null,
        created: deps.clock(),
      };
      await tx.clients.create(row);
      return row;
    });
    const response: RegistrationResponse = {
      client_id: client.clientId,
      api_key_id: apiKeyId,
      api_secret: apiSecret,
      public_key: keyToJson(body.client.public_key),
      signing_key: signingKey === null ? null : keyToJson(signingKey),
      name: client.name,
    };
    c.header("X-Backup-Client", client.backupClientId);
    c.header("Cache-Control", "no-store");
    return c.json(response, 201);
  });
  return routes;
}
