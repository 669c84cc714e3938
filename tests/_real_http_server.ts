/**
 * A real server for tests (a random loopback port, an in-memory store, blobs in a temporary
 * folder) shaped like the in-process {@linkcode TestServer}, so the `call` and
 * `registerClient` helpers send their requests over real HTTP.
 */
import { createRegistrationToken } from "../lib/server/_bootstrap.ts";
import { startServer, type StartServerOptions } from "../lib/server/start_server.ts";
import { FsBlobStore } from "../lib/store/fs_blob_store.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import { join } from "node:path";
import { FakeClock, type TestServer } from "./_server_helpers.ts";
import { openTestStore } from "./_test_store.ts";

/** A running server reached over HTTP, with its store, blobs and base URL. */
export interface RealHttpServer extends TestServer {
  url: string;
  blobs: FsBlobStore;
  storePath: string;
}

/**
 * Starts a real server with `options` (store, blobs, clock and port are filled in). The store is
 * the test backend's (`_test_store.ts`), or with `onDisk` a SQLite file (`RealHttpServer.storePath`) that a test may open
 * beside the server.
 */
export async function realHttpServer(
  options: Omit<StartServerOptions, "store" | "blobs" | "port"> = {},
  onDisk = false,
): Promise<RealHttpServer> {
  const dir = await Deno.makeTempDir({ prefix: "arca-http-test-" });
  const storePath = onDisk ? join(dir, "arca.sqlite3") : ":memory:";
  const store = onDisk ? await openSqliteStore(storePath) : await openTestStore();
  const clock = new FakeClock();
  const blobs = new FsBlobStore(join(dir, "blobs"), { durable: false });
  const { token } = await createRegistrationToken(
    store,
    { oneTime: false, name: "tests" },
    clock.read(),
  );
  const server = await startServer({
    ...options,
    store,
    blobs,
    port: 0,
    hostname: "127.0.0.1",
    clock: clock.read,
    print: () => {},
  });
  const request = (path: string, init?: RequestInit) =>
    fetch(path.startsWith("http") ? path : `${server.url}${path}`, init);
  return {
    app: { request } as unknown as TestServer["app"],
    store,
    clock,
    registrationToken: token,
    url: server.url,
    blobs,
    storePath,
    async close() {
      await server.shutdown();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Sends `body` to an absolute or server-relative URL with no Authorization header. */
export async function sendBytes(
  server: RealHttpServer,
  method: string,
  url: string,
  body?: Uint8Array | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: unknown }> {
  const response = await server.app.request(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: body as BodyInit }),
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
