/**
 * ECDSA P-384 signature forms: ASN.1 DER (`SEQUENCE { INTEGER r, INTEGER s }`, what OpenSSL and
 * Java write) and IEEE P1363 (`r ‖ s`, 48 + 48 bytes, what Web Crypto and Arca use). The DER
 * reader is strict: BER variants, negative or non-minimal integers, values wider than 48 bytes,
 * extra elements and trailing bytes are all rejected.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { requireBytes, requireUint8Array } from "./bytes.ts";
import {
  DER_TAG,
  type DerElement,
  encodeDer,
  encodeDerUnsignedInteger,
  readDerChildren,
  readDerExact,
} from "./_der.ts";
import { concatBytes } from "./encoding.ts";

const HALF = 48;

function integerMagnitude(element: DerElement | undefined, name: string): Uint8Array {
  if (element?.tag !== DER_TAG.INTEGER) {
    throw new ValidationError(`ECDSA signature ${name} is not a DER INTEGER`);
  }
  const content = element.content;
  if (content.length === 0) throw new ValidationError(`ECDSA signature ${name} is empty`);
  if ((content[0]! & 0x80) !== 0) throw new ValidationError(`ECDSA signature ${name} is negative`);
  if (content.length > 1 && content[0] === 0 && (content[1]! & 0x80) === 0) {
    throw new ValidationError(`ECDSA signature ${name} is not minimally encoded`);
  }
  const magnitude = content[0] === 0 ? content.subarray(1) : content;
  if (magnitude.length > HALF) {
    throw new ValidationError(`ECDSA signature ${name} is wider than 48 bytes`);
  }
  const padded = new Uint8Array(HALF);
  padded.set(magnitude, HALF - magnitude.length);
  return padded;
}

/**
 * Converts a strict DER ECDSA P-384 signature to IEEE P1363 `r ‖ s` (96 bytes). Throws
 * {@linkcode ValidationError} for any encoding that is not exact DER. Range checks (`0 < r, s < n`)
 * are left to verification.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ecdsaDerToP1363, ecdsaP1363ToDer } from "./_ecdsa_der.ts";
 * const raw = new Uint8Array(96).fill(1);
 * assert.equal(ecdsaDerToP1363(ecdsaP1363ToDer(raw)).length, 96);
 * ```
 */
export function ecdsaDerToP1363(der: Uint8Array): Uint8Array {
  const what = "ECDSA DER signature";
  requireUint8Array(der, what);
  const children = readDerChildren(readDerExact(der, DER_TAG.SEQUENCE, what), what);
  if (children.length !== 2) {
    throw new ValidationError(`${what} must hold exactly two INTEGERs, got ${children.length}`);
  }
  return concatBytes(integerMagnitude(children[0], "r"), integerMagnitude(children[1], "s"));
}

/**
 * Converts an IEEE P1363 ECDSA P-384 signature (96 bytes) to DER.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ecdsaP1363ToDer } from "./_ecdsa_der.ts";
 * const der = ecdsaP1363ToDer(new Uint8Array(96).fill(1));
 * assert.equal(der[0], 0x30); // SEQUENCE
 * ```
 */
export function ecdsaP1363ToDer(signature: Uint8Array): Uint8Array {
  requireBytes(signature, 2 * HALF, "ECDSA P1363 signature");
  return encodeDer(
    DER_TAG.SEQUENCE,
    encodeDerUnsignedInteger(signature.subarray(0, HALF)),
    encodeDerUnsignedInteger(signature.subarray(HALF)),
  );
}
