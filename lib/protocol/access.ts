/**
 * One user's access to a container: who, which {@linkcode Permissions}, and until when. The
 * server stores and enforces it; the SDK builds it (`new Access(userId, { permissions })`).
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import { parseUuid } from "./ids.ts";
import { OTHERS_DEFAULT_PERMISSIONS, parsePermissionBits, Permissions } from "./permissions.ts";

/** The options of {@linkcode Access}. */
export interface AccessOptions {
  /** A {@linkcode Permissions} set or its integer form; default: the others' default (11). */
  permissions?: Permissions | number;
  /** When the access ends, integer microseconds since the epoch; `null` (default): never. */
  expiration?: number | null;
}

/** An access entry in JSON: the wire form of {@linkcode Access}. */
export interface AccessJson {
  /** The user's (client's) id, a lower-case UUID. */
  user_id: string;
  /** The permission bits, 0 to 127. */
  permissions: number;
  /** When the access ends (µs since the epoch), or `null` for never. */
  expiration: number | null;
}

/**
 * Returns `value` if it is an expiration: `null` or a non-negative safe integer (microseconds
 * since the epoch); otherwise throws {@linkcode ValidationError} naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseExpiration } from "./access.ts";
 * assert.equal(parseExpiration(null), null);
 * assert.equal(parseExpiration(1_700_000_000_000_000), 1_700_000_000_000_000);
 * assert.throws(() => parseExpiration(1.5), /expiration/);
 * ```
 */
export function parseExpiration(value: unknown, what = "expiration"): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(
      `${what} must be null or integer microseconds since the epoch, got ${
        JSON.stringify(value) ?? "nothing"
      }`,
    );
  }
  return value;
}

/**
 * A user's access to a container. Without options it carries the others' default permissions
 * (download, decrypt, access.view = 11) and no expiration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Access } from "./access.ts";
 * import { Permissions } from "./permissions.ts";
 * const access = new Access("B2A735C5-9F3A-4C1E-8E0F-0123456789AB", {
 *   permissions: Permissions.creatorDefault(),
 * });
 * access.permissions.container.upload = false;
 * assert.equal(access.userId, "b2a735c5-9f3a-4c1e-8e0f-0123456789ab");
 * assert.equal(access.permissions.bits, 123);
 * assert.equal(access.expiration, null);
 * ```
 */
export class Access {
  /** The user's (client's) id, lower case. */
  readonly userId: string;
  /** The permissions: mutable through its named setters. */
  permissions: Permissions;
  #expiration: number | null;

  /**
   * An access for `userId` (a UUID); throws `ValidationError` on a bad id, permission integer
   * or expiration.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Access } from "./access.ts";
   * const id = crypto.randomUUID();
   * assert.equal(new Access(id).permissions.bits, 11);
   * assert.equal(new Access(id, { permissions: 1, expiration: 5 }).expiration, 5);
   * assert.throws(() => new Access("nobody"), /UUID/);
   * ```
   */
  constructor(userId: string, options: AccessOptions = {}) {
    this.userId = parseUuid(userId, "Access user id");
    const permissions = options.permissions ?? OTHERS_DEFAULT_PERMISSIONS;
    this.permissions = permissions instanceof Permissions
      ? permissions
      : new Permissions(parsePermissionBits(permissions, "Access permissions"));
    this.#expiration = parseExpiration(options.expiration ?? null, "Access expiration");
  }

  /**
   * An access from its wire form; throws `ValidationError` on a malformed entry.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Access } from "./access.ts";
   * const id = crypto.randomUUID();
   * const access = Access.fromJSON({ user_id: id, permissions: 3, expiration: null });
   * assert.equal(access.permissions.container.decrypt, true);
   * ```
   */
  static fromJSON(json: unknown): Access {
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw new ValidationError("An access entry must be an object");
    }
    const entry = json as Record<string, unknown>;
    return new Access(entry.user_id as string, {
      permissions: parsePermissionBits(entry.permissions, "Access permissions"),
      expiration: parseExpiration(entry.expiration ?? null, "Access expiration"),
    });
  }

  /**
   * When the access ends (µs since the epoch), or `null` for never. Setting validates.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Access } from "./access.ts";
   * const access = new Access(crypto.randomUUID());
   * access.expiration = 1_000;
   * assert.equal(access.expiration, 1_000);
   * assert.throws(() => { access.expiration = -1; }, /expiration/);
   * ```
   */
  get expiration(): number | null {
    return this.#expiration;
  }

  set expiration(value: number | null) {
    this.#expiration = parseExpiration(value, "Access expiration");
  }

  /**
   * Whether the access has ended at `now` (µs since the epoch): its expiration is at or before it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Access } from "./access.ts";
   * const access = new Access(crypto.randomUUID(), { expiration: 100 });
   * assert.equal(access.isExpired(99), false);
   * assert.equal(access.isExpired(100), true);
   * ```
   */
  isExpired(now: number): boolean {
    return this.#expiration !== null && this.#expiration <= now;
  }

  /**
   * The wire form: `{ user_id, permissions, expiration }`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Access } from "./access.ts";
   * const id = crypto.randomUUID();
   * assert.deepEqual(new Access(id).toJSON(), { user_id: id, permissions: 11, expiration: null });
   * ```
   */
  toJSON(): AccessJson {
    return {
      user_id: this.userId,
      permissions: this.permissions.bits,
      expiration: this.#expiration,
    };
  }

  /**
   * A readable line: the user id, the permission names and the expiration.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Access } from "./access.ts";
   * const access = new Access("b2a735c5-9f3a-4c1e-8e0f-0123456789ab", { permissions: 1 });
   * assert.equal(
   *   access.toString(),
   *   "b2a735c5-9f3a-4c1e-8e0f-0123456789ab: container.download (never expires)",
   * );
   * ```
   */
  toString(): string {
    const expires = this.#expiration === null
      ? "never expires"
      : `expires ${new Date(Math.floor(this.#expiration / 1000)).toISOString()}`;
    return `${this.userId}: ${this.permissions} (${expires})`;
  }
}
