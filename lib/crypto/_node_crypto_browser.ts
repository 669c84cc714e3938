/**
 * The browser bundle's `node:crypto`: the three hashes the SDK takes from it (`createHash` for
 * SHA-256 and MD5, `createHmac` for HMAC-SHA-256), computed with @noble/hashes. Deno uses its
 * native `node:crypto`; build/_browser_modules.ts maps the import to this file.
 *
 * @module
 */
import { hmac } from "@noble/hashes/hmac.js";
import { md5 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { encodeBase64, encodeHex, utf8 } from "./encoding.ts";

/** A running hash, like Node's `Hash`: `update` as often as needed, then one `digest`. */
export interface Hash {
  /** Adds bytes (a string counts as its UTF-8 bytes). */
  update(data: string | Uint8Array): Hash;
  /** The digest: bytes, or text in `hex` or `base64`. */
  digest(): Uint8Array;
  /** The digest as text. */
  digest(encoding: "hex" | "base64"): string;
}

interface Hasher {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}

function wrap(hasher: Hasher): Hash {
  const hash = {
    update(data: string | Uint8Array): Hash {
      hasher.update(typeof data === "string" ? utf8(data) : data);
      return hash as Hash;
    },
    digest(encoding?: "hex" | "base64"): Uint8Array | string {
      const bytes = hasher.digest();
      if (encoding === "hex") return encodeHex(bytes);
      return encoding === "base64" ? encodeBase64(bytes) : bytes;
    },
  };
  return hash as Hash;
}

/**
 * A SHA-256 or MD5 hash.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHash } from "./_node_crypto_browser.ts";
 * assert.equal(
 *   createHash("sha256").update("abc").digest("hex"),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * assert.equal(createHash("md5").update("").digest("base64"), "1B2M2Y8AsgTpgAmY7PhCfg==");
 * ```
 */
export function createHash(algorithm: "sha256" | "md5"): Hash {
  return wrap(algorithm === "md5" ? md5.create() : sha256.create());
}

/**
 * An HMAC-SHA-256 under `key`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHash, createHmac } from "./_node_crypto_browser.ts";
 * const tag = createHmac("sha256", new Uint8Array(32)).update(new Uint8Array(0)).digest("hex");
 * assert.equal(tag, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
 * assert.equal(createHash("sha256").digest().length, 32);
 * ```
 */
export function createHmac(_algorithm: "sha256", key: Uint8Array): Hash {
  return wrap(hmac.create(sha256, key));
}
