/**
 * TSV1 request signing: E3DB's `Authorization: TSV1-ED25519-BLAKE2B; …` header.
 *
 * ```
 * header_string  = SCHEME "; " publicKeyText "; " unixSeconds "; " nonce "; uid:" clientId
 * string_to_sign = rawPath "; " canonicalQuery "; " METHOD "; " header_string
 * authorization  = header_string "; " b64url(sign(hash(utf8(string_to_sign))))
 * ```
 *
 * The signature is over the raw hash bytes. Sodium: scheme `TSV1-ED25519-BLAKE2B`, BLAKE2b-256 and
 * Ed25519, key text b64url of the 32-byte key. NIST (Arca's own): scheme `TSV1-ECDSA-P384-SHA384`,
 * SHA-384 and ECDSA P-384 over the 48 hash bytes, key text the suite's `p384` wire text.
 *
 * Timestamp windows are checked here; nonce replay is server policy (keep every accepted nonce for
 * at least twice the window).
 *
 * @module
 */
import { IntegrityError, UnauthorizedError, ValidationError } from "../errors.ts";
import { decodeBase64Url, encodeBase64Url, utf8 } from "./encoding.ts";
import type { CryptoSuite, KeyPair, SuiteName } from "./suite.ts";
import { randomUuid } from "./uuid.ts";

/** The TSV1 scheme of the Sodium suite (E3DB's). */
export const TSV1_SODIUM_SCHEME = "TSV1-ED25519-BLAKE2B";
/** The TSV1 scheme of the NIST suite (Arca's own). */
export const TSV1_NIST_SCHEME = "TSV1-ECDSA-P384-SHA384";
/** Default accepted clock difference, in seconds, either way. */
export const TSV1_DEFAULT_WINDOW_SECONDS = 300;

const SEPARATOR = "; ";
const NONCE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const METHOD_PATTERN = /^[A-Za-z]{1,16}$/;

/** Why a well-formed, known-scheme TSV1 header was still refused. */
export type Tsv1Reason = "stale_timestamp" | "suite_unavailable";

/**
 * A TSV1 header was refused for a reason other than a malformed header ({@linkcode ValidationError})
 * or a bad signature ({@linkcode IntegrityError}): its timestamp is outside the window, or the
 * verifier has no suite for its scheme. An {@linkcode UnauthorizedError}: the server, not this
 * layer, decides that it is answered with a 401.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tsv1Error } from "./tsv1.ts";
 * const error = new Tsv1Error("stale_timestamp", "Request timestamp is 900 s old");
 * assert.equal(error.reason, "stale_timestamp");
 * assert.equal(error.status, undefined); // the server maps it to 401
 * ```
 */
export class Tsv1Error extends UnauthorizedError {
  /** The machine-readable reason. */
  readonly reason: Tsv1Reason;

  /**
   * Creates the error with its reason and a message.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Tsv1Error } from "./tsv1.ts";
   * const error = new Tsv1Error("suite_unavailable", "NIST requests are not accepted here");
   * assert.equal(error instanceof Tsv1Error, true);
   * ```
   */
  constructor(reason: Tsv1Reason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/**
 * The TSV1 scheme name a suite signs with.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tsv1Scheme } from "./tsv1.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * assert.equal(tsv1Scheme(await sodiumSuite()), "TSV1-ED25519-BLAKE2B");
 * ```
 */
export function tsv1Scheme(suite: CryptoSuite): string {
  return suite.name === "NIST" ? TSV1_NIST_SCHEME : TSV1_SODIUM_SCHEME;
}

function suiteNameOfScheme(scheme: string): SuiteName {
  if (scheme === TSV1_SODIUM_SCHEME) return "Sodium";
  if (scheme === TSV1_NIST_SCHEME) return "NIST";
  throw new ValidationError(`Unknown TSV1 scheme "${scheme}"`);
}

// ---- canonical query ------------------------------------------------------------------------

interface QueryPair {
  raw: string;
  rawKey: string;
  key: string;
  value: string;
}

const UNRESERVED = /^[A-Za-z0-9_.~-]$/;
const LENIENT_UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** Decodes `%XX` escapes and `+` as Python's `unquote_plus` (invalid UTF-8 → U+FFFD). */
function unquotePlus(text: string): string {
  const input = text.replaceAll("+", " ");
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length > 0) out += LENIENT_UTF8.decode(new Uint8Array(bytes));
    bytes = [];
  };
  for (let i = 0; i < input.length; i++) {
    const hex = input.slice(i + 1, i + 3);
    if (input[i] === "%" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out += input[i];
    }
  }
  flush();
  return out;
}

