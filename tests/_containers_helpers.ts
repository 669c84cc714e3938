/** Fixtures of the containers SDK tests: users of one application on a real HTTP server. */
import { Arca, type ArcaOptions, type Session } from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

/** A password and passphrase that pass the default validators. */
export const PASSWORD = "Tr0ub4dor&3";
/** The passphrase of every test user. */
export const PASSPHRASE = "correct Horse battery 9";

/** An application with cheap key-file costs and its own root folder. */
export async function testApp(
  url: string,
  token: string,
  suite: SuiteName,
  options: ArcaOptions = {},
): Promise<Arca> {
  return await Arca.initialize(token, {
    serverUrl: url,
    rootDir: await Deno.makeTempDir({ prefix: "arca-containers-" }),
    suite,
    keyFileKdf: CHEAP_KDF,
    appName: "containers-test",
    ...options,
  });
}

/** `count` new users of `app`. */
export async function newUsers(app: Arca, count: number): Promise<Session[]> {
  const sessions: Session[] = [];
  for (let i = 0; i < count; i++) {
    sessions.push(await app.users.create(PASSWORD, "reminder", PASSPHRASE));
  }
  return sessions;
}

/** A `fetch` that lets a test rewrite JSON answers (a hostile server, seen from the client). */
export function rewritingFetch(
  rewrite: (url: URL, method: string, json: unknown) => unknown,
): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("application/json")) return response;
    const url = new URL(input instanceof Request ? input.url : String(input));
    const json = rewrite(url, init?.method ?? "GET", await response.json());
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(JSON.stringify(json), { status: response.status, headers });
  };
}

/** All of a stream's bytes' SHA-256, hex, reading it chunk by chunk. */
export async function streamDigest(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    total += chunk.length;
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...hash].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A deterministic pseudo-random stream of `size` bytes (64 KiB chunks). */
export function patternStream(size: number, seed = 1): ReadableStream<Uint8Array> {
  let sent = 0;
  let state = seed;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(65536, size - sent));
      for (let i = 0; i < chunk.length; i++) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        chunk[i] = state & 0xff;
      }
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}
