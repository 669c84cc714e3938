/**
 * Public keys as JSON: their types and `keyToJson`, apart from the zod schemas (`keys.ts`) so that
 * the SDK never loads zod.
 *
 * @module
 */

/** The JSON key naming an encryption public key's type. */
export type PublicKeyType = "curve25519" | "p384";
/** The JSON key naming a signing public key's type. */
export type SigningKeyType = "ed25519" | "p384";

/** An encryption public key as JSON: exactly one of the keys. */
export type PublicKeyJson = { curve25519: string } | { p384: string };
/** A signing public key as JSON: exactly one of the keys. */
export type SigningKeyJson = { ed25519: string } | { p384: string };

/**
 * A key as JSON for each type in `T`: `KeyJson<PublicKeyType>` is {@linkcode PublicKeyJson},
 * `KeyJson<SigningKeyType>` is {@linkcode SigningKeyJson}.
 */
export type KeyJson<T extends string> = T extends string ? { [K in T]: string } : never;

/** A key split into its type and its wire text. */
export interface TypedKey<T extends string> {
  /** The JSON key (`curve25519`, `ed25519` or `p384`). */
  type: T;
  /** The wire text (b64url of raw bytes, or b64url of PEM for P-384). */
  value: string;
}

/**
 * Turns a typed key back into its JSON form, `{[type]: value}` (a {@linkcode PublicKeyJson}
 * for an encryption key type, a {@linkcode SigningKeyJson} for a signing key type).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyToJson } from "./key_json.ts";
 * assert.deepEqual(keyToJson({ type: "curve25519", value: "abc" }), { curve25519: "abc" });
 * ```
 */
export function keyToJson<T extends string>(key: TypedKey<T>): KeyJson<T> {
  return { [key.type]: key.value } as KeyJson<T>;
}
