/**
 * Identity login, the realm side of E3DB's TozID password login, served by Arca itself:
 *
 * 1. `GET /v1/identity/info/realm/{realm}` (no auth) → `{name, domain, broker_id}`.
 * 2. `POST /v1/identity/login` (TSV1 with the password-derived signing key, PKCE S256
 *    challenge) → `{type: "continue", action_url}`. The TSV1 key is the proof of the password:
 *    it must be the identity's registered derived key. A wrong password, an unknown user and an
 *    unknown realm all get the same 401 body after the same work. Failures are rate-limited
 *    per (realm, username, client address) in the store (`store.loginFailures`, `_client_address.ts`): 429
 *    with `Retry-After`.
 * 3. `POST {action_url}` (TSV1, form `public_key` + `public_signing_key`) → `{type: "fetch",
 *    context}`.
 * 4. `POST /v1/identity/tozid/redirect` (TSV1, the context and the PKCE verifier) → tokens. The
 *    login session is consumed whatever the outcome.
 * 5. `POST /v1/identity/tozid/refresh` (`{refresh_token}`) → a new token pair; each refresh
 *    token works once.
 *
 * The access token, sent as `X-TOZID-LOGIN-TOKEN`, satisfies the TozID EACP of the identity's
 * credential note (see `notes.ts`).
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { isPkceVerifier, pkceChallenge } from "../../crypto/pkce.ts";
import { constantTimeEqual, hashSecret, randomSecret } from "../../crypto/secrets.ts";
import { randomUuid } from "../../crypto/uuid.ts";
import {
  type IdentityTokensJson,
  type LoginActionJson,
  loginContinueSchema,
  loginRedirectSchema,
  loginRequestSchema,
  type RealmInfoJson,
  tokenRefreshSchema,
} from "../../protocol/identity.ts";
import { isUuid } from "../../protocol/ids.ts";
import { formatTimestamp } from "../../protocol/timestamps.ts";
import type { IdentityRow, LoginSessionRow, RealmRow } from "../../store/identity.ts";
import type { Store } from "../../store/store.ts";
import type { Deps, Tsv1Env } from "../env.ts";
import { publicBaseUrl } from "../_public_url.ts";
import { addressReader } from "../_client_address.ts";
import { HttpError } from "../_http_error.ts";
import { DEFAULT_LOGIN_FAILURE_RULE } from "../../store/login_failures.ts";
import { formatZodError, readJson } from "../_read_json.ts";
import { callerHoldsKey } from "../_tsv1_auth.ts";

/** Lifetime of an identity access token, in seconds (15 minutes). */
export const IDENTITY_ACCESS_TOKEN_SECONDS = 15 * 60;
/** Lifetime of an identity refresh token, in seconds (8 hours). */
export const IDENTITY_REFRESH_TOKEN_SECONDS = 8 * 60 * 60;
/** Lifetime of a login session between the login steps, in seconds. */
export const LOGIN_SESSION_SECONDS = 10 * 60;

const BAD_LOGIN = "Invalid username or password";
const BAD_SESSION = "Login session is invalid or expired";
const SECOND = 1_000_000;

/**
 * The identity login routes. Steps 2–4 must be mounted behind the TSV1 middleware
 * (`/v1/identity/login`, `/v1/identity/login/*`, `/v1/identity/tozid/redirect`).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", identityRoutes(deps));
 * ```
 */
