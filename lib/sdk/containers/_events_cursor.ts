/**
 * The events cursor of `getEvents`: the last event id a user has been given, kept at
 * `<rootDir>/arca/users/<user id>.events-cursor` (decimal text, written atomically, mode 0600).
 * With the `"server"` provider nothing is written: the cursor lives in the session only.
 *
 * @module
 */
import { join } from "node:path";
import { ValidationError } from "../../errors.ts";
import { isUuid } from "../../protocol/ids.ts";

/**
 * The cursor file of a user under `rootDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { eventsCursorPath } from "./_events_cursor.ts";
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
 * import { readEventsCursor, writeEventsCursor } from "./_events_cursor.ts";
 * const dir = await Deno.makeTempDir();
 * const id = crypto.randomUUID();
 * assert.equal(await readEventsCursor(dir, id), 0);
 * await writeEventsCursor(dir, id, 42);
 * assert.equal(await readEventsCursor(dir, id), 42);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readEventsCursor(rootDir: string, userId: string): Promise<number> {
  let text: string;
  try {
    text = await Deno.readTextFile(eventsCursorPath(rootDir, userId));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
  const value = Number(text.trim());
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/**
 * Stores the cursor atomically (a temporary file renamed over the old one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readEventsCursor, writeEventsCursor } from "./_events_cursor.ts";
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
  const path = eventsCursorPath(rootDir, userId);
  const folder = join(rootDir, "arca", "users");
  await Deno.mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = join(folder, `.${crypto.randomUUID()}.tmp`);
  try {
    await Deno.writeTextFile(temporary, `${eventId}\n`, { createNew: true, mode: 0o600 });
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
