/** Fixtures of the local cache tests: counted requests, a movable clock, cached rows. */
import { join } from "node:path";
import type { Session } from "../mod.ts";
import { CONTAINER_KIND } from "../lib/sdk/cache/cached_container.ts";

/** A `fetch` that counts the container requests (`/v1/arca/containers...`) it passes on. */
export function countingFetch(): { fetch: typeof fetch; containerRequests: () => number } {
  let count = 0;
  return {
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (new URL(url).pathname.startsWith("/v1/arca/containers")) count++;
      return fetch(input, init);
    },
    containerRequests: () => count,
  };
}

/** A clock the test moves (milliseconds since the epoch). */
export class MovableClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
}

/** Whether the session's cache holds a row for the container. */
export async function isCached(session: Session, containerId: string): Promise<boolean> {
  const store = await session.cache.store();
  return (await store.get(CONTAINER_KIND, containerId)) !== undefined;
}

/** Every file under `dir` (recursively), with its bytes. */
export async function filesUnder(dir: string): Promise<{ path: string; bytes: Uint8Array }[]> {
  const found: { path: string; bytes: Uint8Array }[] = [];
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) found.push({ path, bytes: await Deno.readFile(path) });
    }
  };
  await walk(dir);
  return found;
}

/** Whether `needle` occurs in `haystack`. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  const first = needle[0]!;
  for (let i = haystack.indexOf(first); i >= 0 && i <= haystack.length - needle.length;) {
    let match = true;
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        match = false;
        break;
      }
    }
    if (match) return true;
    i = haystack.indexOf(first, i + 1);
  }
  return false;
}
