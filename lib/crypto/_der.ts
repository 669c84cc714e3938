/**
 * A minimal, strict reader and writer for ASN.1 DER: single-byte tags and definite, minimally
 * encoded lengths only. Enough for P-384 SPKI/PKCS#8 keys and ECDSA signatures; not a general
 * ASN.1 library.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { concatBytes } from "./encoding.ts";

/** DER tag numbers used by Arca's key and signature formats. */
export const DER_TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  SEQUENCE: 0x30,
  /** `[0]` constructed, context-specific. */
  CONTEXT_0: 0xa0,
  /** `[1]` constructed, context-specific. */
  CONTEXT_1: 0xa1,
} as const;

/** One DER element: its tag, its content bytes, and where it ends in the input. */
export interface DerElement {
  /** The identifier octet. */
  tag: number;
  /** The content octets (a view into the input). */
  content: Uint8Array;
  /** Offset just past this element in the input. */
  end: number;
}

/**
 * Reads one element at `offset`. Rejects high tag numbers, indefinite lengths, non-minimal
 * lengths and elements that run past the input; `what` names the value in error messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readDer } from "./_der.ts";
 * const element = readDer(new Uint8Array([0x02, 0x01, 0x05]), 0, "Integer");
 * assert.equal(element.tag, 2);
 * assert.equal(element.content[0], 5);
 * ```
 */
export function readDer(bytes: Uint8Array, offset: number, what: string): DerElement {
  if (offset + 2 > bytes.length) throw new ValidationError(`${what} is truncated DER`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new ValidationError(`${what} uses an unsupported DER tag`);
  const first = bytes[offset + 1]!;
  let length = first;
  let start = offset + 2;
  if (first === 0x80) throw new ValidationError(`${what} uses an indefinite DER length`);
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > 3) throw new ValidationError(`${what} has an oversized DER length`);
    if (start + count > bytes.length) throw new ValidationError(`${what} is truncated DER`);
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | bytes[start + i]!;
    if (bytes[start] === 0 || length < 0x80) {
      throw new ValidationError(`${what} has a non-minimal DER length`);
    }
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new ValidationError(`${what} is truncated DER`);
  return { tag, content: bytes.subarray(start, end), end };
}

/**
 * Reads the whole input as exactly one element with the expected tag (no trailing bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DER_TAG, readDerExact } from "./_der.ts";
 * const seq = readDerExact(new Uint8Array([0x30, 0x00]), DER_TAG.SEQUENCE, "Signature");
 * assert.equal(seq.length, 0);
 * ```
 */
export function readDerExact(bytes: Uint8Array, tag: number, what: string): Uint8Array {
  const element = readDer(bytes, 0, what);
  if (element.tag !== tag) throw new ValidationError(`${what} has an unexpected DER tag`);
  if (element.end !== bytes.length) throw new ValidationError(`${what} has trailing bytes`);
  return element.content;
}

/**
 * Splits the content of a constructed element (a SEQUENCE) into its child elements.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readDerChildren } from "./_der.ts";
 * const children = readDerChildren(new Uint8Array([0x02, 0x01, 0x01, 0x02, 0x01, 0x02]), "Pair");
 * assert.equal(children.length, 2);
 * ```
 */
export function readDerChildren(content: Uint8Array, what: string): DerElement[] {
  const children: DerElement[] = [];
  let offset = 0;
  while (offset < content.length) {
    const child = readDer(content, offset, what);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/**
 * Encodes one element with a minimal definite length.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DER_TAG, encodeDer } from "./_der.ts";
 * const der = encodeDer(DER_TAG.OCTET_STRING, new Uint8Array([1]));
 * assert.deepEqual(der, new Uint8Array([4, 1, 1]));
 * ```
 */
export function encodeDer(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concatBytes(...content);
  const length = body.length;
  let header: Uint8Array;
  if (length < 0x80) header = new Uint8Array([tag, length]);
  else if (length < 0x100) header = new Uint8Array([tag, 0x81, length]);
  else if (length < 0x10000) header = new Uint8Array([tag, 0x82, length >> 8, length & 0xff]);
  else throw new ValidationError(`DER content of ${length} bytes is too long`);
  return concatBytes(header, body);
}

/**
 * Encodes a non-negative integer given as big-endian bytes, minimally (leading zeros dropped,
 * one `0x00` added when the top bit is set).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeDerUnsignedInteger } from "./_der.ts";
 * const der = encodeDerUnsignedInteger(new Uint8Array([0, 0x80]));
 * assert.deepEqual(der, new Uint8Array([2, 2, 0, 128]));
 * ```
 */
export function encodeDerUnsignedInteger(bigEndian: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bigEndian.length - 1 && bigEndian[start] === 0) start++;
  const digits = bigEndian.subarray(start);
  if (digits.length === 0) return encodeDer(DER_TAG.INTEGER, new Uint8Array([0]));
  const pad = (digits[0]! & 0x80) !== 0 ? new Uint8Array([0]) : new Uint8Array(0);
  return encodeDer(DER_TAG.INTEGER, pad, digits);
}
