/**
 * The CLI's on-demand modules (`lib/cli/_lazy.ts`): every one is named by `deno task compile`
 * (the binary holds only what the task includes), every loader loads its module, and no command
 * file imports the SDK or the server through a literal `import("…")` (Deno would load that graph
 * at start-up, see `_lazy.ts`).
 */
import assert from "node:assert/strict";
import * as lazy from "../lib/cli/_lazy.ts";

const ROOT = new URL("../", import.meta.url);

Deno.test("CLI lazy modules: deno task compile includes each one, and each exists", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const included = [...String(config.tasks.compile).matchAll(/--include (\S+)/g)].map((m) => m[1]);
  for (const path of lazy.LAZY_MODULES) {
    assert.ok(included.includes(path), `deno task compile does not --include ${path}`);
    assert.ok((await Deno.stat(new URL(path, ROOT))).isFile, `${path} does not exist`);
  }
});

Deno.test("CLI lazy modules: each loader loads its module", async () => {
  const loaded = await Promise.all([
    lazy.adminClientModule().then((m) => m.AdminClient),
    lazy.clientModule().then((m) => m.Client),
    lazy.configModule().then((m) => m.Config),
    lazy.identityAdminModule().then((m) => m.createRealm),
    lazy.identityModule().then((m) => m.identityLogin),
    lazy.keyTextModule().then((m) => m.suiteOfKeyText),
    lazy.notesModule().then((m) => m.readAnonymousNote),
    lazy.registrationModule().then((m) => m.defaultApiUrl),
    lazy.searchModule().then((m) => m.Search),
    lazy.suitesModule().then((m) => m.getSuite),
    lazy.usersAppModule().then((m) => m.Arca),
    lazy.serverModule().then((m) => m.startServer),
  ]);
  assert.equal(loaded.length, lazy.LAZY_MODULES.length);
  for (const value of loaded) assert.equal(typeof value, "function");
});

Deno.test("CLI command files import the SDK and the server only through _lazy.ts", async () => {
  for await (const entry of Deno.readDir(new URL("lib/cli/", ROOT))) {
    const source = await Deno.readTextFile(new URL(`lib/cli/${entry.name}`, ROOT));
    const literal = [...source.matchAll(/\bimport\(\s*["'`]([^"'`]+)["'`]\s*\)/g)]
      .map((match) => match[1]!)
      .filter((specifier) => /^\.\.\/|\/server\.ts$/.test(specifier));
    assert.deepEqual(literal, [], `lib/cli/${entry.name} imports ${literal.join(", ")} literally`);
  }
});
