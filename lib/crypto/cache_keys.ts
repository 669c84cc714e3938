/**
 * The keys and names of the local encrypted cache (docs/cache.md, "Keys"). Three 32-byte keys
 * come from the logged-in user's private keys with HKDF-SHA-256, each under its own label, so
 * the server (which never holds a private key) cannot compute them and opening the cache costs
 * one HKDF, not a password KDF:
 *
 * ```
 * ikm       = encryption private key ‖ signing private key (raw bytes)
 * value key = HKDF-SHA-256(ikm, salt = "arca local cache v1", info = "value")   (row AEAD)
 * name key  = HKDF-SHA-256(ikm, salt = "arca local cache v1", info = "name")    (row and file names)
 * file key  = HKDF-SHA-256(ikm, salt = "arca local cache v1", info = "file")    (part-file AEAD)
 * ```
 *
 * A user's partition folder is named before login (the key file lives there), so its name is an
 * unkeyed hash of the user id: it lists no id, but whoever already knows an id can find its
 * partition.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { requireMinBytes } from "./bytes.ts";
import { concatBytes, encodeHex, utf8 } from "./encoding.ts";
import { hmacSha256 } from "./hmac.ts";

/** The keys of one user's cache partition. */
export interface CacheKeys {
  /** Seals row values (the suite's AEAD). */
  readonly valueKey: Uint8Array;
  /** Names rows and part files (HMAC-SHA-256). */
  readonly nameKey: Uint8Array;
  /** Seals part files (the suite's AEAD). */
  readonly fileKey: Uint8Array;
}

const SALT = utf8("arca local cache v1");

async function hkdf(ikm: Uint8Array, info: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new Uint8Array(ikm), "HKDF", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(SALT), info: new Uint8Array(utf8(info)) },
    key,
    256,
  );
  return new Uint8Array(bits);
}

/**
 * Derives the cache keys from a user's private keys (encryption, then signing when present).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveCacheKeys } from "./cache_keys.ts";
 * const keys = await deriveCacheKeys(new Uint8Array(32).fill(7), new Uint8Array(64).fill(9));
 * assert.equal(keys.valueKey.length, 32);
 * assert.notDeepEqual(keys.valueKey, keys.nameKey);
 * ```
 */
export async function deriveCacheKeys(
  encryptionPrivateKey: Uint8Array,
  signingPrivateKey: Uint8Array | undefined,
): Promise<CacheKeys> {
  requireMinBytes(encryptionPrivateKey, 32, "encryption private key");
  const ikm = concatBytes(encryptionPrivateKey, signingPrivateKey ?? new Uint8Array());
  return {
    valueKey: await hkdf(ikm, "value"),
    nameKey: await hkdf(ikm, "name"),
    fileKey: await hkdf(ikm, "file"),
  };
}

/**
 * The 32-byte name of a cache object: HMAC-SHA-256(name key, label). Without the key nobody can
 * tell which object a name stands for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cacheObjectName } from "./cache_keys.ts";
 * const key = new Uint8Array(32).fill(1);
 * assert.equal((await cacheObjectName(key, "container\0id")).length, 32);
 * ```
 */
export async function cacheObjectName(nameKey: Uint8Array, label: string): Promise<Uint8Array> {
  return await hmacSha256(nameKey, utf8(label));
}

/**
 * The hex name of a user's partition folder: SHA-256 of a label and the lower-case user id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { partitionName } from "./cache_keys.ts";
 * const name = partitionName("0e8eb8c6-839f-46ca-9843-801c539e490f");
 * assert.match(name, /^[0-9a-f]{64}$/);
 * assert.equal(partitionName("0E8EB8C6-839F-46CA-9843-801C539E490F"), name);
 * ```
 */
export function partitionName(userId: string): string {
  const digest = createHash("sha256")
    .update(`arca local cache v1 partition\0${userId.toLowerCase()}`)
    .digest();
  return encodeHex(new Uint8Array(digest));
}