/** Encodes like Python's `quote_plus(s, safe="")` and Go's `url.QueryEscape`. */
function quotePlus(text: string): string {
  let out = "";
  for (const byte of utf8(text)) {
    const char = String.fromCharCode(byte);
    if (byte < 0x80 && UNRESERVED.test(char)) out += char;
    else if (char === " ") out += "+";
    else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

/** Orders strings by Unicode code point (as Python and Go do), via their UTF-8 bytes. */
function compareCodePoints(a: string, b: string): number {
  const x = utf8(a);
  const y = utf8(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

function parseQuery(rawQuery: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const raw of rawQuery.split("&")) {
    if (raw === "") continue;
    const equals = raw.indexOf("=");
    const rawKey = equals === -1 ? raw : raw.slice(0, equals);
    const rawValue = equals === -1 ? "" : raw.slice(equals + 1);
    pairs.push({ raw, rawKey, key: unquotePlus(rawKey), value: unquotePlus(rawValue) });
  }
  return pairs;
}

function encodePairs(pairs: QueryPair[]): string {
  return pairs.map((p) => `${quotePlus(p.key)}=${quotePlus(p.value)}`).join("&");
}

/**
 * The canonical query forms a TSV1 verifier accepts, primary first, duplicates removed:
 * 1. Python: `urlencode(sorted(parse_qsl(q, keep_blank_values=True)))` — decode, sort the
 *    (key, value) pairs, re-encode with `quote_plus`. Arca signs with this form.
 * 2. Go: `url.Values.Encode()` — as Python, but values of a repeated key keep arrival order.
 * 3. JS: the raw `k=v` pieces sorted by raw key, not re-encoded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { canonicalQueryForms } from "./tsv1.ts";
 * assert.deepEqual(canonicalQueryForms("b=2&a=hello%20world"), [
 *   "a=hello+world&b=2",
 *   "a=hello%20world&b=2",
 * ]);
 * ```
 */
export function canonicalQueryForms(rawQuery: string): string[] {
  if (typeof rawQuery !== "string") throw new ValidationError("Raw query must be a string");
  const query = rawQuery.startsWith("?") ? rawQuery.slice(1) : rawQuery;
  const pairs = parseQuery(query);
  const python = [...pairs].sort((a, b) =>
    compareCodePoints(a.key, b.key) || compareCodePoints(a.value, b.value)
  );
  const go = [...pairs].sort((a, b) => compareCodePoints(a.key, b.key));
  const raw = [...pairs].sort((a, b) => compareCodePoints(a.rawKey, b.rawKey));
  const forms = [encodePairs(python), encodePairs(go), raw.map((p) => p.raw).join("&")];
  return [...new Set(forms)];
}

// ---- signing --------------------------------------------------------------------------------

/** What {@linkcode signRequest} signs. */
export interface Tsv1SignInput {
  /** HTTP method; upper-cased. */
  method: string;
  /** A full `http(s)` URL, or a path with optional query (`/v2/storage/notes?note_id=…`). */
  url: string;
  /** The signing key pair; its public key goes into the header. */
  signingKeys: KeyPair;
  /** The client id for `uid:`; omit or leave empty for an anonymous request. */
  clientId?: string;
  /** Unix time in seconds; now when omitted. */
  timestamp?: number;
  /** The nonce; a random UUID when omitted. */
  nonce?: string;
}

function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  if (typeof url !== "string" || !/^(https?:\/\/|\/)/i.test(url)) {
    throw new ValidationError(`URL "${url}" must be an http(s) URL or start with "/"`);
  }
  let parsed: URL;
  try {
    // Parsed as fetch will send it, so the signed path is the path on the wire.
    parsed = new URL(url, "http://tsv1.invalid");
  } catch (error) {
    throw new ValidationError(`URL "${url}" is not valid`, { cause: error });
  }
  return { rawPath: parsed.pathname, rawQuery: parsed.search.slice(1) };
}

function requireHeaderToken(value: string, pattern: RegExp, what: string): void {
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new ValidationError(`${what} "${value}" is not valid in a TSV1 header`);
  }
}

function requireTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new ValidationError(`TSV1 timestamp must be a non-negative integer, got ${timestamp}`);
  }
}

