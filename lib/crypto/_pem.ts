/**
 * PEM text ⇄ DER bytes, as OpenSSL writes it: a `-----BEGIN <label>-----` line, standard padded
 * base64 in 64-character lines, an `-----END <label>-----` line, `\n` line ends and a trailing
 * newline. The decoder also accepts `\r\n` line ends, any body line length and a missing trailing
 * newline; nothing else may surround the block.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { requireUint8Array } from "./bytes.ts";
import { decodeBase64Url, encodeBase64 } from "./encoding.ts";

const LINE_LENGTH = 64;
const LABEL = /^[A-Z0-9 ]+$/;
const BASE64_LINE = /^[A-Za-z0-9+/]+={0,2}$/;

function requireLabel(label: string): void {
  if (typeof label !== "string" || !LABEL.test(label)) {
    throw new ValidationError(`PEM label must be upper-case letters, digits and spaces`);
  }
}

/**
 * Encodes DER bytes as PEM text with the given label (`PUBLIC KEY`, `PRIVATE KEY`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodePem } from "./_pem.ts";
 * assert.equal(
 *   encodePem("PUBLIC KEY", new Uint8Array([1, 2, 3])),
 *   "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n",
 * );
 * ```
 */
export function encodePem(label: string, der: Uint8Array): string {
  requireLabel(label);
  requireUint8Array(der, "PEM content");
  if (der.length === 0) throw new ValidationError("PEM content must be non-empty");
  const body = encodeBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += LINE_LENGTH) lines.push(body.slice(i, i + LINE_LENGTH));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Decodes PEM text whose label must equal `label`; `what` names the value in error messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodePem } from "./_pem.ts";
 * const der = decodePem("-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----", "PUBLIC KEY");
 * assert.deepEqual(der, new Uint8Array([1, 2, 3]));
 * ```
 */
export function decodePem(text: string, label: string, what = "PEM text"): Uint8Array {
  requireLabel(label);
  if (typeof text !== "string") throw new ValidationError(`${what} must be a string`);
  const lines = text.replaceAll("\r\n", "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  if (lines[0] !== begin) throw new ValidationError(`${what} must start with "${begin}"`);
  if (lines.length < 3 || lines[lines.length - 1] !== end) {
    throw new ValidationError(`${what} must end with "${end}"`);
  }
  const body = lines.slice(1, -1);
  for (const [index, line] of body.entries()) {
    const last = index === body.length - 1;
    if (!BASE64_LINE.test(line) || (!last && line.includes("="))) {
      throw new ValidationError(`${what} has a line that is not base64 (line ${index + 2})`);
    }
  }
  const joined = body.join("");
  if (joined.length % 4 !== 0) throw new ValidationError(`${what} has a truncated base64 body`);
  return decodeBase64Url(joined, what);
}
