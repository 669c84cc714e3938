/**
 * Byte encodings used on the wire: unpadded base64url (E3DB's everywhere-encoding), standard padded
 * base64 (the file checksum), UTF-8 and hex.
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

const URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const DECODE_TABLE: Int16Array = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) table[URL_ALPHABET.charCodeAt(i)] = i;
  table["+".charCodeAt(0)] = 62; // liberal: the standard alphabet is accepted too
  table["/".charCodeAt(0)] = 63;
  return table;
})();

/** The built-in encoder (`Uint8Array.prototype.toBase64`), when present: several times faster. */
const nativeToBase64 = (Uint8Array.prototype as {
  toBase64?: (this: Uint8Array, options: { alphabet: string; omitPadding: boolean }) => string;
}).toBase64;
const NATIVE_URL_OPTIONS = { alphabet: "base64url", omitPadding: true };

/** Encodes bytes as base64url without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  if (nativeToBase64 !== undefined) return nativeToBase64.call(bytes, NATIVE_URL_OPTIONS);
  return encodeBase64UrlPortable(bytes);
}

/** The same encoding in plain JavaScript, for runtimes without `toBase64` (exported for tests). */
export function encodeBase64UrlPortable(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += URL_ALPHABET[n >> 18]! + URL_ALPHABET[(n >> 12) & 63]! + URL_ALPHABET[(n >> 6) & 63]! +
      URL_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += URL_ALPHABET[n >> 18]! + URL_ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += URL_ALPHABET[n >> 18]! + URL_ALPHABET[(n >> 12) & 63]! + URL_ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Decodes base64url, liberally: padding and the standard alphabet (`+`, `/`) are accepted.
 * Foreign characters, misplaced padding and impossible lengths throw {@linkcode ValidationError}.
 * `what` names the value in the error message.
 */
export function decodeBase64Url(text: string, what = "value"): Uint8Array {
  if (typeof text !== "string") throw new ValidationError(`${what} must be a base64url string`);
  let end = text.length;
  const firstPad = text.indexOf("=");
  if (firstPad !== -1) {
    const padding = text.length - firstPad;
    if (padding > 2 || !/^=+$/.test(text.slice(firstPad)) || text.length % 4 !== 0) {
      throw new ValidationError(`${what} has misplaced base64 padding`);
    }
    end = firstPad;
  }
  if (end % 4 === 1) throw new ValidationError(`${what} has an impossible base64 length (${end})`);
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? DECODE_TABLE[code]! : -1;
    if (value < 0) {
      throw new ValidationError(`${what} has a character that is not base64url at ${i}`);
    }
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/** Encodes bytes as standard base64 with padding (used only for the file MD5 checksum). */
export function encodeBase64(bytes: Uint8Array): string {
  return encodeBase64Url(bytes).replaceAll("-", "+").replaceAll("_", "/") +
    "=".repeat((3 - (bytes.length % 3)) % 3);
}

/** Decodes standard (or url-safe) base64, padded or not. */
export function decodeBase64(text: string, what = "value"): Uint8Array {
  return decodeBase64Url(text, what);
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** Encodes text as UTF-8. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8 strictly: invalid bytes throw {@linkcode ValidationError}. */
export function fromUtf8(bytes: Uint8Array, what = "value"): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new ValidationError(`${what} is not valid UTF-8`);
  }
}

/** Encodes bytes as lowercase hex. */
export function encodeHex(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out;
}

/** Decodes hex (either case). */
export function decodeHex(text: string, what = "value"): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new ValidationError(`${what} is not valid hex`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