function stringToSign(
  rawPath: string,
  canonicalQuery: string,
  method: string,
  headerString: string,
): Uint8Array {
  return utf8([rawPath, canonicalQuery, method, headerString].join(SEPARATOR));
}

/**
 * Signs a request and returns the `Authorization` header value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signRequest } from "./tsv1.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const signingKeys = await suite.generateSigningKeyPair();
 * const authorization = await signRequest(suite, {
 *   method: "GET",
 *   url: "https://arca.example/v2/storage/notes?note_id=6f1c3b2a-9d8e-4f70-a1b2-c3d4e5f60718",
 *   signingKeys,
 * });
 * assert.equal(authorization.startsWith("TSV1-ED25519-BLAKE2B; "), true);
 * ```
 */
export async function signRequest(suite: CryptoSuite, input: Tsv1SignInput): Promise<string> {
  requireHeaderToken(input.method, METHOD_PATTERN, "Method");
  const { rawPath, rawQuery } = splitUrl(input.url);
  const clientId = input.clientId ?? "";
  if (typeof clientId !== "string" || /[;\s]/.test(clientId)) {
    throw new ValidationError(`Client id "${clientId}" is not valid in a TSV1 header`);
  }
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  requireTimestamp(timestamp);
  const nonce = input.nonce ?? randomUuid();
  requireHeaderToken(nonce, NONCE_PATTERN, "Nonce");
  const publicKeyText = suite.encodePublicKey(input.signingKeys.publicKey);
  const headerString = [
    tsv1Scheme(suite),
    publicKeyText,
    String(timestamp),
    nonce,
    `uid:${clientId}`,
  ].join(SEPARATOR);
  const canonicalQuery = canonicalQueryForms(rawQuery)[0]!;
  const message = stringToSign(rawPath, canonicalQuery, input.method.toUpperCase(), headerString);
  const signature = await suite.sign(await suite.hash(message), input.signingKeys.privateKey);
  return headerString + SEPARATOR + encodeBase64Url(signature);
}

// ---- verification ---------------------------------------------------------------------------

/** The suites a verifier accepts, by name; a scheme whose suite is absent is refused. */
export type Tsv1Suites = { readonly [name in SuiteName]?: CryptoSuite };

/** What {@linkcode verifyRequest} checks. */
export interface Tsv1VerifyInput {
  /** The `Authorization` header value. */
  authorization: string;
  /** The request method. */
  method: string;
  /** The escaped path as received (`/x/y%2Fz`). */
  rawPath: string;
  /** The raw query string as received, without `?` (empty when none). */
  rawQuery: string;
  /** The verifier's clock; now when omitted. */
  now?: Date;
  /** Accepted clock difference either way, in seconds (default 300). */
  windowSeconds?: number;
}

/** A verified TSV1 request: who signed it, and what the server's replay cache needs. */
export interface Tsv1Verified {
  /** The suite named by the scheme. */
  suite: SuiteName;
  /** The signing public key from the header, decoded. */
  publicKey: Uint8Array;
  /** The signing public key text exactly as in the header. */
  publicKeyText: string;
  /** The client id from `uid:`, or null for an anonymous request. */
  clientId: string | null;
  /** The signed Unix time in seconds. */
  timestamp: number;
  /** The signed nonce (keep it to refuse replays). */
  nonce: string;
}

interface ParsedHeader {
  suiteName: SuiteName;
  headerString: string;
  publicKeyText: string;
  timestamp: number;
  nonce: string;
  clientId: string | null;
  signatureText: string;
}

