// Two real server processes (`deno run server.ts`) on one fresh PostgreSQL database, started
// together: write on A, read on B; a TSV1 request replayed from A to B is refused; 50 parallel
// reads of a 5-view note spread over both succeed exactly 5 times; a revoked reader is refused on
// both at once; a file URL used on A cannot be used on B. Needs DATABASE_URL (ignored without it,
// failing in CI without it: tests/_postgres.ts).
import assert from "node:assert/strict";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { byteStream, fileUploadBody, randomBytes } from "./_file_helpers.ts";
import { postgresRun, withTestDatabase } from "./_postgres.ts";
import {
  assertError,
  call,
  type FakeClock,
  putEak,
  putPolicy,
  registerClient,
  type TestServer,
  writeRecord,
} from "./_server_helpers.ts";
import { noteBody, registeredHolder, signedCall } from "./_tsv1_helpers.ts";

const REGISTRATION_TOKEN = "multi-instance-registration-token";
const ADMIN_TOKEN = "multi-instance-admin-token";
const SERVER = new URL("../server.ts", import.meta.url).pathname;

interface Instance {
  server: TestServer;
  url: string;
  process: Deno.ChildProcess;
}

/** The system clock in the shape the helpers read (`clock.now`, microseconds). */
const systemClock = {
  get now() {
    return Date.now() * 1000;
  },
} as unknown as FakeClock;

/** Stops the server processes and waits for them. */
async function stopAll(instances: Instance[]): Promise<void> {
  for (const instance of instances) {
    instance.process.kill("SIGTERM");
    await instance.process.status;
  }
}

/** Starts `deno run server.ts` with `env`; resolves once it prints its URL. */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER],
    env: { ...env, ARCA_PORT: "0", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (true) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`server exited before listening:\n${seen}`);
    seen += value;
    const match = seen.match(/Arca listening on (http:\/\/\S+)/);
    if (match !== null) {
      // Keep draining its output so the process never blocks on a full pipe.
      (async () => {
        while (!(await lines.read()).done) { /* drained */ }
      })().catch(() => {});
      const url = match[1]!;
      const request = (path: string, init?: RequestInit) =>
        fetch(path.startsWith("http") ? path : `${url}${path}`, init);
      const server = {
        app: { request },
        clock: systemClock,
        registrationToken: REGISTRATION_TOKEN,
      } as unknown as TestServer;
      return { server, url, process };
    }
  }
}

