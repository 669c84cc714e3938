/**
 * The committed browser bundle `console/dist/arca.js` is exactly what `deno task build:browser`
 * makes from the sources now (the build is deterministic), so it never drifts from the SDK.
 */
import assert from "node:assert/strict";
import { buildBrowser } from "../build/browser.ts";

const COMMITTED = new URL("../console/dist/arca.js", import.meta.url);

Deno.test("browser bundle: console/dist/arca.js is up to date", async () => {
  const dir = await Deno.makeTempDir({ prefix: "arca-browser-build-" });
  try {
    const built = await buildBrowser(dir, { console: false });
    assert.equal(built.length, 1);
    const fresh = await Deno.readFile(`${dir}/arca.js`);
    const committed = await Deno.readFile(COMMITTED);
    assert.ok(
      fresh.length === committed.length && fresh.every((byte, i) => byte === committed[i]),
      `console/dist/arca.js (${committed.length} bytes) differs from a fresh build ` +
        `(${fresh.length} bytes): run deno task build:browser and commit it`,
    );
    assert.ok(built[0]!.gzipBytes < built[0]!.bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
