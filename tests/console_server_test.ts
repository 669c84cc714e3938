/**
 * The server side of the web console (`/console`): static files with a strict Content Security
 * Policy, content types, ETags and 304s, hostile paths refused with 404 JSON, and
 * `ARCA_CONSOLE=off`.
 */
import assert from "node:assert/strict";
import { createApp } from "../lib/server/app.ts";
import { serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { CONSOLE_CSP, consoleRoutes } from "../lib/server/routes/console.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import type { ServerSettings } from "../lib/server/settings.ts";

async function withApp(
  settings: ServerSettings,
  body: (app: ReturnType<typeof createApp>) => Promise<void>,
): Promise<void> {
  const store = await openSqliteStore(":memory:");
  try {
    await body(createApp({ store, settings }));
  } finally {
    await store.close();
  }
}

function assertSecurityHeaders(response: Response, what: string): void {
  assert.equal(response.headers.get("content-security-policy"), CONSOLE_CSP, what);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(response.headers.get("referrer-policy"), "no-referrer", what);
}

Deno.test("console: the page is served with the strict policy at /console and /console/", async () => {
  await withApp({}, async (app) => {
    for (const path of ["/console", "/console/", "/console/index.html"]) {
      const response = await app.request(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8", path);
      assertSecurityHeaders(response, path);
      const html = await response.text();
      assert.match(html, /<script type="module" src="\/console\/dist\/console.js"><\/script>/);
      assert.doesNotMatch(html, /<script>|<style|style=|\son[a-z]+=/, "no inline script or style");
      assert.doesNotMatch(html, /https?:\/\//, "no third-party URL");
    }
  });
});

Deno.test("console: the policy allows only this server, and WebAssembly but no eval", () => {
  const directives = new Map(
    CONSOLE_CSP.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]),
  );
  assert.deepEqual(directives.get("default-src"), ["'none'"]);
  assert.deepEqual(directives.get("script-src"), ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives.get("style-src"), ["'self'"]);
  assert.deepEqual(directives.get("connect-src"), ["'self'"]);
  assert.deepEqual(directives.get("img-src"), ["'self'", "data:"]);
  assert.deepEqual(directives.get("base-uri"), ["'none'"]);
  assert.deepEqual(directives.get("form-action"), ["'none'"]);
  assert.deepEqual(directives.get("frame-ancestors"), ["'none'"]);
  assert.doesNotMatch(CONSOLE_CSP, /unsafe-inline|'unsafe-eval'|\*/);
});

Deno.test("console: the stylesheet has its content type, an ETag, and If-None-Match gets a 304", async () => {
  await withApp({}, async (app) => {
    const response = await app.request("/console/console.css");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/css; charset=utf-8");
    const etag = response.headers.get("etag");
    assert.match(etag ?? "", /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal(await response.text(), await Deno.readTextFile("console/console.css"));

    const again = await app.request("/console/console.css", {
      headers: { "if-none-match": etag! },
    });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("etag"), etag);
    assert.equal(await again.text(), "");
    assertSecurityHeaders(again, "304");

    const stale = await app.request("/console/console.css", {
      headers: { "if-none-match": '"something-else"' },
    });
    assert.equal(stale.status, 200);
    await stale.body?.cancel();
  });
});

Deno.test("console: hostile and unknown paths get 404 JSON, never a file outside console/", async () => {
  await withApp({}, async (app) => {
    const hostile = [
      "/console/../deno.json",
      "/console/%2e%2e/deno.json",
      "/console/..%2fdeno.json",
      "/console/%2e%2e%2fdeno.json",
      "/console/dist/..%2f..%2fdeno.json",
      "/console/..%5cdeno.json",
      "/console/%2fetc%2fpasswd",
      "/console//etc/passwd",
      "/console/index.html%00.css",
      "/console/app/main.ts",
      "/console/app/../../deno.json",
      "/console/a/b/c/d.js",
      "/console/missing.js",
      "/console/.hidden.css",
    ];
    for (const path of hostile) {
      const response = await app.request(path);
      const text = await response.text();
      // "/console/../deno.json" is normalised by the URL parser to "/deno.json", outside the
      // console: the app's ordinary 404.
      assert.equal(response.status, 404, `${path}: ${text}`);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/, path);
      assert.equal(typeof JSON.parse(text).error, "string", path);
      assert.doesNotMatch(text, /"name":|"version":|root:/, `${path} leaked a file`);
    }
  });
});

