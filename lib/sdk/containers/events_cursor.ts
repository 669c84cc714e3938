/**
 * The events cursor of `getEvents`: the last event id a user has been given, kept at
 * `<rootDir>/arca/users/<user id>.events-cursor` (decimal text, written atomically, mode 0600).
 * Sessions keep theirs in memory with the `"server"` provider and sealed in the local cache
 * otherwise (`SessionCache`, docs/cache.md); the file form is kept for programs that want it.
 * With the `"server"` provider nothing is written: the cursor lives in the session only.
 *
 * @module
 */
import { join } from "node:path";
import { fromUtf8, utf8 } from "../../crypto/encoding.ts";
import { ValidationError } from "../../errors.ts";
import { readLocalFile, writeLocalFile } from "../_local_files.ts";
import { isUuid } from "../../protocol/ids.ts";

/**
 * The cursor file of a user under `rootDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventsCursorPath } from "./events_cursor.ts";
 * assert.equal(
 *   eventsCursorPath("/data", "0e8eb8c6-839f-46ca-9843-801c539e490f"),
 *   "/data/arca/users/0e8eb8c6-839f-46ca-9843-801c539e490f.events-cursor",
 * );
 * ```
 */
export function eventsCursorPath(rootDir: string, userId: string): string {
  if (!isUuid(userId)) throw new ValidationError(`User id must be a UUID, got "${userId}"`);
  return join(rootDir, "arca", "users", `${userId.toLowerCase()}.events-cursor`);
}

/**
 * The stored cursor (0 when there is none; a damaged file reads as 0, so events are given again
 * rather than lost).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readEventsCursor, writeEventsCursor } from "./events_cursor.ts";
 * const dir = await Deno.makeTempDir();
 * const id = crypto.randomUUID();
 * assert.equal(await readEventsCursor(dir, id), 0);
 * await writeEventsCursor(dir, id, 42);
 * assert.equal(await readEventsCursor(dir, id), 42);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readEventsCursor(rootDir: string, userId: string): Promise<number> {
  const bytes = await readLocalFile(eventsCursorPath(rootDir, userId));
  if (bytes === undefined) return 0;
  const value = Number(fromUtf8(bytes, "events cursor").trim());
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/**
 * Stores the cursor atomically (a temporary file renamed over the old one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readEventsCursor, writeEventsCursor } from "./events_cursor.ts";
 * const dir = await Deno.makeTempDir();
 * const id = crypto.randomUUID();
 * await writeEventsCursor(dir, id, 7);
 * assert.equal(await readEventsCursor(dir, id), 7);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeEventsCursor(
  rootDir: string,
  userId: string,
  eventId: number,
): Promise<void> {
  await writeLocalFile(eventsCursorPath(rootDir, userId), utf8(`${eventId}\n`));
}

/** Where the events cursor is kept: a file or memory ({@linkcode EventsCursor}), or the cache. */
export interface EventsCursorStore {
  /** The last event id the user was given (0: none). */
  read(userId: string): Promise<number>;
  /** Moves the cursor to `eventId` if that is forward. */
  advance(userId: string, eventId: number): Promise<void>;
}

/**
 * A user's events cursor: in its file under `rootDir`, or in memory (the `"server"` provider).
 * `getEvents` reads and moves it; `events.subscribe` starts from it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EventsCursor } from "./events_cursor.ts";
 * const cursor = new EventsCursor(".", false);
 * const id = crypto.randomUUID();
 * await cursor.advance(id, 5);
 * await cursor.advance(id, 3); // Never moves back.
 * assert.equal(await cursor.read(id), 5);
 * ```
 */
export class EventsCursor implements EventsCursorStore {
  readonly #rootDir: string;
  readonly #onDisk: boolean;
  readonly #memory = new Map<string, number>();

  /**
   * A cursor kept under `rootDir` (`onDisk`) or in memory.
   *
   * @example
   * ```ts
   * import { EventsCursor } from "./events_cursor.ts";
   * const cursor = new EventsCursor("./data", true);
   * ```
   */
  constructor(rootDir: string, onDisk: boolean) {
    this.#rootDir = rootDir;
    this.#onDisk = onDisk;
  }

  /** The last event id the user was given (0: none). */
  async read(userId: string): Promise<number> {
    if (!this.#onDisk) return this.#memory.get(userId) ?? 0;
    return await readEventsCursor(this.#rootDir, userId);
  }

  /** Moves the cursor to `eventId` if that is forward. */
  async advance(userId: string, eventId: number): Promise<void> {
    if (eventId <= await this.read(userId)) return;
    if (this.#onDisk) await writeEventsCursor(this.#rootDir, userId, eventId);
    else this.#memory.set(userId, eventId);
  }
}
