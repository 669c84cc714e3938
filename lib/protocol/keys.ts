/**
 * Public keys on the wire: `{"curve25519": "<b64url 32 bytes>"}` or `{"p384": "<b64url of PEM>"}`
 * for encryption, `{"ed25519": "<b64url 32 bytes>"}` or `{"p384": ...}` for signing.
 *
 * @module
 */
import { z } from "zod";
import { decodeBase64Url, fromUtf8 } from "../crypto/encoding.ts";
import { base64UrlLength } from "./_encoded.ts";
import type { PublicKeyType, SigningKeyType, TypedKey } from "./key_json.ts";

export * from "./key_json.ts";

const MAX_PEM_TEXT = 4096;

function isRawKey32(value: unknown): boolean {
  return base64UrlLength(value) === 32;
}

function isP384PublicPem(value: unknown): boolean {
  if (typeof value !== "string" || value.length > MAX_PEM_TEXT) return false;
  if (base64UrlLength(value) === undefined) return false;
  try {
    const pem = fromUtf8(decodeBase64Url(value)).trim();
    return pem.startsWith("-----BEGIN PUBLIC KEY-----") && pem.endsWith("-----END PUBLIC KEY-----");
  } catch {
    return false;
  }
}

function typedKeySchema<T extends string>(checks: Record<T, (value: unknown) => boolean>) {
  const names = Object.keys(checks) as T[];
  return z.record(z.string(), z.unknown()).transform((json, ctx): TypedKey<T> => {
    const present = Object.keys(json);
    const [name] = present;
    if (present.length !== 1 || name === undefined || !names.includes(name as T)) {
      ctx.addIssue({
        code: "custom",
        message: `must have exactly one of ${names.map((n) => `"${n}"`).join(", ")}`,
      });
      return z.NEVER;
    }
    const type = name as T;
    const value = json[type];
    if (!checks[type](value)) {
      ctx.addIssue({
        code: "custom",
        path: [type],
        message: type === "p384"
          ? "must be base64url of a PEM public key"
          : "must be base64url of 32 bytes",
      });
      return z.NEVER;
    }
    return { type, value: value as string };
  });
}

/**
 * Parses `{"curve25519": ...}` or `{"p384": ...}` into a {@linkcode TypedKey}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { publicKeySchema } from "./keys.ts";
 * const key = publicKeySchema.parse({ curve25519: "Xf7dO2vUf2-ijuFdlp1bsOpTd01Ii9r53xxuASSz7yI" });
 * assert.equal(key.type, "curve25519");
 * ```
 */
export const publicKeySchema: z.ZodType<TypedKey<PublicKeyType>, unknown> = typedKeySchema<
  PublicKeyType
>({ curve25519: isRawKey32, p384: isP384PublicPem });

/**
 * Parses `{"ed25519": ...}` or `{"p384": ...}` into a {@linkcode TypedKey}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signingKeySchema } from "./keys.ts";
 * const key = signingKeySchema.parse({ ed25519: "n-cCkZPYKKD_aTdywSdvASFvX2ffmWTy1bB7bj6pEUk" });
 * assert.equal(key.type, "ed25519");
 * ```
 */
export const signingKeySchema: z.ZodType<TypedKey<SigningKeyType>, unknown> = typedKeySchema<
  SigningKeyType
>({ ed25519: isRawKey32, p384: isP384PublicPem });
