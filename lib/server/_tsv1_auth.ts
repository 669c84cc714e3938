/**
 * TSV1 request authentication (`Authorization: TSV1-ED25519-BLAKE2B; …`), used by notes and
 * identity login. Every request must carry a signature that verifies with the key in its header,
 * a timestamp within ±{@linkcode TSV1_DEFAULT_WINDOW_SECONDS} of the server clock, and a nonce
 * not seen before in that window. A non-empty `uid:` must name a registered client whose
 * signing key is the header key; an empty one is an anonymous caller, known only by its key.
 * Every failure is a 401.
 *
 * The replay cache is shared out so that no caller can fill it for the others: each signing key
 * may hold at most `tsv1NoncesPerKey` live nonces, the anonymous callers of one address at most
 * `tsv1AnonymousNoncesPerAddress`, and anonymous callers together at most half of the cache, so
 * registered clients always find room. A spent budget is a 429 with `Retry-After`.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { ArcaError } from "../errors.ts";
import { equalBytes } from "../crypto/bytes.ts";
import { encodeBase64Url } from "../crypto/encoding.ts";
import { getSuite } from "../crypto/suites.ts";
import type { CryptoSuite, SuiteName } from "../crypto/suite.ts";
import {
  TSV1_DEFAULT_WINDOW_SECONDS,
  type Tsv1Suites,
  type Tsv1Verified,
  verifyRequest,
} from "../crypto/tsv1.ts";
import { isUuid } from "../protocol/ids.ts";
import { CLIENT_DISABLED } from "./_auth.ts";
import type { Deps, Tsv1Env } from "./env.ts";
import { HttpError } from "./_http_error.ts";
import { addressReader } from "./_client_address.ts";
import type { NonceBudget } from "../store/replay_nonces.ts";
import {
  DEFAULT_TSV1_ANONYMOUS_NONCES_PER_ADDRESS,
  DEFAULT_TSV1_NONCES_PER_KEY,
  TSV1_ANONYMOUS_NONCES,
} from "./settings.ts";

/** Who signed a TSV1 request (set on the context as `tsv1`). */
export interface Tsv1Caller {
  /** The suite of the scheme the request was signed with. */
  suite: CryptoSuite;
  /** The signing public key from the header. */
  publicKey: Uint8Array;
  /** The signing public key text exactly as in the header. */
  publicKeyText: string;
  /** The registered client named by `uid:`, or `null` for an anonymous caller. */
  clientId: string | null;
}

/** Options of {@linkcode requireTsv1}. */
export interface Tsv1AuthOptions {
  /** Accepted clock difference either way, in seconds (default 300). */
  windowSeconds?: number;
}

/**
 * The TSV1 middleware. Used nonces are remembered in the store (`store.replayNonces`), so a
 * request accepted by one server instance is refused as a replay by every other.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * const tsv1 = requireTsv1(deps);
 * app.use("/v2/storage/notes", tsv1);
 * app.use("/v2/storage/notes/*", tsv1);
 * ```
 */