function parseHeader(authorization: string): ParsedHeader {
  if (typeof authorization !== "string") {
    throw new ValidationError("TSV1 authorization must be a string");
  }
  const parts = authorization.split(SEPARATOR);
  if (parts.length !== 6) {
    throw new ValidationError(`TSV1 header must have 6 "; "-separated parts, got ${parts.length}`);
  }
  const [scheme, publicKeyText, timestampText, nonce, uid, signatureText] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const suiteName = suiteNameOfScheme(scheme);
  if (!/^[0-9]{1,15}$/.test(timestampText)) {
    throw new ValidationError(`TSV1 timestamp "${timestampText}" is not a number`);
  }
  requireHeaderToken(nonce, NONCE_PATTERN, "Nonce");
  if (!uid.startsWith("uid:")) throw new ValidationError(`TSV1 part "${uid}" must start "uid:"`);
  const clientId = uid.slice(4);
  return {
    suiteName,
    headerString: parts.slice(0, 5).join(SEPARATOR),
    publicKeyText,
    timestamp: Number(timestampText),
    nonce,
    clientId: clientId === "" ? null : clientId,
    signatureText,
  };
}

async function signatureMatches(
  suite: CryptoSuite,
  signature: Uint8Array,
  publicKey: Uint8Array,
  headerString: string,
  input: Tsv1VerifyInput,
): Promise<boolean> {
  const method = input.method.toUpperCase();
  for (const query of canonicalQueryForms(input.rawQuery)) {
    const digest = await suite.hash(stringToSign(input.rawPath, query, method, headerString));
    if (await suite.verify(signature, digest, publicKey)) return true;
  }
  return false;
}

function checkWindow(timestamp: number, input: Tsv1VerifyInput): void {
  const window = input.windowSeconds ?? TSV1_DEFAULT_WINDOW_SECONDS;
  if (!Number.isFinite(window) || window < 0) {
    throw new ValidationError(`TSV1 window must be a non-negative number, got ${window}`);
  }
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const drift = timestamp - now;
  if (Math.abs(drift) > window) {
    throw new Tsv1Error(
      "stale_timestamp",
      `TSV1 timestamp is ${Math.abs(drift)} s ${drift < 0 ? "old" : "in the future"}`,
    );
  }
}

/**
 * Verifies a TSV1 `Authorization` header against the request as received. The suite comes from
 * the scheme. Every canonical query form of {@linkcode canonicalQueryForms} is tried.
 *
 * Throws {@linkcode ValidationError} for a malformed header (not 6 parts, unknown scheme, bad key,
 * bad base64), {@linkcode IntegrityError} when the signature does not verify, and
 * {@linkcode Tsv1Error} for a timestamp outside the window or a scheme whose suite is not given.
 * The server should answer 401 to all three. Nonce replay is left to the caller.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signRequest, verifyRequest } from "./tsv1.ts";
 * import { sodiumSuite } from "./sodium.ts";
 * const suite = await sodiumSuite();
 * const signingKeys = await suite.generateSigningKeyPair();
 * const authorization = await signRequest(suite, { method: "GET", url: "/v1/x?a=1", signingKeys });
 * const who = await verifyRequest({ Sodium: suite }, {
 *   authorization,
 *   method: "GET",
 *   rawPath: "/v1/x",
 *   rawQuery: "a=1",
 * });
 * assert.equal(who.clientId, null); // anonymous
 * ```
 */
export async function verifyRequest(
  suites: Tsv1Suites,
  input: Tsv1VerifyInput,
): Promise<Tsv1Verified> {
  requireHeaderToken(input.method, METHOD_PATTERN, "Method");
  if (typeof input.rawPath !== "string" || !input.rawPath.startsWith("/")) {
    throw new ValidationError(`Raw path "${input.rawPath}" must start with "/"`);
  }
  const header = parseHeader(input.authorization);
  const suite = suites[header.suiteName];
  if (suite === undefined || suite.name !== header.suiteName) {
    throw new Tsv1Error("suite_unavailable", `${header.suiteName} TSV1 requests are not accepted`);
  }
  const publicKey = suite.decodePublicKey(header.publicKeyText);
  const signature = decodeBase64Url(header.signatureText, "TSV1 signature");
  if (!await signatureMatches(suite, signature, publicKey, header.headerString, input)) {
    throw new IntegrityError("TSV1 signature does not verify");
  }
  checkWindow(header.timestamp, input);
  return {
    suite: header.suiteName,
    publicKey,
    publicKeyText: header.publicKeyText,
    clientId: header.clientId,
    timestamp: header.timestamp,
    nonce: header.nonce,
  };
}