export function identityRoutes(deps: Deps): Hono<Tsv1Env> {
  const routes = new Hono<Tsv1Env>();
  // Failures are counted in the store, so every server instance of it meets the same limit.
  const throttle = deps.store.loginFailures;
  const rule = DEFAULT_LOGIN_FAILURE_RULE;
  const addressOf = addressReader(deps.settings.trustedProxies);

  routes.get("/v1/identity/info/realm/:realm", async (c) => {
    const realm = await deps.store.identity.getRealm(c.req.param("realm").toLowerCase());
    if (realm === undefined) throw new HttpError(404, "Realm not found");
    return c.json(realmInfoJson(realm), 200);
  });

  routes.post("/v1/identity/login", async (c) => {
    const caller = c.get("tsv1");
    const body = await readJson(c, loginRequestSchema);
    const now = deps.clock();
    const domain = body.realm_name.toLowerCase();
    const key = `${domain}\n${body.username.toLowerCase()}\n${addressOf(c)}`;
    const wait = await throttle.retryAfter(key, Math.floor(now / SECOND), rule);
    if (wait > 0) {
      c.header("Retry-After", String(wait));
      throw new HttpError(429, "Too many failed logins; try again later");
    }
    const identity = await findIdentity(deps.store, domain, body.username);
    // The same decode-and-compare runs whether or not the user exists.
    const holds = callerHoldsKey(
      caller,
      caller.suite.name,
      identity?.signingKey ?? caller.publicKeyText,
    );
    if (identity === undefined || !holds) {
      await throttle.fail(key, Math.floor(now / SECOND), rule);
      throw new HttpError(401, BAD_LOGIN);
    }
    await throttle.succeed(key);
    const session: LoginSessionRow = {
      sessionId: randomUuid(),
      identityId: identity.identityId,
      appName: body.app_name,
      codeChallenge: body.code_challenge,
      stage: "continue",
      sessionCodeHash: null,
      execution: randomUuid(),
      tabId: randomSecret(16),
      expires: now + LOGIN_SESSION_SECONDS * SECOND,
    };
    await deps.store.identity.deleteExpired(now);
    await deps.store.identity.createLoginSession(session);
    const answer: LoginActionJson = {
      login_action: true,
      type: "continue",
      action_url: `${publicBaseUrl(deps, c)}/v1/identity/login/continue/${session.sessionId}`,
      content_type: "application/x-www-form-urlencoded",
      fields: {},
      context: {},
    };
    return c.json(answer, 200);
  });

  routes.post("/v1/identity/login/continue/:sessionId", async (c) => {
    const caller = c.get("tsv1");
    const form = await readForm(c);
    const now = deps.clock();
    const sessionId = c.req.param("sessionId");
    const session = isUuid(sessionId)
      ? await deps.store.identity.getLoginSession(sessionId)
      : undefined;
    const identity = session && await deps.store.identity.getById(session.identityId);
    const valid = session !== undefined && identity !== undefined &&
      session.stage === "continue" && session.expires > now &&
      callerHoldsKey(caller, caller.suite.name, identity.signingKey) &&
      callerHoldsKey(caller, caller.suite.name, form.public_signing_key) &&
      form.public_key === identity.encryptionKey;
    const sessionCode = randomSecret(32);
    if (
      !valid ||
      !(await deps.store.identity.advanceLoginSession(
        sessionId,
        await hashSecret(sessionCode),
        now,
      ))
    ) {
      throw new HttpError(401, BAD_SESSION);
    }
    const answer: LoginActionJson = {
      login_action: true,
      type: "fetch",
      action_url: `${publicBaseUrl(deps, c)}/v1/identity/tozid/redirect`,
      content_type: "application/json",
      fields: {},
      context: {
        execution: session.execution,
        tab_id: session.tabId,
        session_code: sessionCode,
        auth_session_id: session.sessionId,
        client_id: session.appName,
      },
    };
    return c.json(answer, 200);
  });

  routes.post("/v1/identity/tozid/redirect", async (c) => {
    const caller = c.get("tsv1");
    const body = await readJson(c, loginRedirectSchema);
    const now = deps.clock();
    const challenge = isPkceVerifier(body.code_verifier)
      ? await pkceChallenge(body.code_verifier)
      : undefined;
    const codeHash = await hashSecret(body.session_code);
    const identity = await deps.store.transaction(async (tx) => {
      const session = isUuid(body.auth_session_id)
        ? await tx.identity.getLoginSession(body.auth_session_id)
        : undefined;
      if (session === undefined) return undefined;
      // Consumed whatever the outcome: one try per session.
      await tx.identity.deleteLoginSession(session.sessionId);
      const found = await tx.identity.getById(session.identityId);
      const valid = found !== undefined && session.stage === "fetch" && session.expires > now &&
        found.realmDomain === body.realm_name.toLowerCase() &&
        callerHoldsKey(caller, caller.suite.name, found.signingKey) &&
        session.sessionCodeHash !== null && constantTimeEqual(codeHash, session.sessionCodeHash) &&
        body.execution === session.execution && body.tab_id === session.tabId &&
        body.client_id === session.appName && challenge !== undefined &&
        constantTimeEqual(challenge, session.codeChallenge);
      return valid ? found : undefined;
    });
    if (identity === undefined) throw new HttpError(401, BAD_SESSION);
    c.header("Cache-Control", "no-store");
    return c.json(await issueTokens(deps, identity.identityId, now), 200);
  });

  routes.post("/v1/identity/tozid/refresh", async (c) => {
    const body = await readJson(c, tokenRefreshSchema);
    const now = deps.clock();
    const tokenHash = await hashSecret(body.refresh_token);
    const identityId = await deps.store.transaction(async (tx) => {
      const token = await tx.identity.findToken(tokenHash);
      if (token === undefined || token.kind !== "refresh") return undefined;
      await tx.identity.deleteToken(tokenHash);
      return token.expires > now ? token.identityId : undefined;
    });
    if (identityId === undefined) throw new HttpError(401, "Refresh token is invalid or expired");
    c.header("Cache-Control", "no-store");
    return c.json(await issueTokens(deps, identityId, now), 200);
  });

  return routes;
}

