/**
 * The byte layout of a key file, format version 1 (docs/users.md, "Key file format"): the
 * 48-byte clear header, the framing of the body and the rescue, and the KDF cost rules. No
 * cryptography here; `_key_file_crypto.ts` derives and seals.
 *
 * ```
 * header (48) = "ARCAKF" ‖ 0x01 ‖ suite ‖ cost a (u32) ‖ cost b (u32) ‖ password salt (16) ‖ passphrase salt (16)
 * key file    = header ‖ L (u32) ‖ body nonce (N) ‖ body (L) ‖ rescue nonce (N) ‖ rescue (rest, ≥ 16)
 * ```
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import { requireBytes, requireUint8Array } from "./bytes.ts";
import { concatBytes } from "./encoding.ts";
import type { SuiteName } from "./suite.ts";

/** Length of the clear header of a key file, in bytes. */
export const KEY_FILE_HEADER_BYTES = 48;
/** Length of each salt in the header, in bytes. */
export const KEY_FILE_SALT_BYTES = 16;
/** Length of the AEAD tag of the body and of the rescue, in bytes (both suites). */
export const KEY_FILE_TAG_BYTES = 16;

const MAGIC = [0x41, 0x52, 0x43, 0x41, 0x4b, 0x46]; // ASCII "ARCAKF"
const VERSION = 1;
const SUITE_CODES: Readonly<Record<SuiteName, number>> = { Sodium: 0x01, NIST: 0x02 };
const NONCE_BYTES: Readonly<Record<SuiteName, number>> = { Sodium: 24, NIST: 12 };
const LENGTH_BYTES = 4;

/** Hard bounds on the KDF costs, whatever the caller's option (docs/users.md, "Cost rules"). */
const BOUNDS = {
  opslimit: { min: 1, max: 10 },
  memlimit: { min: 8192, max: 1_073_741_824 },
  iterations: { min: 1, max: 10_000_000 },
} as const;

/** The creation costs, and the minimum accepted when the caller gives none. */
const DEFAULT_COST = { opslimit: 3, memlimit: 268_435_456, iterations: 600_000 } as const;

/**
 * KDF costs for a key file, per suite: Argon2id `opslimit` (passes) and `memlimit` (bytes) in
 * the Sodium suite, PBKDF2 `iterations` in the NIST suite. Fields of the other suite are
 * ignored; a missing field takes the default (3 passes, 256 MiB; 600,000 iterations).
 */
export interface KeyFileKdf {
  /** Argon2id passes (Sodium), 1 to 10. */
  opslimit?: number;
  /** Argon2id memory in bytes (Sodium), 8192 to 1 GiB. */
  memlimit?: number;
  /** PBKDF2-HMAC-SHA384 iterations (NIST), 1 to 10,000,000. */
  iterations?: number;
}

/** The clear header of a key file: suite, KDF costs and the two salts. */
export interface KeyFileHeader {
  /** Format version (only 1 exists). */
  version: 1;
  /** The suite whose AEAD and KDF seal the key file. */
  suite: SuiteName;
  /** Argon2id opslimit (Sodium) or PBKDF2 iterations (NIST). */
  costA: number;
  /** Argon2id memlimit in bytes (Sodium) or 0 (NIST). */
  costB: number;
  /** Salt of the password KDF (16 bytes). */
  passwordSalt: Uint8Array;
  /** Salt of the passphrase KDF (16 bytes). */
  passphraseSalt: Uint8Array;
}

/** A key file cut into its parts (the byte ranges are views into the key file). */
export interface KeyFileParts {
  header: KeyFileHeader;
  headerBytes: Uint8Array;
  bodyNonce: Uint8Array;
  body: Uint8Array;
  rescueNonce: Uint8Array;
  rescue: Uint8Array;
}

/**
 * The AEAD nonce length of a suite: 24 (XChaCha20-Poly1305) or 12 (AES-256-GCM).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyFileNonceBytes } from "./_key_file_format.ts";
 * assert.equal(keyFileNonceBytes("NIST"), 12);
 * ```
 */
export function keyFileNonceBytes(suite: SuiteName): number {
  return NONCE_BYTES[requireSuite(suite)];
}

/**
 * Parses the 48-byte header at the start of `bytes` (a header or a whole key file). Anything
 * malformed (length, magic, version, suite, costs out of bounds) is an {@linkcode IntegrityError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeKeyFileHeader, parseKeyFileHeader } from "./_key_file_format.ts";
 * const bytes = encodeKeyFileHeader({
 *   version: 1, suite: "NIST", costA: 1000, costB: 0,
 *   passwordSalt: new Uint8Array(16), passphraseSalt: new Uint8Array(16).fill(1),
 * });
 * assert.equal(parseKeyFileHeader(bytes).costA, 1000);
 * ```
 */
