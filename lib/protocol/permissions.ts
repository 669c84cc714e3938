/**
 * Container permissions: the 7-bit set of `docs/containers.md`, shared by the server (which
 * enforces every bit) and the SDK (which builds them). Integer form on the wire, named getters
 * and setters in code (`p.container.download = false`).
 *
 * @module
 */
import { ValidationError } from "../errors.ts";

/** Bit 1: the server serves the encrypted header and content. */
export const CONTAINER_DOWNLOAD = 1;
/** Bit 2: the server serves the caller's key blob. */
export const CONTAINER_DECRYPT = 2;
/** Bit 4: the server accepts new content or header (with {@linkcode ACCESS_MODIFY}). */
export const CONTAINER_UPLOAD = 4;
/** Bit 8: the server shows the full access list (else only the caller's own entry). */
export const ACCESS_VIEW = 8;
/** Bit 16: the server accepts access changes. */
export const ACCESS_MODIFY = 16;
/** Bit 32: the server accepts a new type. */
export const CONTAINER_TYPE_MODIFY = 32;
/** Bit 64: the server shows the type. */
export const CONTAINER_TYPE_VIEW = 64;
/** Every bit: 127. */
export const ALL_PERMISSIONS = 127;
/** The creator's default permissions: every bit (127). */
export const CREATOR_DEFAULT_PERMISSIONS: number = ALL_PERMISSIONS;
/** The default for everybody else: download, decrypt and access.view (11). */
export const OTHERS_DEFAULT_PERMISSIONS: number = CONTAINER_DOWNLOAD | CONTAINER_DECRYPT |
  ACCESS_VIEW;

/** The name of one permission bit, as the spec's table writes it. */
export type PermissionName =
  | "container.download"
  | "container.decrypt"
  | "container.upload"
  | "access.view"
  | "access.modify"
  | "container.type.modify"
  | "container.type.view";

/**
 * Every permission's bit, by name, in bit order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PERMISSION_BITS } from "./permissions.ts";
 * assert.equal(PERMISSION_BITS["access.modify"], 16);
 * ```
 */
export const PERMISSION_BITS: Readonly<Record<PermissionName, number>> = Object.freeze({
  "container.download": CONTAINER_DOWNLOAD,
  "container.decrypt": CONTAINER_DECRYPT,
  "container.upload": CONTAINER_UPLOAD,
  "access.view": ACCESS_VIEW,
  "access.modify": ACCESS_MODIFY,
  "container.type.modify": CONTAINER_TYPE_MODIFY,
  "container.type.view": CONTAINER_TYPE_VIEW,
});

const NAMES = Object.keys(PERMISSION_BITS) as PermissionName[];

/**
 * Returns `value` if it is a permission integer (0 to 127); otherwise throws
 * {@linkcode ValidationError} naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePermissionBits } from "./permissions.ts";
 * assert.equal(parsePermissionBits(11), 11);
 * assert.throws(() => parsePermissionBits(128), /0 to 127/);
 * ```
 */
