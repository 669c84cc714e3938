/**
 * The SDK in a real browser (headless Chromium, tests/_browser.ts) from the committed bundle
 * `console/dist/arca.js`, against a real Arca server, both suites: records cross between the page
 * and the Deno SDK both ways; credentials kept in IndexedDB survive a reload; the IndexedDB cache
 * serves a container offline, holds no plaintext, and a tampered row or part is an
 * IntegrityError. The page is served on the server's origin (request interception), so no CORS.
 */
import assert from "node:assert/strict";
import { type Arca, Client, type Session } from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { browserIgnored, openPageAt, type Page, withPage } from "./_browser.ts";
import { PASSPHRASE, PASSWORD } from "./_containers_helpers.ts";
import { type RealHttpServer, realHttpServer } from "./_real_http_server.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

/** The bundle's exports, as the page has them in `globalThis.arca` (functions given to
 * `page.evaluate` run in the page: they reach it through `globalThis` only). */
type ArcaModule = typeof import("../mod.ts");

const BUNDLE = new URL("../console/dist/arca.js", import.meta.url);
const SUITES: SuiteName[] = ["Sodium", "NIST"];

/** A blank page and the bundle, served under `/__arca_test/`. */
async function arcaPageFiles() {
  return {
    "/__arca_test/index.html": {
      type: "text/html",
      body: '<!doctype html><title>Arca</title><link rel=icon href="data:,">',
    },
    "/__arca_test/arca.js": { type: "text/javascript", body: await Deno.readFile(BUNDLE) },
  };
}

/** Opens a blank page on `origin` with the bundle imported as `globalThis.arca`. */
async function openArca(page: Page, origin: string, offline?: () => boolean): Promise<void> {
  await openPageAt(page, origin, await arcaPageFiles(), "/__arca_test/index.html", offline);
  await importArca(page);
}

async function importArca(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const arca = await import("/__arca_test/arca.js");
    (globalThis as unknown as { arca: ArcaModule }).arca = arca;
  });
}

/** What a browser test gets: the page (with `globalThis.arca`), the server, a network switch. */
interface BrowserWorld {
  page: Page;
  server: RealHttpServer;
  /** From now on every request but the page's own files fails as if the network were down. */
  goOffline(): void;
}

/** A test in Chromium against a real server, on a page of the server's origin with the bundle. */
function browserTest(name: string, fn: (world: BrowserWorld) => Promise<void>): void {
  Deno.test({
    name,
    ignore: browserIgnored,
    fn: async () => {
      const server = await realHttpServer();
      let offline = false;
      try {
        await withPage(async (page) => {
          await openArca(page, server.url, () => offline);
          await fn({ page, server, goOffline: () => (offline = true) });
        });
      } finally {
        await server.close();
      }
    },
  });
}

/** Registers a client of `suite` in the page and writes its credentials to IndexedDB. */
async function registerInPage(
  page: Page,
  token: string,
  suite: SuiteName,
  profile: string,
): Promise<string> {
  return await page.evaluate(
    async (token, suite, profile) => {
      const { Client } = (globalThis as unknown as { arca: ArcaModule }).arca;
      const { config } = await Client.register(
        token,
        `page-${suite}`,
        await Client.generateKeypair(suite),
        {
          apiUrl: location.origin,
          signingKeys: await Client.generateSigningKeypair(suite),
        },
      );
      await config.write(profile);
      return config.clientId;
    },
    token,
    suite,
    profile,
  );
}

/** Registers a client of `suite` with the Deno SDK. */
async function denoClient(url: string, token: string, suite: SuiteName): Promise<Client> {
  const { config } = await Client.register(
    token,
    `deno-${suite}`,
    await Client.generateKeypair(suite),
    {
      apiUrl: url,
      signingKeys: await Client.generateSigningKeypair(suite),
    },
  );
  return new Client(config);
}