export function parseKeyFileHeader(bytes: Uint8Array): KeyFileHeader {
  requireUint8Array(bytes, "Key file header");
  if (bytes.length < KEY_FILE_HEADER_BYTES) {
    throw new IntegrityError(
      `key file: header needs ${KEY_FILE_HEADER_BYTES} bytes, got ${bytes.length}`,
    );
  }
  if (MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new IntegrityError("key file: bad magic (expected ASCII ARCAKF)");
  }
  if (bytes[6] !== VERSION) {
    throw new IntegrityError(`key file: unsupported format version ${bytes[6]}`);
  }
  const suite = suiteOfCode(bytes[7]!);
  const view = new DataView(bytes.buffer, bytes.byteOffset, KEY_FILE_HEADER_BYTES);
  const costA = view.getUint32(8);
  const costB = view.getUint32(12);
  const problem = costProblem(suite, costA, costB);
  if (problem !== undefined) throw new IntegrityError(`key file: ${problem}`);
  return {
    version: VERSION,
    suite,
    costA,
    costB,
    passwordSalt: bytes.slice(16, 32),
    passphraseSalt: bytes.slice(32, 48),
  };
}

/**
 * The 48 header bytes of `header`; a malformed header object is a {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeKeyFileHeader } from "./_key_file_format.ts";
 * const bytes = encodeKeyFileHeader({
 *   version: 1, suite: "Sodium", costA: 1, costB: 8388608,
 *   passwordSalt: new Uint8Array(16), passphraseSalt: new Uint8Array(16),
 * });
 * assert.equal(new TextDecoder().decode(bytes.subarray(0, 6)), "ARCAKF");
 * ```
 */
export function encodeKeyFileHeader(header: KeyFileHeader): Uint8Array {
  if (typeof header !== "object" || header === null) {
    throw new ValidationError("Key file header must be an object");
  }
  if (header.version !== VERSION) {
    throw new ValidationError(`Key file header version must be 1, got ${header.version}`);
  }
  const suite = requireSuite(header.suite);
  const problem = costProblem(suite, header.costA, header.costB);
  if (problem !== undefined) throw new ValidationError(`Key file header: ${problem}`);
  requireBytes(header.passwordSalt, KEY_FILE_SALT_BYTES, "Key file password salt");
  requireBytes(header.passphraseSalt, KEY_FILE_SALT_BYTES, "Key file passphrase salt");
  const bytes = new Uint8Array(KEY_FILE_HEADER_BYTES);
  bytes.set(MAGIC, 0);
  bytes[6] = VERSION;
  bytes[7] = SUITE_CODES[suite];
  const view = new DataView(bytes.buffer);
  view.setUint32(8, header.costA);
  view.setUint32(12, header.costB);
  bytes.set(header.passwordSalt, 16);
  bytes.set(header.passphraseSalt, 32);
  return bytes;
}

/**
 * Cuts a key file into header, body and rescue; wrong lengths are an {@linkcode IntegrityError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IntegrityError } from "../errors.ts";
 * import { splitKeyFile } from "./_key_file_format.ts";
 * assert.throws(() => splitKeyFile(new Uint8Array(10)), IntegrityError);
 * ```
 */
export function splitKeyFile(keyFile: Uint8Array): KeyFileParts {
  requireUint8Array(keyFile, "Key file");
  const header = parseKeyFileHeader(keyFile);
  const nonceBytes = NONCE_BYTES[header.suite];
  const bodyStart = KEY_FILE_HEADER_BYTES + LENGTH_BYTES + nonceBytes;
  if (keyFile.length < bodyStart) {
    throw new IntegrityError(`key file: truncated (${keyFile.length} bytes)`);
  }
  const view = new DataView(keyFile.buffer, keyFile.byteOffset, keyFile.length);
  const bodyLength = view.getUint32(KEY_FILE_HEADER_BYTES);
  if (bodyLength < KEY_FILE_TAG_BYTES) {
    throw new IntegrityError(`key file: body length ${bodyLength} is shorter than its tag`);
  }
  const rescueStart = bodyStart + bodyLength + nonceBytes;
  if (keyFile.length < rescueStart + KEY_FILE_TAG_BYTES) {
    throw new IntegrityError(
      `key file: truncated (${keyFile.length} bytes, body length ${bodyLength})`,
    );
  }
  return {
    header,
    headerBytes: keyFile.subarray(0, KEY_FILE_HEADER_BYTES),
    bodyNonce: keyFile.subarray(bodyStart - nonceBytes, bodyStart),
    body: keyFile.subarray(bodyStart, bodyStart + bodyLength),
    rescueNonce: keyFile.subarray(rescueStart - nonceBytes, rescueStart),
    rescue: keyFile.subarray(rescueStart),
  };
}

/**
 * Assembles a key file from its parts (the inverse of {@linkcode splitKeyFile}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { joinKeyFile } from "./_key_file_format.ts";
 * const bytes = joinKeyFile(new Uint8Array(48), new Uint8Array(12), new Uint8Array(20), new Uint8Array(12), new Uint8Array(17));
 * assert.equal(bytes.length, 48 + 4 + 12 + 20 + 12 + 17);
 * ```
 */