Deno.test("console: ARCA_CONSOLE=off answers 404 naming the setting; a bad value is refused", async () => {
  await withApp({ console: false }, async (app) => {
    for (const path of ["/console", "/console/console.css"]) {
      const response = await app.request(path);
      assert.equal(response.status, 404);
      assert.match((await response.json()).error, /turned off.*ARCA_CONSOLE=off/);
      assertSecurityHeaders(response, path);
    }
  });
  assert.equal(serverOptionsFromEnv(new Map([["ARCA_CONSOLE", "off"]])).console, false);
  assert.equal(serverOptionsFromEnv(new Map([["ARCA_CONSOLE", "ON"]])).console, true);
  assert.equal("console" in serverOptionsFromEnv(new Map()), false);
  assert.throws(
    () => serverOptionsFromEnv(new Map([["ARCA_CONSOLE", "maybe"]])),
    /ARCA_CONSOLE must be "on" or "off", got "maybe"/,
  );
});

Deno.test("console: files are read once, at the first request, only with servable extensions", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arca-console-" });
  try {
    await Deno.mkdir(`${dir}/dist`);
    await Deno.mkdir(`${dir}/app`);
    await Deno.writeTextFile(`${dir}/index.html`, "<!doctype html><title>one</title>");
    await Deno.writeTextFile(`${dir}/dist/app.js`, "export {};");
    await Deno.writeTextFile(`${dir}/app/main.ts`, "export {};");
    await Deno.writeTextFile(`${dir}/secret.txt`, "not served");
    const routes = consoleRoutes({ settings: {}, dir: new URL(`file://${dir}/`) });
    const first = await routes.request("/console/");
    assert.equal(await first.text(), "<!doctype html><title>one</title>");
    await Deno.writeTextFile(`${dir}/index.html`, "<!doctype html><title>two</title>");
    assert.equal(
      await (await routes.request("/console")).text(),
      "<!doctype html><title>one</title>",
    );
    const script = await routes.request("/console/dist/app.js");
    assert.equal(script.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(await script.text(), "export {};");
    for (const path of ["/console/app/main.ts", "/console/secret.txt"]) {
      const response = await routes.request(path);
      assert.equal(response.status, 404, path);
      await response.body?.cancel();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("console: text is gzipped for clients that accept it, with an ETag of its own", async () => {
  await withApp({}, async (app) => {
    const plain = await app.request("/console/dist/arca.js");
    const plainBytes = new Uint8Array(await plain.arrayBuffer());
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.equal(plain.headers.get("vary"), "accept-encoding");

    const zipped = await app.request("/console/dist/arca.js", {
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    assert.equal(zipped.headers.get("content-encoding"), "gzip");
    assert.equal(zipped.headers.get("content-type"), "text/javascript; charset=utf-8");
    const etag = zipped.headers.get("etag")!;
    assert.notEqual(etag, plain.headers.get("etag"));
    const zippedBytes = new Uint8Array(await zipped.arrayBuffer());
    assert.ok(zippedBytes.length < plainBytes.length / 2, `${zippedBytes.length} bytes gzipped`);
    const unzipped = await new Response(
      new Blob([zippedBytes]).stream().pipeThrough(new DecompressionStream("gzip")),
    ).arrayBuffer();
    assert.deepEqual(new Uint8Array(unzipped), plainBytes);

    const again = await app.request("/console/dist/arca.js", {
      headers: { "accept-encoding": "gzip", "if-none-match": etag },
    });
    assert.equal(again.status, 304);
    const refused = await app.request("/console/dist/arca.js", {
      headers: { "accept-encoding": "gzip;q=0, identity" },
    });
    assert.equal(refused.headers.get("content-encoding"), null);
    await refused.body?.cancel();
  });
});
