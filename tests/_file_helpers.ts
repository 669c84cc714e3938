/** Fixtures of the large-file tests: random bytes of any size, byte streams, a server with blobs. */
import { fileChecksum } from "../lib/crypto/file_checksum.ts";
import { createApp } from "../lib/server/app.ts";
import { createRegistrationToken } from "../lib/server/_bootstrap.ts";
import type { ServerSettings } from "../lib/server/settings.ts";
import { FsBlobStore } from "../lib/store/fs_blob_store.ts";
import { join } from "node:path";
import { startServer } from "../lib/server/start_server.ts";
import { FakeClock, type TestServer } from "./_server_helpers.ts";
import { TEST_ADMIN_TOKEN, TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";
import { openTestStore } from "./_test_store.ts";

/** `length` random bytes (getRandomValues fills at most 64 KiB per call). */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65536)));
  }
  return bytes;
}

/** `bytes` as a stream of `piece`-sized copies. */
/** The `POST /v1/storage/files` body announcing `bytes` as a raw file of `writerId`. */
export function fileUploadBody(writerId: string, bytes: Uint8Array) {
  return {
    meta: {
      writer_id: writerId,
      user_id: writerId,
      type: "large_files",
      plain: {},
      file_meta: { ...fileChecksum(bytes), compression: "raw" },
    },
    data: {},
  };
}

export function byteStream(bytes: Uint8Array, piece = 16384): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + piece));
      offset += piece;
    },
  });
}

/** A test server whose app has a blob store in a fresh temporary directory. */
export interface FileTestServer extends TestServer {
  blobs: FsBlobStore;
  blobsDir: string;
}

/** Opens an in-memory server with a temporary blob directory. */
export async function fileTestServer(settings: ServerSettings = {}): Promise<FileTestServer> {
  const store = await openTestStore();
  const clock = new FakeClock();
  const { token } = await createRegistrationToken(
    store,
    { oneTime: false, name: "tests" },
    clock.read(),
  );
  const blobsDir = await Deno.makeTempDir({ prefix: "arca-file-test-" });
  const blobs = new FsBlobStore(blobsDir, { durable: false });
  const app = createApp({ store, clock: clock.read, settings, blobs });
  return {
    app,
    store,
    clock,
    registrationToken: token,
    blobs,
    blobsDir,
    async close() {
      await store.close();
      await Deno.remove(blobsDir, { recursive: true });
    },
  };
}

/** A real server with a blob store, as {@linkcode withFileServer} hands it out. */
export interface FileServer {
  url: string;
  blobs: FsBlobStore;
  dir: string;
}

/** Runs `body` with a real server (random loopback port) whose blobs live in a temporary folder. */
export async function withFileServer(body: (server: FileServer) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "arca-files-sdk-" });
  const store = await openTestStore();
  const blobs = new FsBlobStore(join(dir, "blobs"), { durable: false });
  const server = await startServer({
    store,
    blobs,
    port: 0,
    hostname: "127.0.0.1",
    registrationToken: TEST_REGISTRATION_TOKEN,
    adminToken: TEST_ADMIN_TOKEN,
    print: () => {},
  });
  try {
    await body({ url: server.url, blobs, dir });
  } finally {
    await server.shutdown();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}
