/**
 * Authentication middleware: bearer tokens (every storage route), optional bearer (credential
 * backup), the admin token (admin API), and HTTP Basic parsing for `/v1/auth/token`.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { decodeBase64, fromUtf8 } from "../crypto/encoding.ts";
import { constantTimeEqual, hashSecret } from "../crypto/secrets.ts";
import type { ApiCredentials } from "../protocol/credentials.ts";
import { findLiveBearer } from "./_bearer_cache.ts";
import type { AppEnv, BearerEnv, Deps, OptionalBearerEnv } from "./env.ts";
import { HttpError } from "./_http_error.ts";

/** The error every authenticated request of a disabled client gets (401). */
export const CLIENT_DISABLED = "Client is disabled";

const BEARER_PATTERN = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;
const BASIC_PATTERN = /^Basic[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Requires `Authorization: Bearer <token>` naming a live token; sets `clientId`.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.use("/v1/storage/*", requireBearer(deps));
 * ```
 */
export function requireBearer(deps: Deps): MiddlewareHandler<BearerEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (header === undefined) throw new HttpError(401, "Missing bearer token");
    c.set("clientId", await authenticateBearer(deps, header));
    await next();
  };
}

/**
 * Like {@linkcode requireBearer}, but lets requests without an `Authorization` header through
 * (with `clientId` set to `undefined`). A header that is present must still be valid.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.use("/v1/account/backup/*", optionalBearer(deps));
 * ```
 */
export function optionalBearer(deps: Deps): MiddlewareHandler<OptionalBearerEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    c.set("clientId", header === undefined ? undefined : await authenticateBearer(deps, header));
    await next();
  };
}

async function authenticateBearer(deps: Deps, header: string): Promise<string> {
  const match = BEARER_PATTERN.exec(header);
  if (!match) throw new HttpError(401, "Authorization must be a bearer token");
  const found = await findLiveBearer(deps.store, await hashSecret(match[1]!), deps.clock());
  if (found.status === "disabled") throw new HttpError(401, CLIENT_DISABLED);
  if (found.status === "unknown") throw new HttpError(401, "Bearer token is invalid or expired");
  return found.row.clientId;
}

/** The error of the admin API (and `/metrics`) on a server without an admin token (404). */
export const ADMIN_DISABLED =
  "The admin API is disabled on this server: start it with ARCA_ADMIN_TOKEN set to enable it";

/**
 * Guards the admin API and `/metrics`: 404 {@linkcode ADMIN_DISABLED} when no admin token is
 * configured, 401 unless the request carries
 * `Authorization: Bearer <admin token>` (compared in constant time).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.use("/v1/arca/admin/*", requireAdmin(deps));
 * ```
 */
export function requireAdmin(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = await adminTokenHash(deps);
    if (expected === undefined) throw new HttpError(404, ADMIN_DISABLED);
    const match = BEARER_PATTERN.exec(c.req.header("authorization") ?? "");
    const given = await hashSecret(match?.[1] ?? "");
    if (!match || !constantTimeEqual(given, expected)) {
      throw new HttpError(401, "Admin token is missing or wrong");
    }
    await next();
  };
}

/** The digest the admin token is compared with, or `undefined` when the admin API is off. */
async function adminTokenHash(deps: Deps): Promise<string | undefined> {
  const { adminToken, adminTokenHash } = deps.settings;
  if (adminToken !== undefined && adminToken !== "") return await hashSecret(adminToken);
  return adminTokenHash === "" ? undefined : adminTokenHash;
}

/**
 * Reads API credentials from `Authorization: Basic` or, failing that, from `client_id` and
 * `client_secret` form fields in the body (the OAuth2 fallback Go clients use). The body is
 * parsed as a form whatever its Content-Type. Returns `undefined` when neither is present.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { readApiCredentials } from "./_auth.ts";
 * const app = new Hono();
 * app.post("/token", async (c) => c.json(await readApiCredentials(c) ?? null));
 * const basic = await app.request("/token", {
 *   method: "POST",
 *   headers: { authorization: `Basic ${btoa("key-id:secret")}` },
 * });
 * assert.deepEqual(await basic.json(), { apiKeyId: "key-id", apiSecret: "secret" });
 * const body = "client_id=key-id&client_secret=secret";
 * const form = await app.request("/token", { method: "POST", body });
 * assert.deepEqual(await form.json(), { apiKeyId: "key-id", apiSecret: "secret" });
 * ```
 */
export async function readApiCredentials(c: Context): Promise<ApiCredentials | undefined> {
  const header = c.req.header("authorization");
  if (header !== undefined) return parseBasic(header);
  const form = new URLSearchParams(await c.req.text());
  const apiKeyId = form.get("client_id");
  const apiSecret = form.get("client_secret");
  if (apiKeyId === null || apiSecret === null) return undefined;
  return { apiKeyId, apiSecret };
}

/**
 * Parses an HTTP Basic `Authorization` header; a malformed one is a 401.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBasic } from "./_auth.ts";
 * assert.deepEqual(parseBasic("Basic " + btoa("id:secret")), { apiKeyId: "id", apiSecret: "secret" });
 * ```
 */
export function parseBasic(header: string): ApiCredentials {
  const match = BASIC_PATTERN.exec(header);
  if (!match) throw new HttpError(401, "Authorization must be HTTP Basic with the API key pair");
  let text: string;
  try {
    text = fromUtf8(decodeBase64(match[1]!, "Basic credentials"));
  } catch {
    throw new HttpError(401, "Basic credentials are not valid base64");
  }
  const colon = text.indexOf(":");
  if (colon < 1) throw new HttpError(401, "Basic credentials must be api_key_id:api_secret");
  return { apiKeyId: text.slice(0, colon), apiSecret: text.slice(colon + 1) };
}
