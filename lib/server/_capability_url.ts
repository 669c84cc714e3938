/**
 * Capability tokens for the file URLs the server hands out. E3DB clients PUT and GET those URLs
 * with no `Authorization` header, so the URL itself carries the permission:
 *
 * ```
 * v1.{up|down}.{file id}.{client id}.{expires, µs}.{token id}.{HMAC-SHA-256, b64url}
 * ```
 *
 * The MAC (under a server key) covers everything before it, so nobody can change the file, the
 * client it names or the expiry. The token id is random; the routes record it when the token is
 * used, which makes every token single-use. The client id is checked again at use time (a
 * download re-checks that the client may still read the record).
 *
 * @module
 */
import { randomBytes, requireMinBytes } from "../crypto/bytes.ts";
import { decodeBase64Url, encodeBase64Url, utf8 } from "../crypto/encoding.ts";
import { hmacSha256, MIN_HMAC_KEY_BYTES, verifyHmacSha256 } from "../crypto/hmac.ts";
import { ValidationError } from "../errors.ts";
import { isUuid } from "../protocol/ids.ts";
import { HttpError } from "./_http_error.ts";

/** What a capability allows: PUT the bytes of a pending file, or GET those of a file record. */
export type CapabilityKind = "upload" | "download";

/** The content of a capability token. */
export interface Capability {
  /** Upload or download. */
  kind: CapabilityKind;
  /** The pending file id (upload) or the record id (download). */
  fileId: string;
  /** The client the token was issued to. */
  clientId: string;
  /** Expiry in microseconds since the epoch. */
  expires: number;
  /** Random id that makes the token single-use. */
  tokenId: string;
}

const VERSION = "v1";
const KIND_CODES: Record<CapabilityKind, string> = { upload: "up", download: "down" };
const MAC_CONTEXT = "arca file capability\n";
const TOKEN_ID_BYTES = 16;
const TOKEN_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const MAC_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function requireKey(key: Uint8Array): void {
  requireMinBytes(key, MIN_HMAC_KEY_BYTES, "Capability key");
}

function signedPart(capability: Capability): string {
  const kind = KIND_CODES[capability.kind];
  return `${VERSION}.${kind}.${capability.fileId}.${capability.clientId}.${capability.expires}.${capability.tokenId}`;
}

/**
 * Signs a new capability and returns its token text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomBytes } from "../crypto/bytes.ts";
 * import { issueCapability } from "./_capability_url.ts";
 * const key = randomBytes(32);
 * const token = await issueCapability(key, {
 *   kind: "upload",
 *   fileId: "b2a735c5-9f3a-4c1e-8e0f-0123456789ab",
 *   clientId: "d8cf04aa-1d2e-4c1e-8e0f-0123456789ab",
 *   expires: 1_800_000_000_000_000,
 * });
 * assert.equal(token.startsWith("v1.up."), true);
 * ```
 */
export async function issueCapability(
  key: Uint8Array,
  grant: Omit<Capability, "tokenId">,
): Promise<string> {
  requireKey(key);
  if (grant.kind !== "upload" && grant.kind !== "download") {
    throw new ValidationError(`Capability kind must be "upload" or "download"`);
  }
  if (!isUuid(grant.fileId)) throw new ValidationError("Capability file id must be a UUID");
  if (!isUuid(grant.clientId)) throw new ValidationError("Capability client id must be a UUID");
  if (!Number.isSafeInteger(grant.expires) || grant.expires <= 0) {
    throw new ValidationError("Capability expiry must be positive whole microseconds");
  }
  const tokenId = encodeBase64Url(randomBytes(TOKEN_ID_BYTES));
  const signed = signedPart({
    kind: grant.kind,
    fileId: grant.fileId.toLowerCase(),
    clientId: grant.clientId.toLowerCase(),
    expires: grant.expires,
    tokenId,
  });
  const mac = await hmacSha256(key, utf8(MAC_CONTEXT + signed));
  return `${signed}.${encodeBase64Url(mac)}`;
}

function parseToken(token: string): { capability: Capability; signed: string; mac: string } {
  const parts = token.split(".");
  if (parts.length !== 7 || parts[0] !== VERSION) throw invalid();
  const [, kindCode, fileId, clientId, expiresText, tokenId, mac] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const kind = (Object.keys(KIND_CODES) as CapabilityKind[]).find((k) =>
    KIND_CODES[k] === kindCode
  );
  if (
    kind === undefined || !isUuid(fileId) || !isUuid(clientId) || !/^\d{1,16}$/.test(expiresText) ||
    !TOKEN_ID_PATTERN.test(tokenId) || !MAC_PATTERN.test(mac)
  ) {
    throw invalid();
  }
  const capability = { kind, fileId, clientId, expires: Number(expiresText), tokenId };
  return { capability, signed: parts.slice(0, 6).join("."), mac };
}

function invalid(): HttpError {
  return new HttpError(403, "File URL is not valid");
}

/**
 * Checks a token's MAC, that it is of `kind` for `fileId`, and that it has not expired at
 * `nowMicros`; returns its content. Every failure is a 403 {@linkcode HttpError}. Single use is
 * the caller's part: record `tokenId` before acting.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomBytes } from "../crypto/bytes.ts";
 * import { issueCapability, verifyCapability } from "./_capability_url.ts";
 * const key = randomBytes(32);
 * const fileId = "b2a735c5-9f3a-4c1e-8e0f-0123456789ab";
 * const clientId = "d8cf04aa-1d2e-4c1e-8e0f-0123456789ab";
 * const token = await issueCapability(key, { kind: "download", fileId, clientId, expires: 2e15 });
 * const capability = await verifyCapability(key, token, { kind: "download", fileId }, 1e15);
 * assert.equal(capability.clientId === clientId, true);
 * ```
 */
export async function verifyCapability(
  key: Uint8Array,
  token: string | undefined,
  expected: { kind: CapabilityKind; fileId: string },
  nowMicros: number,
): Promise<Capability> {
  requireKey(key);
  if (typeof token !== "string" || token.length === 0 || token.length > 512) throw invalid();
  const { capability, signed, mac } = parseToken(token);
  const macBytes = decodeBase64Url(mac, "capability MAC");
  if (!(await verifyHmacSha256(key, utf8(MAC_CONTEXT + signed), macBytes))) throw invalid();
  if (capability.kind !== expected.kind || capability.fileId !== expected.fileId.toLowerCase()) {
    throw new HttpError(403, `File URL is not valid for this ${expected.kind}`);
  }
  if (capability.expires <= nowMicros) throw new HttpError(403, "File URL has expired");
  return capability;
}