export function requireTsv1(deps: Deps, options: Tsv1AuthOptions = {}): MiddlewareHandler<Tsv1Env> {
  const windowSeconds = options.windowSeconds ?? TSV1_DEFAULT_WINDOW_SECONDS;
  if (!Number.isSafeInteger(windowSeconds) || windowSeconds < 1) {
    throw new RangeError(`TSV1 window must be a positive integer, got ${windowSeconds}`);
  }
  const nonces = deps.store.replayNonces;
  const addressOf = addressReader(deps.settings.trustedProxies);
  const perKey = deps.settings.tsv1NoncesPerKey ?? DEFAULT_TSV1_NONCES_PER_KEY;
  const perAddress = deps.settings.tsv1AnonymousNoncesPerAddress ??
    DEFAULT_TSV1_ANONYMOUS_NONCES_PER_ADDRESS;
  const anonymousShare = { key: "anonymous", limit: TSV1_ANONYMOUS_NONCES };
  let suites: Promise<Tsv1Suites> | undefined;
  return async (c, next) => {
    const authorization = c.req.header("authorization");
    if (authorization === undefined || !authorization.startsWith("TSV1-")) {
      throw new HttpError(401, "This route needs a TSV1 Authorization header");
    }
    suites ??= loadSuites();
    const nowMicros = deps.clock();
    const url = new URL(c.req.url);
    const verified = await verifyOr401(await suites, {
      authorization,
      method: c.req.method,
      rawPath: url.pathname,
      rawQuery: url.search.slice(1),
      now: new Date(Math.floor(nowMicros / 1000)),
      windowSeconds,
    });
    // The client is checked first, so a caller claiming a `uid:` is never counted as registered.
    const suite = (await suites)[verified.suite]!;
    if (verified.clientId !== null) await requireClientKey(deps, verified, suite);
    const nowSeconds = Math.floor(nowMicros / 1_000_000);
    // Keyed by the key's bytes: another spelling of the same key is the same budget.
    const keyId = `key:${verified.suite}:${encodeBase64Url(verified.publicKey)}`;
    const budgets: NonceBudget[] = [{ key: keyId, limit: perKey }];
    if (verified.clientId === null) {
      budgets.push({ key: `address:${addressOf(c)}`, limit: perAddress }, anonymousShare);
    }
    const outcome = await nonces.remember(
      verified.nonce,
      verified.timestamp + windowSeconds + 1,
      nowSeconds,
      budgets,
    );
    if (outcome === "replayed") throw new HttpError(401, "TSV1 nonce was already used");
    if (outcome === "full") {
      c.header("Retry-After", "1");
      throw new HttpError(503, "Too many signed requests to track; retry shortly");
    }
    if (typeof outcome === "object") {
      c.header("Retry-After", String(windowSeconds));
      throw new HttpError(429, budgetMessage(outcome, budgets));
    }
    c.set("tsv1", {
      suite,
      publicKey: verified.publicKey,
      publicKeyText: verified.publicKeyText,
      clientId: verified.clientId === null ? null : verified.clientId.toLowerCase(),
    });
    await next();
  };
}

function budgetMessage(spent: NonceBudget, budgets: readonly NonceBudget[]): string {
  const whose = spent === budgets[0]
    ? "this signing key"
    : spent === budgets[1]
    ? "anonymous callers from this address"
    : "anonymous callers";
  return `Too many signed requests from ${whose} (${spent.limit} within the TSV1 window); ` +
    "retry later";
}

async function loadSuites(): Promise<Tsv1Suites> {
  const [sodium, nist] = await Promise.all([getSuite("Sodium"), getSuite("NIST")]);
  return { Sodium: sodium, NIST: nist };
}

async function verifyOr401(
  suites: Tsv1Suites,
  input: Parameters<typeof verifyRequest>[1],
): Promise<Tsv1Verified> {
  try {
    return await verifyRequest(suites, input);
  } catch (error) {
    if (error instanceof ArcaError) {
      throw new HttpError(401, `TSV1 authentication failed: ${error.message}`);
    }
    throw error;
  }
}

const SIGNING_KEY_TYPE: Record<SuiteName, string> = { Sodium: "ed25519", NIST: "p384" };

async function requireClientKey(
  deps: Deps,
  verified: Tsv1Verified,
  suite: CryptoSuite,
): Promise<void> {
  const clientId = verified.clientId!;
  const client = isUuid(clientId)
    ? await deps.store.clients.get(clientId.toLowerCase())
    : undefined;
  const registered = client?.signingKeyType === SIGNING_KEY_TYPE[verified.suite] &&
      client.signingKey !== null
    ? decodeOrUndefined(suite, client.signingKey)
    : undefined;
  if (registered === undefined || !equalBytes(registered, verified.publicKey)) {
    throw new HttpError(401, `TSV1 key is not the registered signing key of client "${clientId}"`);
  }
  if (client?.disabled === true) throw new HttpError(401, CLIENT_DISABLED);
}

/**
 * Decodes a public key text with a suite; `undefined` when it is not a valid key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeOrUndefined } from "./_tsv1_auth.ts";
 * import { sodiumSuite } from "../crypto/sodium.ts";
 * const suite = await sodiumSuite();
 * assert.equal(decodeOrUndefined(suite, "not a key"), undefined);
 * ```
 */
export function decodeOrUndefined(suite: CryptoSuite, text: string): Uint8Array | undefined {
  try {
    return suite.decodePublicKey(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether the TSV1 caller holds the public key `text` of suite `mode`: same suite and same key
 * bytes.
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: runs in a route handler (`c`, `deps`, stored rows).
 * if (!callerHoldsKey(caller, note.mode, note.recipientSigningKey)) throw notFound();
 * ```
 */
export function callerHoldsKey(caller: Tsv1Caller, mode: SuiteName, text: string): boolean {
  if (caller.suite.name !== mode) return false;
  const key = decodeOrUndefined(caller.suite, text);
  return key !== undefined && equalBytes(key, caller.publicKey);
}