for (const suite of SUITES) {
  browserTest(
    `browser (${suite}): a record written in the page is read by Deno, and back`,
    async ({ page, server }) => {
      const deno = await denoClient(server.url, server.registrationToken, suite);
      const pageId = await registerInPage(page, server.registrationToken, suite, "writer");

      const written = await page.evaluate(async (readerId) => {
        const { Client, Config } = (globalThis as unknown as { arca: ArcaModule }).arca;
        const client = new Client(await Config.load("writer"));
        const record = await client.write("from-page", { text: "written in the page" }, {
          place: "browser",
        });
        await client.share("from-page", readerId);
        return record.meta.recordId;
      }, deno.config.clientId);
      const read = await deno.read(written);
      assert.deepEqual(read.data, { text: "written in the page" });
      assert.equal(read.meta.writerId, pageId);

      const record = await deno.write("from-deno", { text: "written by Deno" }, {});
      await deno.share("from-deno", pageId);
      const inPage = await page.evaluate(async (recordId) => {
        const { Client, Config } = (globalThis as unknown as { arca: ArcaModule }).arca;
        const client = new Client(await Config.load("writer"));
        const read = await client.read(recordId);
        return { data: read.data, suite: client.config.cryptoSuite };
      }, record.meta.recordId);
      assert.deepEqual(inPage, { data: { text: "written by Deno" }, suite });
    },
  );
}

browserTest(
  "browser: files from a Blob's stream and to a WritableStream; paths are refused",
  async ({ page, server }) => {
    const deno = await denoClient(server.url, server.registrationToken, "Sodium");
    await registerInPage(page, server.registrationToken, "Sodium", "files");
    const inPage = await page.evaluate(async (readerId) => {
      const { Client, Config } = (globalThis as unknown as { arca: ArcaModule }).arca;
      const client = new Client(await Config.load("files"));
      const bytes = new Uint8Array(300_000).map((_, i) => (i * 13) % 251);
      const record = await client.writeFile("scan", new Blob([bytes]).stream(), {
        name: "scan.bin",
      });
      await client.share("scan", readerId);
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      await client.readFile(
        record.meta.recordId,
        new WritableStream({
          write: (c: Uint8Array<ArrayBuffer>) => {
            chunks.push(c);
          },
        }),
      );
      const back = new Uint8Array(await new Blob(chunks).arrayBuffer());
      const refused = await client.writeFile("scan", "/etc/hostname").then(
        () => "written",
        (error) => `${error.name}: ${error.message}`,
      );
      return {
        recordId: record.meta.recordId,
        same: back.every((b, i) => b === bytes[i]) && back.length === bytes.length,
        refused,
      };
    }, deno.config.clientId);
    assert.equal(inPage.same, true);
    assert.match(inPage.refused, /^ValidationError: Cannot use the file path/);
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    await deno.readFile(
      inPage.recordId,
      new WritableStream({
        write: (c: Uint8Array<ArrayBuffer>) => {
          chunks.push(c);
        },
      }),
    );
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    assert.equal(bytes.length, 300_000);
    assert.ok(bytes.every((b, i) => b === (i * 13) % 251), "Deno reads the page's file");
  },
);

browserTest(
  "browser: a container from a stream of unknown length waits in a Blob, then uploads",
  async ({ page, server }) => {
    const result = await page.evaluate(
      async (token, kdf, password, passphrase) => {
        const { Arca } = (globalThis as unknown as { arca: ArcaModule }).arca;
        const app = await Arca.initialize(token, {
          serverUrl: location.origin,
          rootDir: "stream-data",
          provider: "server",
          keyFileKdf: kdf,
        });
        const user = await app.users.create(password, "reminder", passphrase);
        const size = 1_500_000; // Over the 1 MiB inline limit: uploaded apart.
        const chunk = new Uint8Array(100_000).fill(5);
        let sent = 0;
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= size) return controller.close();
            controller.enqueue(chunk.slice());
            sent += chunk.length;
          },
        });
        const made = await user.containers.create(stream);
        const read = await (await user.containers.get(made.id)).content!.bytes();
        return { length: read.length, fives: read.every((b) => b === 5) };
      },
      server.registrationToken,
      CHEAP_KDF,
      PASSWORD,
      PASSPHRASE,
    );
    assert.deepEqual(result, { length: 1_500_000, fives: true });
  },
);

