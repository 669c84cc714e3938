/**
 * Keys as text, the way E3DB stores them in credential files and sends them on the wire:
 * Sodium keys are base64url of raw bytes (32, or 64 for an Ed25519 private key); NIST keys are
 * base64url of PEM text. The shape of a key therefore tells its suite.
 *
 * @module
 */
import { decodeBase64Url } from "../crypto/encoding.ts";
import { getSuite, suiteNameFromEnv } from "../crypto/suites.ts";
import type { SuiteName } from "../crypto/suite.ts";
import { ValidationError } from "../errors.ts";

/** A key pair as wire text. */
export interface KeyPairText {
  /** The public key (b64url of raw bytes, or b64url of a PEM SubjectPublicKeyInfo). */
  publicKey: string;
  /** The private key (b64url of raw bytes, or b64url of a PEM PKCS#8 key). */
  privateKey: string;
}

/** Which kind of key a text is expected to be. */
export type KeyRole = "public" | "private" | "public signing" | "private signing";

const PEM_LABELS = { public: "PUBLIC KEY", private: "PRIVATE KEY" } as const;
const SODIUM_LENGTHS: Record<KeyRole, readonly number[]> = {
  public: [32],
  private: [32],
  "public signing": [32],
  "private signing": [64],
};

function decodeText(text: string, what: string): Uint8Array {
  if (typeof text !== "string" || text.trim() === "") {
    throw new ValidationError(`${what} must be a non-empty string`);
  }
  try {
    return decodeBase64Url(text.trim(), what);
  } catch {
    throw new ValidationError(`${what} is not base64url`);
  }
}

function pemLabel(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  return /^-----BEGIN ([A-Z ]+)-----/.exec(head)?.[1];
}

/**
 * The suite a key text belongs to, judged by its shape, after checking that shape fits the key's
 * role (`what` names the key in error messages).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { suiteOfKeyText } from "./key_text.ts";
 * assert.equal(
 *   suiteOfKeyText("Xf7dO2vUf2-ijuFdlp1bsOpTd01Ii9r53xxuASSz7yI", "public", "public_key"),
 *   "Sodium",
 * );
 * ```
 */
export function suiteOfKeyText(text: string, role: KeyRole, what: string): SuiteName {
  const bytes = decodeText(text, what);
  const label = pemLabel(bytes);
  if (label !== undefined) {
    const wanted = role.startsWith("public") ? PEM_LABELS.public : PEM_LABELS.private;
    if (label !== wanted) {
      throw new ValidationError(`${what} must be a PEM "${wanted}", got "${label}"`);
    }
    return "NIST";
  }
  const lengths = SODIUM_LENGTHS[role];
  if (!lengths.includes(bytes.length)) {
    throw new ValidationError(
      `${what} must be ${lengths.join(" or ")} bytes (or a P-384 PEM key), got ${bytes.length}`,
    );
  }
  return "Sodium";
}

/**
 * A fresh encryption key pair as wire text: X25519 (Sodium) or P-384 (NIST). The suite defaults
 * to `ARCA_CRYPTO_SUITE` / `CRYPTO_SUITE`, else Sodium.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateKeyPairText } from "./key_text.ts";
 * const keys = await generateKeyPairText("Sodium");
 * assert.equal(keys.publicKey.length, 43);
 * ```
 */
export async function generateKeyPairText(suiteName?: SuiteName): Promise<KeyPairText> {
  const suite = await getSuite(suiteName ?? suiteNameFromEnv());
  const pair = await suite.generateEncryptionKeyPair();
  return {
    publicKey: suite.encodePublicKey(pair.publicKey),
    privateKey: suite.encodePrivateKey(pair.privateKey),
  };
}

/**
 * A fresh signing key pair as wire text: Ed25519 (Sodium; the private key is libsodium's 64-byte
 * seed‖pk) or ECDSA P-384 (NIST).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSigningKeyPairText } from "./key_text.ts";
 * const keys = await generateSigningKeyPairText("Sodium");
 * assert.equal(keys.privateKey.length, 86);
 * ```
 */
export async function generateSigningKeyPairText(suiteName?: SuiteName): Promise<KeyPairText> {
  const suite = await getSuite(suiteName ?? suiteNameFromEnv());
  const pair = await suite.generateSigningKeyPair();
  return {
    publicKey: suite.encodePublicKey(pair.publicKey),
    privateKey: suite.encodePrivateKey(pair.privateKey),
  };
}
