/**
 * The {@linkcode Container} value: clear metadata and two parts, a JSON header and byte
 * content, either plain or sealed. It seals and opens itself without a server
 * (`encrypt(keys?)` / `decrypt(keys)`); the SDK's network API moves its sealed parts.
 *
 * @module
 */
import { IntegrityError, ValidationError } from "../errors.ts";
import {
  ContainerKeys,
  parseContainerId,
  parseContainerVersion,
} from "../crypto/container_keys.ts";
import {
  decryptContainerContent,
  encryptContainerContent,
  openContainerContent,
  openContainerHeader,
  sealContainerContent,
  sealContainerHeader,
} from "../crypto/container_parts.ts";
import type { CryptoSuite, SuiteName } from "../crypto/suite.ts";
import { getSuite } from "../crypto/suites.ts";
import type { Access } from "../protocol/access.ts";
import { ContainerContent, type ContentSource } from "./container_content.ts";

/** A container's parts while sealed. */
export interface SealedContainerParts {
  /** The sealed header (`nonce ‖ ciphertext ‖ tag`), or `null` for none or not served. */
  header: Uint8Array | null;
  /** The sealed content (chunked stream format), or `null` for none or not served. */
  content: ContainerContent | null;
}

/** What a {@linkcode Container} is made from; everything but the id is optional. */
export interface ContainerInit {
  /** The container id (a UUID); default: a fresh random one. */
  id?: string;
  /** The cipher suite its parts are sealed with; default `"Sodium"`. */
  suite?: SuiteName;
  /** Clear type metadata, or `null`. */
  type?: string | null;
  /** The version the parts belong to (≥ 1); default 1. */
  version?: number;
  /** The plain header: any JSON value (`null`: none). */
  header?: unknown;
  /** The plain content (`null`: none). */
  content?: ContentSource | ContainerContent | null;
  /** The sealed parts, for a container still encrypted (then no plain header or content). */
  sealed?: SealedContainerParts | null;
  /** When it was created. */
  createdAt?: Date | null;
  /** Who created it. */
  createdBy?: string | null;
  /** When it last changed. */
  modifiedAt?: Date | null;
  /** Who changed it last. */
  modifiedBy?: string | null;
  /** The plaintext content length the writer declared. */
  length?: number | null;
  /** The access list as the caller may see it. */
  access?: Access[] | null;
}

/**
 * A container: clear metadata, a JSON header and byte content. Parts the caller may not see are
 * `null`. Sealing and opening are local; every failed check is an `IntegrityError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Container } from "./container.ts";
 * const container = new Container({ header: { title: "Q3" }, content: "report", type: "doc" });
 * const keys = await container.encrypt();
 * assert.equal(container.isEncrypted, true);
 * assert.equal(container.header, null);
 * await container.decrypt(keys);
 * assert.deepEqual(container.header, { title: "Q3" });
 * assert.equal(await container.content!.text(), "report");
 * ```
 */
export class Container {
  /** The container id, a lower-case UUID. */
  readonly id: string;
  /** The cipher suite of its sealed parts. */
  readonly suite: SuiteName;
  /** Clear type metadata (`null`: none or hidden from the caller). */
  type: string | null;
  /** The version its parts belong to. */
  version: number;
  /** The plain header (`null`: none, hidden, or still sealed). */
  header: unknown;
  /** The plain content (`null`: none, hidden, or still sealed). */
  content: ContainerContent | null;
  /** The sealed parts while encrypted, else `null`. */
  sealed: SealedContainerParts | null;
  /** When it was created (`null` before the server saw it). */
  createdAt: Date | null;
  /** Who created it. */
  createdBy: string | null;
  /** When it last changed. */
  modifiedAt: Date | null;
  /** Who changed it last. */
  modifiedBy: string | null;
  /** The plaintext content length (declared by the writer); checked when content is opened. */
  length: number | null;
  /** The access list as the caller may see it (`null`: unknown). */
  access: Access[] | null;

  /**
   * A container from its parts; throws `ValidationError` on a bad id, version or content, or
   * plain parts given together with sealed ones.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Container } from "./container.ts";
   * const container = new Container({ content: new Uint8Array([1, 2, 3]) });
   * assert.equal(container.version, 1);
   * assert.equal(container.length, 3);
   * assert.equal(container.suite, "Sodium");
   * ```
   */
  constructor(init: ContainerInit = {}) {
    this.id = parseContainerId(init.id ?? crypto.randomUUID());
    if (init.suite !== undefined && init.suite !== "Sodium" && init.suite !== "NIST") {
      throw new ValidationError(`Container suite must be "Sodium" or "NIST", got "${init.suite}"`);
    }
    this.suite = init.suite ?? "Sodium";
    this.type = init.type ?? null;
    this.version = parseContainerVersion(init.version ?? 1);
    this.header = init.header ?? null;
    this.content = contentOf(init.content ?? null);
    this.sealed = init.sealed ?? null;
    if (this.sealed !== null && (this.header !== null || this.content !== null)) {
      throw new ValidationError("A sealed container cannot also have a plain header or content");
    }
    this.createdAt = init.createdAt ?? null;
    this.createdBy = init.createdBy ?? null;
    this.modifiedAt = init.modifiedAt ?? null;
    this.modifiedBy = init.modifiedBy ?? null;
    this.length = init.length ?? this.content?.length ?? null;
    this.access = init.access ?? null;
  }