browserTest(
  "browser: credentials kept in IndexedDB survive a reload; a profile is never replaced",
  async ({ page, server }) => {
    const clientId = await registerInPage(page, server.registrationToken, "Sodium", "keep");
    const recordId = await page.evaluate(async () => {
      const { Client, Config } = (globalThis as unknown as { arca: ArcaModule }).arca;
      const client = new Client(await Config.load("keep"));
      return (await client.write("kept", { n: "1" }, {})).meta.recordId;
    });
    await page.reload();
    await importArca(page);
    const after = await page.evaluate(async (recordId) => {
      const { Client, Config } = (globalThis as unknown as { arca: ArcaModule }).arca;
      const config = await Config.load("keep");
      const read = await new Client(config).read(recordId);
      const refused = await config.write("keep").then(() => "written", (e) => e.name);
      const missing = await Config.load("nobody").then(() => "found", (e) => e.name);
      return { clientId: config.clientId, data: read.data, refused, missing };
    }, recordId);
    assert.deepEqual(after, {
      clientId,
      data: { n: "1" },
      refused: "ConflictError",
      missing: "NotFoundError",
    });
  },
);

browserTest(
  "browser: the IndexedDB cache serves a container while the server is unreachable",
  async ({ page, server, goOffline }) => {
    const containerId = await page.evaluate(
      async (token, kdf, password, passphrase) => {
        const { Arca } = (globalThis as unknown as { arca: ArcaModule }).arca;
        const app = await Arca.initialize(token, {
          serverUrl: location.origin,
          rootDir: "arca-data",
          keyFileKdf: kdf,
        });
        const user = await app.users.create(password, "reminder", passphrase);
        const container = await user.containers.create("kept for offline", {
          header: { n: 1 },
        });
        (globalThis as unknown as { user: typeof user }).user = user;
        return container.id;
      },
      server.registrationToken,
      CHEAP_KDF,
      PASSWORD,
      PASSPHRASE,
    );

    goOffline();
    const read = await page.evaluate(async (id) => {
      const { user } = globalThis as unknown as { user: Session };
      const container = await user.containers.get(id);
      const write = await user.containers.create("not now").then(
        () => "written",
        (e) => e.message,
      );
      return { text: await container.content!.text(), header: container.header, write };
    }, containerId);
    assert.equal(read.text, "kept for offline");
    assert.deepEqual(read.header, { n: 1 });
    assert.match(read.write, /Cannot reach/);

    const stored = await page.evaluate(READ_INDEXED_DB);
    assert.ok(stored.some((entry) => entry.key.includes("/store.db/")), "rows in IndexedDB");
    for (const entry of stored) {
      assert.ok(!entry.text.includes("kept for offline"), `plaintext in ${entry.key}`);
    }
  },
);

for (const suite of SUITES) {
  browserTest(
    `browser (${suite}): a tampered IndexedDB row or part is an IntegrityError (ofs)`,
    async ({ page }) => {
      await page.evaluate(
        async (suite, kdf, password, passphrase) => {
          const { Arca } = (globalThis as unknown as { arca: ArcaModule }).arca;
          const app = await Arca.initialize("", {
            rootDir: "ofs-data",
            provider: "ofs",
            suite,
            keyFileKdf: kdf,
          });
          const user = await app.users.create(password, "reminder", passphrase);
          const small = await user.containers.create("small");
          const large = await user.containers.create(new Uint8Array(150_000).fill(7));
          Object.assign(globalThis, {
            app,
            ids: { user: user.userId, small: small.id, large: large.id },
          });
          await user.logout();
        },
        suite,
        CHEAP_KDF,
        PASSWORD,
        PASSPHRASE,
      );

      const damaged = await page.evaluate(damageIndexedDb, "/parts/");
      assert.equal(damaged, 1, "one part entry");
      const afterParts = await page.evaluate(readBoth, PASSWORD);
      assert.deepEqual(afterParts, { small: "small", large: "IntegrityError" });

      assert.ok(await page.evaluate(damageIndexedDb, "/store.db/") >= 2, "row entries");
      const afterRows = await page.evaluate(readBoth, PASSWORD);
      assert.deepEqual(afterRows, { small: "IntegrityError", large: "IntegrityError" });
    },
  );
}

