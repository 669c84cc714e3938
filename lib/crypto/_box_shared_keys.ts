/**
 * The shared keys of the Sodium suite's box (`crypto_box_beforenm`: X25519 of one party's
 * private key and the other's public key, then HSalsa20), kept per key pair so that boxing to,
 * or opening from, the same party again skips the scalar multiplication (about 20 times the
 * cost of the box itself). A container writer boxes every version's key to every user with
 * access, so the same pairs come back on every write. The box bytes are exactly those of
 * `crypto_box_easy`.
 *
 * Entries are found by the SHA-256 of the private and the public key (the keys themselves are not
 * kept), least recently used first out.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** Most shared keys kept (32 bytes each). */
export const BOX_SHARED_KEYS_LIMIT = 1024;

/**
 * A bounded memo of box shared keys.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BoxSharedKeys } from "./_box_shared_keys.ts";
 * const keys = new BoxSharedKeys(1);
 * let derived = 0;
 * const derive = () => (derived++, new Uint8Array(32).fill(derived));
 * const a = new Uint8Array(32), b = new Uint8Array(32).fill(1);
 * assert.deepEqual(keys.get(a, b, derive), keys.get(a, b, derive));
 * assert.equal(derived, 1);
 * keys.get(b, a, derive); // another pair: evicts the first (limit 1)
 * keys.get(a, b, derive);
 * assert.equal(derived, 3);
 * ```
 */
export class BoxSharedKeys {
  readonly #limit: number;
  readonly #keys = new Map<string, Uint8Array>();

  /** A memo of at most `limit` shared keys. */
  constructor(limit: number = BOX_SHARED_KEYS_LIMIT) {
    this.#limit = limit;
  }

  /**
   * The shared key of `privateKey` and `publicKey`: from the memo, or `derive()` (whose errors
   * pass through, and nothing is kept then).
   */
  get(publicKey: Uint8Array, privateKey: Uint8Array, derive: () => Uint8Array): Uint8Array {
    const id = createHash("sha256").update(privateKey).update(publicKey).digest("base64");
    const known = this.#keys.get(id);
    if (known !== undefined) {
      this.#keys.delete(id);
      this.#keys.set(id, known);
      return known;
    }
    const key = derive();
    if (this.#keys.size >= this.#limit) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(id, key);
    return key;
  }
}
