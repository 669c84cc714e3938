/**
 * The clear part of a key file (format version 1, docs/users.md), read without any
 * cryptography: the 48-byte header (magic `ARCAKF`, version, suite, KDF costs, two salts) and
 * the lengths that frame the two sealed parts. The server checks an uploaded key file with it;
 * the bytes stay opaque otherwise.
 *
 * Layout: header (48) ‖ body length `L` (u32 big-endian) ‖ body nonce (N) ‖ body (L) ‖ rescue
 * nonce (N) ‖ rescue (≥ 16), where N is 24 (Sodium) or 12 (NIST) and every sealed part ends in a
 * 16-byte tag.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** Length of the key file header. */
export const KEY_FILE_HEADER_BYTES = 48;

/** The magic the header starts with, ASCII `ARCAKF`. */
export const KEY_FILE_MAGIC = "ARCAKF";

/** The only format version. */
export const KEY_FILE_VERSION = 1;

/** Bounds on the KDF costs a header may carry (refused outside them, before any derivation). */
export const KEY_FILE_COST_BOUNDS = {
  /** Argon2id passes. */
  opslimit: { min: 1, max: 10 },
  /** Argon2id memory in bytes. */
  memlimit: { min: 8192, max: 1073741824 },
  /** PBKDF2-HMAC-SHA384 iterations. */
  iterations: { min: 1, max: 10_000_000 },
} as const;

/** The suite byte of each suite: `0x01` Sodium, `0x02` NIST. */
export const KEY_FILE_SUITE_BYTES = { sodium: 1, nist: 2 } as const;

/** The suite a key file is sealed in. */
export type KeyFileHeaderSuite = keyof typeof KEY_FILE_SUITE_BYTES;

/** What the clear framing of a key file says. */
export interface KeyFileFraming {
  /** `sodium` (Argon2id, XChaCha20-Poly1305) or `nist` (PBKDF2-SHA384, AES-256-GCM). */
  suite: KeyFileHeaderSuite;
  /** Argon2id opslimit, or PBKDF2 iterations. */
  costA: number;
  /** Argon2id memlimit in bytes, or 0 (NIST). */
  costB: number;
  /** The first 48 bytes. */
  header: Uint8Array;
}

const TAG_BYTES = 16;
const NONCE_BYTES = { sodium: 24, nist: 12 } as const;

/**
 * Checks the clear framing of a whole key file: the header's magic, version, suite and cost
 * bounds, and that the body length and nonces fit the file with at least a tag for each sealed
 * part. Throws {@linkcode ValidationError} (`key file: ...`) naming the first problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readKeyFileFraming } from "./key_file_header.ts";
 * const file = new Uint8Array(48 + 4 + 24 + 16 + 24 + 16);
 * file.set(new TextEncoder().encode("ARCAKF"), 0);
 * file.set([1, 1], 6); // version 1, Sodium
 * const view = new DataView(file.buffer);
 * view.setUint32(8, 3); // opslimit
 * view.setUint32(12, 268435456); // memlimit
 * view.setUint32(48, 16); // body length: just a tag
 * assert.equal(readKeyFileFraming(file).suite, "sodium");
 * assert.throws(() => readKeyFileFraming(file.subarray(0, 40)), /shorter than its 48-byte header/);
 * ```
 */
export function readKeyFileFraming(bytes: Uint8Array): KeyFileFraming {
  if (!(bytes instanceof Uint8Array)) throw new ValidationError("key file: must be bytes");
  if (bytes.length < KEY_FILE_HEADER_BYTES) {
    throw new ValidationError(
      `key file: ${bytes.length} bytes is shorter than its ${KEY_FILE_HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, KEY_FILE_MAGIC.length));
  if (magic !== KEY_FILE_MAGIC) {
    throw new ValidationError(`key file: does not start with "${KEY_FILE_MAGIC}"`);
  }
  if (bytes[6] !== KEY_FILE_VERSION) {
    throw new ValidationError(`key file: format version ${bytes[6]} is not supported (only 1)`);
  }
  const suite = suiteOf(bytes[7]!);
  const costA = view.getUint32(8);
  const costB = view.getUint32(12);
  checkCosts(suite, costA, costB);
  checkLengths(suite, view);
  return { suite, costA, costB, header: bytes.slice(0, KEY_FILE_HEADER_BYTES) };
}

function suiteOf(byte: number): KeyFileHeaderSuite {
  if (byte === KEY_FILE_SUITE_BYTES.sodium) return "sodium";
  if (byte === KEY_FILE_SUITE_BYTES.nist) return "nist";
  throw new ValidationError(`key file: suite byte ${byte} is neither 1 (Sodium) nor 2 (NIST)`);
}

function checkCosts(suite: KeyFileHeaderSuite, costA: number, costB: number): void {
  const inside = (value: number, bounds: { min: number; max: number }) =>
    value >= bounds.min && value <= bounds.max;
  const { opslimit, memlimit, iterations } = KEY_FILE_COST_BOUNDS;
  if (suite === "nist") {
    if (!inside(costA, iterations)) {
      throw new ValidationError(
        `key file: PBKDF2 iterations ${costA} outside ${iterations.min}..${iterations.max}`,
      );
    }
    if (costB !== 0) throw new ValidationError(`key file: NIST cost b must be 0, got ${costB}`);
    return;
  }
  if (!inside(costA, opslimit)) {
    throw new ValidationError(
      `key file: Argon2id opslimit ${costA} outside ${opslimit.min}..${opslimit.max}`,
    );
  }
  if (!inside(costB, memlimit)) {
    throw new ValidationError(
      `key file: Argon2id memlimit ${costB} outside ${memlimit.min}..${memlimit.max}`,
    );
  }
}

function checkLengths(suite: KeyFileHeaderSuite, view: DataView): void {
  const nonce = NONCE_BYTES[suite];
  const bodyStart = KEY_FILE_HEADER_BYTES + 4 + nonce;
  if (view.byteLength < bodyStart + TAG_BYTES + nonce + TAG_BYTES) {
    throw new ValidationError(`key file: ${view.byteLength} bytes is too short to hold its parts`);
  }
  const bodyLength = view.getUint32(KEY_FILE_HEADER_BYTES);
  if (bodyLength < TAG_BYTES) {
    throw new ValidationError(`key file: body length ${bodyLength} is shorter than a tag`);
  }
  if (bodyStart + bodyLength + nonce + TAG_BYTES > view.byteLength) {
    throw new ValidationError(
      `key file: body length ${bodyLength} leaves no room for the rescue in ${view.byteLength} bytes`,
    );
  }
}