  /**
   * Whether the parts are sealed (after {@linkcode encrypt}, before {@linkcode decrypt}).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Container } from "./container.ts";
   * assert.equal(new Container().isEncrypted, false);
   * ```
   */
  get isEncrypted(): boolean {
    return this.sealed !== null;
  }

  /**
   * Seals the header and content under `keys` (default: fresh keys for this id and version) and
   * returns the keys. In-memory content is sealed now; stream content as it is read.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Container } from "./container.ts";
   * const container = new Container({ suite: "NIST", content: "secret" });
   * const keys = await container.encrypt();
   * assert.equal(keys.containerId, container.id);
   * assert.equal(container.content, null);
   * assert.ok(container.sealed!.content!.length! > 6);
   * ```
   */
  async encrypt(keys?: ContainerKeys): Promise<ContainerKeys> {
    if (this.sealed !== null) throw new ValidationError("The container is already encrypted");
    keys ??= ContainerKeys.generate(this.id, this.version);
    this.#requireKeys(keys);
    const suite = await getSuite(this.suite);
    const header = this.header === null
      ? null
      : await sealContainerHeader(suite, keys, this.header);
    const content = this.content === null ? null : await sealContent(suite, keys, this.content);
    if (this.content?.length != null) this.length = this.content.length;
    this.sealed = { header, content };
    this.header = null;
    this.content = null;
    return keys;
  }

  /**
   * Opens the sealed parts with `keys`. The header and in-memory content are checked now
   * (`IntegrityError` before anything is set); stream content is checked as it is read, and its
   * stream errors with `IntegrityError` on any failed chunk or a length other than declared.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Container } from "./container.ts";
   * import { ContainerKeys } from "../crypto/container_keys.ts";
   * const container = new Container({ header: "h" });
   * await container.encrypt();
   * await assert.rejects(
   *   container.decrypt(ContainerKeys.generate(container.id, 1)),
   *   { name: "IntegrityError" },
   * );
   * assert.equal(container.isEncrypted, true);
   * ```
   */
  async decrypt(keys: ContainerKeys): Promise<void> {
    if (this.sealed === null) throw new ValidationError("The container is not encrypted");
    this.#requireKeys(keys);
    const suite = await getSuite(this.suite);
    const sealed = this.sealed;
    const header = sealed.header === null
      ? null
      : await openContainerHeader(suite, keys, sealed.header);
    const content = sealed.content === null
      ? null
      : await this.#openContent(suite, keys, sealed.content);
    this.header = header;
    this.content = content;
    this.sealed = null;
  }

  #requireKeys(keys: ContainerKeys): void {
    if (!(keys instanceof ContainerKeys)) {
      throw new ValidationError("Container keys must be a ContainerKeys");
    }
    if (keys.containerId !== this.id || keys.version !== this.version) {
      throw new ValidationError(
        `${keys} do not belong to container ${this.id} version ${this.version}`,
      );
    }
  }

  async #openContent(
    suite: CryptoSuite,
    keys: ContainerKeys,
    sealed: ContainerContent,
  ): Promise<ContainerContent> {
    const bytes = sealed.inMemory;
    if (bytes !== undefined) {
      const plain = await openContainerContent(suite, keys, bytes);
      requireLength(plain.length, this.length);
      return new ContainerContent(plain);
    }
    const opened = sealed.stream().pipeThrough(await decryptContainerContent(suite, keys));
    return new ContainerContent(opened.pipeThrough(lengthCheck(this.length)));
  }
}

function contentOf(content: ContentSource | ContainerContent | null): ContainerContent | null {
  if (content === null || content instanceof ContainerContent) return content;
  return new ContainerContent(content);
}

async function sealContent(
  suite: CryptoSuite,
  keys: ContainerKeys,
  content: ContainerContent,
): Promise<ContainerContent> {
  const bytes = content.inMemory;
  if (bytes !== undefined) {
    return new ContainerContent(await sealContainerContent(suite, keys, bytes));
  }
  return new ContainerContent(
    content.stream().pipeThrough(await encryptContainerContent(suite, keys)),
  );
}

function requireLength(actual: number, declared: number | null): void {
  if (declared !== null && actual !== declared) {
    throw new IntegrityError(
      `Container content is ${actual} bytes, but its declared length is ${declared}`,
    );
  }
}

/** Passes bytes through; errors at the end when their total differs from `declared`. */
function lengthCheck(declared: number | null): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.length;
      controller.enqueue(chunk);
    },
    flush() {
      requireLength(total, declared);
    },
  });
}
