/**
 * The browser counterparts of the Deno-only modules (build/_browser_modules.ts) export the same
 * names with the same types, so the browser bundle calls them as the Deno SDK does. The types
 * are checked when this file is type-checked; the names when it runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BROWSER_MODULES } from "../build/_browser_modules.ts";
import type * as LocalFiles from "../lib/sdk/_local_files.ts";
import type * as LocalFilesBrowser from "../lib/sdk/_local_files_browser.ts";
import type { CacheRows } from "../lib/sdk/cache/_cache_rows.ts";
import type { CacheRows as CacheRowsBrowser } from "../lib/sdk/cache/_cache_rows_browser.ts";
import type * as Spool from "../lib/sdk/containers/_spool.ts";
import type * as SpoolBrowser from "../lib/sdk/containers/_spool_browser.ts";
import type * as NodeCrypto from "node:crypto";
import type * as NodeCryptoBrowser from "../lib/crypto/_node_crypto_browser.ts";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** A class's public members (ES private fields make classes nominal). */
type Public<T> = { [K in keyof T]: T[K] };

const sameTypes: true[] = [
  true satisfies Same<typeof LocalFiles, typeof LocalFilesBrowser>,
  true satisfies Same<Public<CacheRows>, Public<CacheRowsBrowser>>,
  true satisfies Same<typeof Spool, typeof SpoolBrowser>,
  true satisfies Same<Spool.Spool, SpoolBrowser.Spool>,
  // The browser's hashes digest the SDK's way: Node's digest to the same bytes and text.
  true satisfies (ReturnType<typeof NodeCryptoBrowser.createHash> extends
    { digest(): Uint8Array; digest(encoding: "hex"): string } ? true : false),
  true satisfies (ReturnType<typeof NodeCrypto.createHash> extends
    { digest(): Uint8Array; digest(encoding: "hex"): string } ? true : false),
];

const ROOT = fileURLToPath(new URL("../", import.meta.url));

Deno.test("browser modules: each counterpart exports what the Deno module exports", async () => {
  assert.equal(sameTypes.length, 6);
  for (const [deno, browser] of Object.entries(BROWSER_MODULES)) {
    const browserExports = await import(join(ROOT, browser));
    const denoExports = await import(deno.startsWith("node:") ? deno : join(ROOT, deno));
    for (const name of Object.keys(browserExports)) {
      assert.equal(typeof browserExports[name], typeof denoExports[name], `${browser}: ${name}`);
    }
    if (!deno.startsWith("node:")) {
      assert.deepEqual(Object.keys(browserExports).sort(), Object.keys(denoExports).sort(), deno);
    }
  }
});

Deno.test("browser modules: the browser hashes equal node:crypto's", async () => {
  const node = await import("node:crypto");
  const browser = await import("../lib/crypto/_node_crypto_browser.ts");
  const data = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
  const key = new Uint8Array(32).fill(9);
  for (const algorithm of ["sha256", "md5"] as const) {
    assert.equal(
      browser.createHash(algorithm).update("text").update(data).digest("base64"),
      node.createHash(algorithm).update("text").update(data).digest("base64"),
    );
  }
  assert.deepEqual(
    browser.createHmac("sha256", key).update(data).digest(),
    new Uint8Array(node.createHmac("sha256", key).update(data).digest()),
  );
});