/** In the page: logs in again and reads both containers (text, or the error's name). */
async function readBoth(password: string): Promise<{ small: string; large: string }> {
  const { app, ids } = globalThis as unknown as {
    app: Arca;
    ids: { user: string; small: string; large: string };
  };
  const session = await app.login(ids.user, { password });
  const read = (id: string) =>
    session.containers.get(id).then(
      async (container) => await container.content!.text(),
      (error: Error) => error.name,
    );
  const result = { small: await read(ids.small), large: await read(ids.large) };
  await session.logout();
  return result;
}

/** In the page: every entry of the SDK's IndexedDB store, its key and its bytes as text. */
const READ_INDEXED_DB = `new Promise((resolve, reject) => {
  const open = indexedDB.open("arca", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const entries = [];
    const cursor = open.result.transaction("files").objectStore("files").openCursor();
    cursor.onerror = () => reject(cursor.error);
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at === null) return resolve(entries);
      entries.push({ key: at.key, text: new TextDecoder("latin1").decode(at.value) });
      at.continue();
    };
  };
})` as unknown as () => Promise<{ key: string; text: string }[]>;

/** In the page: flips one bit in the middle of every entry whose key contains `marker`. */
function damageIndexedDb(marker: string): Promise<number> {
  type Cursor = { key: string; value: Uint8Array; update(v: unknown): void; continue(): void };
  type Request<T> = { result: T; error: unknown; onsuccess: () => void; onerror: () => void };
  const idb = (globalThis as unknown as {
    indexedDB: {
      open(
        name: string,
        version: number,
      ): Request<
        {
          transaction(
            s: string,
            m: string,
          ): { objectStore(s: string): { openCursor(): Request<Cursor | null> } };
        }
      >;
    };
  }).indexedDB;
  return new Promise((resolve, reject) => {
    const open = idb.open("arca", 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      let damaged = 0;
      const cursor = open.result.transaction("files", "readwrite").objectStore("files")
        .openCursor();
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (at === null) return resolve(damaged);
        if (at.key.includes(marker)) {
          const value = new Uint8Array(at.value);
          value[value.length >> 1]! ^= 0x01;
          at.update(value);
          damaged++;
        }
        at.continue();
      };
    };
  });
}

/** The first `js` block of a Markdown file. */
async function firstJsBlock(path: string): Promise<string> {
  const markdown = await Deno.readTextFile(new URL(path, import.meta.url));
  const block = /```js\n([\s\S]*?)```/.exec(markdown)?.[1];
  assert.ok(block !== undefined, `${path} has no js block`);
  return block;
}

Deno.test({
  name: "browser: the README's example (docs/sdk.md's too) runs as written",
  ignore: browserIgnored,
  fn: async () => {
    const example = await firstJsBlock("../README.md");
    assert.equal(await firstJsBlock("../docs/sdk.md"), example, "README and docs/sdk.md differ");
    const server = await realHttpServer();
    try {
      await withPage(async (page) => {
        // The example as a module beside the bundle, its `token` given, then what it wrote read back.
        const module = `const token = ${JSON.stringify(server.registrationToken)};\n${example}\n` +
          "const names = [];\n" +
          "for await (const p of client.query({})) names.push(...p.records.map((r) => r.data.name));\n" +
          "globalThis.exampleNames = names;\n";
        const files = {
          ...await arcaPageFiles(),
          "/__arca_test/example.js": { type: "text/javascript", body: module },
        };
        await openPageAt(page, server.url, files, "/__arca_test/index.html");
        const names = await page.evaluate(async () => {
          await import("/__arca_test/example.js");
          return (globalThis as unknown as { exampleNames: string[] }).exampleNames;
        });
        assert.deepEqual(names, ["Jon Snow"]);
      });
    } finally {
      await server.close();
    }
  },
});