Deno.test({
  name: "two server processes on one PostgreSQL database answer every request alike",
  ignore: postgresRun.ignore,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: (t) =>
    withTestDatabase(async (databaseUrl) => {
      const dataDir = await Deno.makeTempDir({ prefix: "arca-multi-" });
      const env = {
        ARCA_DATABASE_URL: databaseUrl,
        ARCA_DATABASE_POOL_SIZE: "4",
        ARCA_DATA_DIR: dataDir,
        ARCA_BLOB_STORE: "postgres",
        ARCA_REGISTRATION_TOKEN: REGISTRATION_TOKEN,
        ARCA_ADMIN_TOKEN: ADMIN_TOKEN,
        ARCA_FILE_URL_KEY: encodeBase64Url(crypto.getRandomValues(new Uint8Array(32))),
        PATH: Deno.env.get("PATH") ?? "",
        HOME: Deno.env.get("HOME") ?? "",
      };
      // Started together: the migrations run once, under the advisory lock.
      const starts = await Promise.allSettled([startInstance(env), startInstance(env)]);
      const instances = starts.flatMap((start) =>
        start.status === "fulfilled" ? [start.value] : []
      );
      const failed = starts.find((start) => start.status === "rejected");
      if (failed !== undefined) {
        await stopAll(instances);
        throw failed.reason;
      }
      const [a, b] = instances.map((instance) => instance.server) as [TestServer, TestServer];
      try {
        await t.step("write on A, read on B", async () => {
          const alice = await registerClient(a, "alice");
          const record = await writeRecord(a, alice, "notes", { tag: "x" });
          const read = await call(b, "GET", `/v1/storage/records/${record.meta.record_id}`, {
            token: alice.token,
          });
          assert.equal(read.status, 200, read.text);
          assert.deepEqual(read.json.data, record.data);
        });

        await t.step("a TSV1 request replayed from A to B is refused", async () => {
          const writer = await registeredHolder(a);
          const recipient = await registeredHolder(a);
          const body = await noteBody(writer, recipient, { secret: "s" });
          const nonce = crypto.randomUUID();
          const timestamp = Math.floor(Date.now() / 1000);
          const first = await signedCall(a, writer, "POST", "/v2/storage/notes", {
            body,
            nonce,
            timestamp,
          });
          assert.equal(first.status, 201, first.text);
          const replayed = await signedCall(b, writer, "POST", "/v2/storage/notes", {
            body,
            nonce,
            timestamp,
          });
          assertError(replayed, 401, /nonce was already used/);
        });

        await t.step(
          "50 parallel reads of a 5-view note over both succeed exactly 5 times",
          async () => {
            const writer = await registeredHolder(a);
            const recipient = await registeredHolder(b);
            const body = await noteBody(writer, recipient, { secret: "s" }, { max_views: 5 });
            const written = await signedCall(a, writer, "POST", "/v2/storage/notes", { body });
            assert.equal(written.status, 201, written.text);
            const noteId = written.json.note_id as string;
            const replies = await Promise.all(
              Array.from({ length: 50 }, (_, i) =>
                signedCall(
                  i % 2 === 0 ? a : b,
                  recipient,
                  "GET",
                  `/v2/storage/notes?note_id=${noteId}`,
                )),
            );
            const statuses = replies.map((reply) => reply.status);
            assert.equal(statuses.filter((s) => s === 200).length, 5, statuses.join(","));
            assert.equal(statuses.filter((s) => s === 404).length, 45, statuses.join(","));
            const viaA = replies.filter((r, i) => i % 2 === 0 && r.status === 200).length;
            assert.ok(viaA <= 5);
          },
        );

        await t.step("a revoked reader is refused on both at once", async () => {
          const writer = await registerClient(a, "writer");
          const reader = await registerClient(b, "reader");
          const record = await writeRecord(a, writer, "shared");
          assert.equal(
            (await putEak(a, writer, writer.clientId, reader.clientId, "shared")).status,
            201,
          );
          const allow = { allow: [{ read: {} }] };
          const granted = await putPolicy(
            a,
            writer,
            writer.clientId,
            reader.clientId,
            "shared",
            allow,
          );
          assert.ok([200, 201].includes(granted.status), granted.text);
          const path = `/v1/storage/records/${record.meta.record_id}`;
          for (const server of [a, b]) {
            // Both instances now hold the reader's bearer token in their caches.
            assert.equal((await call(server, "GET", path, { token: reader.token })).status, 200);
          }
          // Sharing revoked through B: A refuses the next read.
          const deny = { deny: [{ read: {} }] };
          const revoked = await putPolicy(
            b,
            writer,
            writer.clientId,
            reader.clientId,
            "shared",
            deny,
          );
          assert.ok([200, 201].includes(revoked.status), revoked.text);
          for (const server of [a, b]) {
            assertError(await call(server, "GET", path, { token: reader.token }), 403);
          }
          // The reader disabled through A: both refuse its cached token at once.
          const disabled = await call(
            a,
            "POST",
            `/v1/arca/admin/clients/${reader.clientId}/disable`,
            {
              token: ADMIN_TOKEN,
            },
          );
          assert.equal(disabled.status, 200, disabled.text);
          for (const server of [a, b]) {
            assertError(
              await call(server, "GET", `/v1/storage/records/${record.meta.record_id}`, {
                token: reader.token,
              }),
              401,
            );
          }
        });

        await t.step("a file URL used on A cannot be used on B", async () => {
          const owner = await registerClient(a, "owner");
          const bytes = randomBytes(300_000);
          const pending = await call(a, "POST", "/v1/storage/files", {
            token: owner.token,
            body: fileUploadBody(owner.clientId, bytes),
          });
          assert.equal(pending.status, 202, pending.text);
          // The upload URL is A's, signed with the shared key: B takes the bytes.
          const uploadOnB = pending.json.file_url.replace(instances[0]!.url, instances[1]!.url);
          const put = await fetch(uploadOnB, {
            method: "PUT",
            body: byteStream(bytes),
            duplex: "half",
          } as RequestInit);
          assert.equal(put.status, 200, await put.text());
          const committed = await call(a, "PATCH", `/v1/storage/files/${pending.json.id}`, {
            token: owner.token,
          });
          assert.equal(committed.status, 201, committed.text);
          const got = await call(b, "GET", `/v1/storage/files/${committed.json.meta.record_id}`, {
            token: owner.token,
          });
          assert.equal(got.status, 200, got.text);
          const url = got.json.meta.file_meta.file_url as string;
          const onA = url.replace(instances[1]!.url, instances[0]!.url);
          const onB = url.replace(instances[0]!.url, instances[1]!.url);
          const first = await fetch(onA);
          assert.equal(first.status, 200);
          assert.deepEqual(new Uint8Array(await first.arrayBuffer()), bytes);
          const again = await fetch(onB);
          assert.equal(again.status, 403);
          assert.match((await again.json()).error, /already been used/);
        });
      } finally {
        await stopAll(instances);
        await Deno.remove(dataDir, { recursive: true });
      }
    }),
});