async function findIdentity(
  store: Store,
  domain: string,
  username: string,
): Promise<IdentityRow | undefined> {
  const realm = await store.identity.getRealm(domain);
  return await store.identity.get(realm?.domain ?? domain, username.toLowerCase());
}

async function issueTokens(
  deps: Deps,
  identityId: string,
  now: number,
): Promise<IdentityTokensJson> {
  const accessToken = randomSecret(32);
  const refreshToken = randomSecret(32);
  const expiry = now + IDENTITY_ACCESS_TOKEN_SECONDS * SECOND;
  const refreshExpiry = now + IDENTITY_REFRESH_TOKEN_SECONDS * SECOND;
  await deps.store.transaction(async (tx) => {
    await tx.identity.createToken({
      tokenHash: await hashSecret(accessToken),
      kind: "access",
      identityId,
      expires: expiry,
    });
    await tx.identity.createToken({
      tokenHash: await hashSecret(refreshToken),
      kind: "refresh",
      identityId,
      expires: refreshExpiry,
    });
  });
  return {
    access_token: accessToken,
    token_type: "Bearer",
    refresh_token: refreshToken,
    expiry: formatTimestamp(expiry),
    refresh_expiry: formatTimestamp(refreshExpiry),
    expires_in: IDENTITY_ACCESS_TOKEN_SECONDS,
  };
}

/**
 * The realm info JSON.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: runs in a route handler (`c`, `deps`, stored rows).
 * return c.json(realmInfoJson(realm));
 * ```
 */
export function realmInfoJson(realm: RealmRow): RealmInfoJson {
  return { name: realm.name, domain: realm.domain, broker_id: realm.brokerId };
}

/** The continue step's body: a form (as E3DB sends it) or, leniently, JSON. */
async function readForm(
  c: Context<Tsv1Env>,
): Promise<{ public_key: string; public_signing_key: string }> {
  const type = c.req.header("content-type") ?? "";
  if (type.includes("json")) return await readJson(c, loginContinueSchema);
  const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
  const parsed = loginContinueSchema.safeParse(form);
  if (!parsed.success) throw new HttpError(400, formatZodError(parsed.error));
  return parsed.data;
}
