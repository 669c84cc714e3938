/**
 * A container as the local cache keeps it (sealed in its row; docs/cache.md, "Rows"): the clear
 * metadata, the access list as the user saw it, the opened header, and whether the content is
 * kept (the opened content is the row's part).
 *
 * @module
 */
import { Access, type AccessJson } from "../../protocol/access.ts";
import { Container } from "../container.ts";
import type { SuiteName } from "../../crypto/suite.ts";

/** The row kind of cached containers. */
export const CONTAINER_KIND = "container";

/**
 * Content read from the server as a stream is cached only up to this length (it is read into
 * memory to be kept); longer content is cached without it and read from the server. Content
 * already in memory (small containers, writes of bytes or text) is always kept.
 */
export const MAX_CACHED_CONTENT_BYTES = 1024 * 1024;

/** The JSON a container row holds. */
export interface CachedContainer {
  /** Container id. */
  id: string;
  /** Suite of its parts. */
  suite: SuiteName;
  /** Clear type, or `null`. */
  type: string | null;
  /** Version. */
  version: number;
  /** Milliseconds since the epoch, or `null`. */
  createdAt: number | null;
  /** Creator. */
  createdBy: string | null;
  /** Milliseconds since the epoch, or `null`. */
  modifiedAt: number | null;
  /** Last writer. */
  modifiedBy: string | null;
  /** Declared plaintext length. */
  length: number | null;
  /** The access list the user saw. */
  access: AccessJson[];
  /** The opened header (`null`: none or not visible). */
  header: unknown;
  /** `kept`: the part holds the content; `none`: no content visible; `absent`: not cached. */
  content: "kept" | "none" | "absent";
}

/**
 * The row of an opened container: its JSON and the content bytes to keep: content in memory, or
 * a stream no longer than {@linkcode MAX_CACHED_CONTENT_BYTES} read now (unless `readStreams`
 * is `false`, as after a write, where it would be downloaded again).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cachedContainer } from "./cached_container.ts";
 * import { Container } from "../container.ts";
 * const { row, part } = await cachedContainer(new Container({ content: "hi", header: { a: 1 } }));
 * assert.equal(row.content, "kept");
 * assert.deepEqual(part, new TextEncoder().encode("hi"));
 * ```
 */
export async function cachedContainer(
  container: Container,
  readStreams = true,
): Promise<{ row: CachedContainer; part: Uint8Array | null }> {
  const content = container.content;
  const small = readStreams && container.length !== null &&
    container.length <= MAX_CACHED_CONTENT_BYTES;
  const part = content === null ? null : content.inMemory ?? (small ? await content.bytes() : null);
  return {
    row: {
      id: container.id,
      suite: container.suite,
      type: container.type,
      version: container.version,
      createdAt: container.createdAt?.getTime() ?? null,
      createdBy: container.createdBy,
      modifiedAt: container.modifiedAt?.getTime() ?? null,
      modifiedBy: container.modifiedBy,
      length: container.length,
      access: (container.access ?? []).map((access) => access.toJSON()),
      header: container.header ?? null,
      content: content === null ? "none" : part === null ? "absent" : "kept",
    },
    part,
  };
}

/**
 * The {@linkcode Container} of a cached row (with the parts `portion` asks for).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cachedContainer, containerOfRow } from "./cached_container.ts";
 * import { Container } from "../container.ts";
 * const { row, part } = await cachedContainer(new Container({ content: "hi" }));
 * const back = containerOfRow(row, part, "all");
 * assert.equal(await back.content!.text(), "hi");
 * ```
 */
export function containerOfRow(
  row: CachedContainer,
  part: Uint8Array | null,
  portion: "all" | "content" | "header" | "metadata",
): Container {
  const header = portion === "all" || portion === "header" ? row.header : null;
  const content = (portion === "all" || portion === "content") && part !== null ? part : null;
  return new Container({
    id: row.id,
    suite: row.suite,
    type: row.type,
    version: row.version,
    createdAt: row.createdAt === null ? null : new Date(row.createdAt),
    createdBy: row.createdBy,
    modifiedAt: row.modifiedAt === null ? null : new Date(row.modifiedAt),
    modifiedBy: row.modifiedBy,
    length: row.length,
    access: row.access.map((entry) => Access.fromJSON(entry)),
    header,
    content,
  });
}

/**
 * Whether a cached row may serve `portion`: its content must be kept for `all` and `content`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { servesPortion } from "./cached_container.ts";
 * assert.equal(servesPortion({ content: "absent" }, "header"), true);
 * assert.equal(servesPortion({ content: "absent" }, "all"), false);
 * ```
 */
export function servesPortion(row: Pick<CachedContainer, "content">, portion: string): boolean {
  return row.content !== "absent" || portion === "header" || portion === "metadata";
}

/**
 * The user's own access in a row is missing or has expired at `nowMs`: the row must not be
 * served (and is purged).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { accessEnded } from "./cached_container.ts";
 * const id = crypto.randomUUID();
 * const row = { access: [{ user_id: id, permissions: 127, expiration: 2_000_000 }] };
 * assert.equal(accessEnded(row, id, 1999), false); // ms against µs
 * assert.equal(accessEnded(row, id, 2000), true);
 * assert.equal(accessEnded(row, crypto.randomUUID(), 1), true);
 * ```
 */
export function accessEnded(
  row: Pick<CachedContainer, "access">,
  userId: string,
  nowMs: number,
): boolean {
  const own = row.access.find((entry) => entry.user_id === userId);
  return own === undefined || (own.expiration !== null && own.expiration <= nowMs * 1000);
}
