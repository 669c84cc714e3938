/**
 * The key of one container version, {@linkcode ContainerKeys}: the container id, the version and
 * the random 32-byte container key from which the part keys derive (`container_parts.ts`).
 *
 * Byte form (56 bytes), documented in `docs/containers.md`:
 *
 * ```
 * "ACK1" (4 ASCII bytes) ‖ version (u32 big-endian) ‖ container id (16 raw UUID bytes) ‖ key (32)
 * ```
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { randomBytes, requireBytes, requireUint8Array } from "./bytes.ts";
import { decodeHex, encodeHex } from "./encoding.ts";
import { isUuid } from "./uuid.ts";

/** Length of a container key in bytes. */
export const CONTAINER_KEY_BYTES = 32;
/** Length of {@linkcode ContainerKeys.toBytes} output. */
export const CONTAINER_KEYS_BYTES = 56;
/** The largest container version (a u32). */
export const MAX_CONTAINER_VERSION = 0xffff_ffff;

const MAGIC = [0x41, 0x43, 0x4b, 0x31]; // "ACK1"

/**
 * Returns `version` if it is a container version (an integer from 1 to 2³² − 1); otherwise
 * throws {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseContainerVersion } from "./container_keys.ts";
 * assert.equal(parseContainerVersion(3), 3);
 * assert.throws(() => parseContainerVersion(0), /version/);
 * ```
 */
export function parseContainerVersion(version: unknown): number {
  if (
    typeof version !== "number" || !Number.isInteger(version) || version < 1 ||
    version > MAX_CONTAINER_VERSION
  ) {
    throw new ValidationError(
      `Container version must be an integer from 1 to ${MAX_CONTAINER_VERSION}, got ${
        JSON.stringify(version) ?? "nothing"
      }`,
    );
  }
  return version;
}

/**
 * Returns the container id in lower case if it is a UUID; otherwise throws
 * {@linkcode ValidationError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseContainerId } from "./container_keys.ts";
 * assert.equal(
 *   parseContainerId("B2A735C5-9F3A-4C1E-8E0F-0123456789AB"),
 *   "b2a735c5-9f3a-4c1e-8e0f-0123456789ab",
 * );
 * ```
 */
export function parseContainerId(containerId: unknown): string {
  if (!isUuid(containerId)) {
    throw new ValidationError(
      `Container id must be a UUID, got ${JSON.stringify(containerId) ?? "nothing"}`,
    );
  }
  return containerId.toLowerCase();
}

function uuidBytes(id: string): Uint8Array {
  return decodeHex(id.replaceAll("-", ""), "Container id");
}

function uuidText(bytes: Uint8Array): string {
  const hex = encodeHex(bytes);
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
    .join("-");
}

/**
 * The key of one container version. Whoever holds it can open that version's header and
 * content; keep it as secret as the data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ContainerKeys } from "./container_keys.ts";
 * const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
 * const copy = ContainerKeys.fromBytes(keys.toBytes());
 * assert.equal(copy.containerId, keys.containerId);
 * assert.equal(copy.version, 1);
 * assert.deepEqual(copy.key, keys.key);
 * ```
 */
export class ContainerKeys {
  /** The container's id, a lower-case UUID. */
  readonly containerId: string;
  /** The container version these keys open, 1 to 2³² − 1. */
  readonly version: number;
  /** The 32-byte container key. */
  readonly key: Uint8Array;

  /**
   * Keys from their parts; throws `ValidationError` on a bad id, version or key length.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerKeys } from "./container_keys.ts";
   * const keys = new ContainerKeys(crypto.randomUUID(), 2, new Uint8Array(32));
   * assert.equal(keys.version, 2);
   * assert.throws(() => new ContainerKeys("x", 1, new Uint8Array(32)), /UUID/);
   * ```
   */
  constructor(containerId: string, version: number, key: Uint8Array) {
    this.containerId = parseContainerId(containerId);
    this.version = parseContainerVersion(version);
    requireBytes(key, CONTAINER_KEY_BYTES, "Container key");
    this.key = key.slice();
  }

  /**
   * Fresh keys: a random container key for `containerId` at `version`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerKeys } from "./container_keys.ts";
   * const a = ContainerKeys.generate(crypto.randomUUID(), 1);
   * const b = ContainerKeys.generate(a.containerId, 1);
   * assert.notDeepEqual(a.key, b.key);
   * ```
   */
  static generate(containerId: string, version: number): ContainerKeys {
    return new ContainerKeys(containerId, version, randomBytes(CONTAINER_KEY_BYTES));
  }

  /**
   * Parses the 56-byte form of {@linkcode ContainerKeys.toBytes}; throws `ValidationError` on
   * anything else.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerKeys } from "./container_keys.ts";
   * assert.throws(() => ContainerKeys.fromBytes(new Uint8Array(56)), /ACK1/);
   * ```
   */
  static fromBytes(bytes: Uint8Array): ContainerKeys {
    requireUint8Array(bytes, "Container keys");
    if (bytes.length !== CONTAINER_KEYS_BYTES) {
      throw new ValidationError(
        `Container keys must be ${CONTAINER_KEYS_BYTES} bytes, got ${bytes.length}`,
      );
    }
    if (MAGIC.some((byte, i) => bytes[i] !== byte)) {
      throw new ValidationError('Container keys must start with "ACK1"');
    }
    const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(4);
    return new ContainerKeys(uuidText(bytes.subarray(8, 24)), version, bytes.subarray(24, 56));
  }

  /**
   * The 56-byte form: `"ACK1" ‖ version u32 BE ‖ container id (16 bytes) ‖ key (32 bytes)`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerKeys } from "./container_keys.ts";
   * const bytes = ContainerKeys.generate(crypto.randomUUID(), 258).toBytes();
   * assert.equal(bytes.length, 56);
   * assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "ACK1");
   * assert.deepEqual([...bytes.subarray(4, 8)], [0, 0, 1, 2]);
   * ```
   */
  toBytes(): Uint8Array {
    const bytes = new Uint8Array(CONTAINER_KEYS_BYTES);
    bytes.set(MAGIC);
    new DataView(bytes.buffer).setUint32(4, this.version);
    bytes.set(uuidBytes(this.containerId), 8);
    bytes.set(this.key, 24);
    return bytes;
  }

  /**
   * A description without the key, so that keys never leak into logs.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ContainerKeys } from "./container_keys.ts";
   * const keys = new ContainerKeys("b2a735c5-9f3a-4c1e-8e0f-0123456789ab", 1, new Uint8Array(32));
   * assert.equal(String(keys), "ContainerKeys(b2a735c5-9f3a-4c1e-8e0f-0123456789ab, version 1)");
   * ```
   */
  toString(): string {
    return `ContainerKeys(${this.containerId}, version ${this.version})`;
  }
}