export function parsePermissionBits(value: unknown, what = "permissions"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 127) {
    throw new ValidationError(
      `${what} must be an integer from 0 to 127, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  return value;
}

/** Named getters and setters of the `container.*` bits: `p.container.download = false`. */
export interface ContainerPermissions {
  /** `container.download` (1). */
  download: boolean;
  /** `container.decrypt` (2). */
  decrypt: boolean;
  /** `container.upload` (4). */
  upload: boolean;
  /** `container.type.modify` (32) and `container.type.view` (64). */
  readonly type: ContainerTypePermissions;
}

/** Named getters and setters of the `container.type.*` bits. */
export interface ContainerTypePermissions {
  /** `container.type.modify` (32). */
  modify: boolean;
  /** `container.type.view` (64). */
  view: boolean;
}

/** Named getters and setters of the `access.*` bits. */
export interface AccessPermissions {
  /** `access.view` (8). */
  view: boolean;
  /** `access.modify` (16). */
  modify: boolean;
}

/**
 * A mutable set of the seven container permissions. `new Permissions()` has every bit (127);
 * `new Permissions(42)` is decrypt + access.view + container.type.modify.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Permissions } from "./permissions.ts";
 * const p = new Permissions();
 * p.container.download = false;
 * p.access.modify = false;
 * assert.equal(p.bits, 127 - 1 - 16);
 * assert.equal(p.container.type.view, true);
 * assert.equal(String(new Permissions(11)), "container.download, container.decrypt, access.view");
 * ```
 */
export class Permissions {
  #bits: number;

  /** Named getters and setters of the `container.*` bits. */
  readonly container: ContainerPermissions;
  /** Named getters and setters of the `access.*` bits. */
  readonly access: AccessPermissions;

  /**
   * A set from its integer form (default 127: every bit); throws `ValidationError` outside 0..127.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(new Permissions(3).container.decrypt, true);
   * assert.throws(() => new Permissions(-1), /0 to 127/);
   * ```
   */
  constructor(bits: number = ALL_PERMISSIONS) {
    this.#bits = parsePermissionBits(bits);
    this.container = this.#containerView();
    this.access = Object.seal(this.#flags({ view: "access.view", modify: "access.modify" }));
  }

  /**
   * The creator's defaults: every bit (127).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(Permissions.creatorDefault().bits, 127);
   * ```
   */
  static creatorDefault(): Permissions {
    return new Permissions(CREATOR_DEFAULT_PERMISSIONS);
  }

  /**
   * Everybody else's defaults: download, decrypt and access.view (11).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(Permissions.othersDefault().bits, 11);
   * ```
   */
  static othersDefault(): Permissions {
    return new Permissions(OTHERS_DEFAULT_PERMISSIONS);
  }

  /**
   * The set holding exactly the named permissions.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(Permissions.fromNames(["container.download", "access.modify"]).bits, 17);
   * ```
   */
  static fromNames(names: Iterable<PermissionName>): Permissions {
    let bits = 0;
    for (const name of names) bits |= bitOf(name);
    return new Permissions(bits);
  }

  /**
   * The integer form, 0 to 127.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(new Permissions(5).bits, 5);
   * ```
   */
  get bits(): number {
    return this.#bits;
  }

  /**
   * Whether the named permission is set.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(new Permissions(8).has("access.view"), true);
   * assert.equal(new Permissions(8).has("access.modify"), false);
   * ```
   */
  has(name: PermissionName): boolean {
    return (this.#bits & bitOf(name)) !== 0;
  }

  /**
   * Sets or clears the named permission.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * const p = new Permissions(0);
   * p.set("container.type.view", true);
   * assert.equal(p.bits, 64);
   * ```
   */
  set(name: PermissionName, on: boolean): void {
    if (typeof on !== "boolean") {
      throw new ValidationError(`Permission "${name}" must be set to true or false`);
    }
    const bit = bitOf(name);
    this.#bits = on ? this.#bits | bit : this.#bits & ~bit;
  }

  /**
   * The names of the set permissions, in bit order.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.deepEqual(new Permissions(18).names(), ["container.decrypt", "access.modify"]);
   * ```
   */
  names(): PermissionName[] {
    return NAMES.filter((name) => this.has(name));
  }

  /**
   * The integer form, so that `+p` and comparisons work.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(+new Permissions(9), 9);
   * ```
   */
  valueOf(): number {
    return this.#bits;
  }

  /**
   * The integer form: permissions serialize as a number on the wire.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(JSON.stringify({ permissions: new Permissions(11) }), '{"permissions":11}');
   * ```
   */
  toJSON(): number {
    return this.#bits;
  }

  /**
   * The set names joined by ", ", or "none".
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Permissions } from "./permissions.ts";
   * assert.equal(new Permissions(0).toString(), "none");
   * assert.equal(new Permissions(96).toString(), "container.type.modify, container.type.view");
   * ```
   */
  toString(): string {
    const names = this.names();
    return names.length === 0 ? "none" : names.join(", ");
  }

  #containerView(): ContainerPermissions {
    const view = this.#flags({
      download: "container.download",
      decrypt: "container.decrypt",
      upload: "container.upload",
    }) as Omit<ContainerPermissions, "type">;
    const type = this.#flags({ modify: "container.type.modify", view: "container.type.view" });
    Object.defineProperty(view, "type", { value: Object.seal(type), enumerable: true });
    return Object.seal(view) as ContainerPermissions;
  }

  /** An object whose boolean properties read and write the named bits of this set. */
  #flags<K extends string>(names: Record<K, PermissionName>): Record<K, boolean> {
    const view = {} as Record<K, boolean>;
    for (const [property, name] of Object.entries(names) as Array<[K, PermissionName]>) {
      Object.defineProperty(view, property, {
        enumerable: true,
        get: () => this.has(name),
        set: (on: boolean) => this.set(name, on),
      });
    }
    return view;
  }
}

function bitOf(name: PermissionName): number {
  const bit = Object.hasOwn(PERMISSION_BITS, name) ? PERMISSION_BITS[name] : undefined;
  if (bit === undefined) {
    throw new ValidationError(`Unknown permission ${JSON.stringify(name)}`);
  }
  return bit;
}