export function joinKeyFile(
  headerBytes: Uint8Array,
  bodyNonce: Uint8Array,
  body: Uint8Array,
  rescueNonce: Uint8Array,
  rescue: Uint8Array,
): Uint8Array {
  const length = new Uint8Array(LENGTH_BYTES);
  new DataView(length.buffer).setUint32(0, body.length);
  return concatBytes(headerBytes, length, bodyNonce, body, rescueNonce, rescue);
}

/**
 * The costs a new key file is sealed with: the caller's option, else the defaults. A value
 * outside the hard bounds is a {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { creationCost } from "./_key_file_format.ts";
 * assert.deepEqual(creationCost("NIST"), { costA: 600000, costB: 0 });
 * assert.deepEqual(creationCost("Sodium", { opslimit: 1, memlimit: 8388608 }), { costA: 1, costB: 8388608 });
 * ```
 */
export function creationCost(
  suite: SuiteName,
  kdf?: KeyFileKdf,
): { costA: number; costB: number } {
  return costOfOption(suite, kdf, "Key file KDF");
}

/**
 * Refuses, before anything is derived, a header whose costs are below the caller's minimum
 * (default: the creation defaults): an {@linkcode IntegrityError}, since a server or a file
 * could otherwise make the client derive a cheap key. A malformed minimum is a
 * {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IntegrityError } from "../errors.ts";
 * import { requireMinimumCost } from "./_key_file_format.ts";
 * const header = {
 *   version: 1 as const, suite: "NIST" as const, costA: 1000, costB: 0,
 *   passwordSalt: new Uint8Array(16), passphraseSalt: new Uint8Array(16),
 * };
 * requireMinimumCost(header, { iterations: 1000 }); // passes
 * assert.throws(() => requireMinimumCost(header, undefined), IntegrityError);
 * ```
 */
export function requireMinimumCost(header: KeyFileHeader, minimum: KeyFileKdf | undefined): void {
  const floor = costOfOption(header.suite, minimum, "Minimum key file KDF");
  if (header.costA < floor.costA || header.costB < floor.costB) {
    const [a, b] = header.suite === "Sodium" ? ["opslimit", "memlimit"] : ["iterations", "-"];
    const wanted = header.suite === "Sodium"
      ? `${a} ≥ ${floor.costA} and ${b} ≥ ${floor.costB}`
      : `${a} ≥ ${floor.costA}`;
    throw new IntegrityError(
      `key file: KDF cost (${header.costA}, ${header.costB}) is below the accepted minimum ` +
        `(${wanted})`,
    );
  }
}

function costOfOption(
  suite: SuiteName,
  kdf: KeyFileKdf | undefined,
  what: string,
): { costA: number; costB: number } {
  if (kdf !== undefined && (typeof kdf !== "object" || kdf === null)) {
    throw new ValidationError(`${what} must be an object`);
  }
  const cost = requireSuite(suite) === "Sodium"
    ? {
      costA: kdf?.opslimit ?? DEFAULT_COST.opslimit,
      costB: kdf?.memlimit ?? DEFAULT_COST.memlimit,
    }
    : { costA: kdf?.iterations ?? DEFAULT_COST.iterations, costB: 0 };
  const problem = costProblem(suite, cost.costA, cost.costB);
  if (problem !== undefined) throw new ValidationError(`${what}: ${problem}`);
  return cost;
}

/** What is wrong with a suite's costs, or undefined when they are within the hard bounds. */
function costProblem(suite: SuiteName, costA: number, costB: number): string | undefined {
  if (suite === "Sodium") {
    return boundProblem("Argon2id opslimit", costA, BOUNDS.opslimit) ??
      boundProblem("Argon2id memlimit", costB, BOUNDS.memlimit);
  }
  if (costB !== 0) return `PBKDF2 cost b must be 0, got ${costB}`;
  return boundProblem("PBKDF2 iterations", costA, BOUNDS.iterations);
}

function boundProblem(
  what: string,
  value: number,
  bound: { min: number; max: number },
): string | undefined {
  if (Number.isSafeInteger(value) && value >= bound.min && value <= bound.max) return undefined;
  return `${what} must be an integer from ${bound.min} to ${bound.max}, got ${value}`;
}

function requireSuite(suite: SuiteName): SuiteName {
  if (suite !== "Sodium" && suite !== "NIST") {
    throw new ValidationError(`Key file suite must be "Sodium" or "NIST", got ${String(suite)}`);
  }
  return suite;
}

function suiteOfCode(code: number): SuiteName {
  if (code === SUITE_CODES.Sodium) return "Sodium";
  if (code === SUITE_CODES.NIST) return "NIST";
  throw new IntegrityError(`key file: unknown suite 0x${code.toString(16).padStart(2, "0")}`);
}
