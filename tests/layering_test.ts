/**
 * The layering of `lib/`, enforced. The layers, bottom to top:
 *
 *   errors (lib/errors.ts) < crypto < protocol < store < server,   protocol < sdk < cli
 *
 * A layer imports only from layers below it (the CLI also starts the server). The rules are data:
 * a table of forbidden imports and a table of forbidden code. Every violation is reported with its
 * file and line. The README's "Layout" section documents the same order.
 *
 * Private modules: a module under `lib/` whose name starts with `_` is imported only from its own
 * folder (and its subfolders, tests and benchmarks); and a module that only its own folder
 * imports, and that no `mod.ts` re-exports, carries the `_` prefix.
 */
import assert from "node:assert/strict";
import { codeMatches, importsOf } from "./_source_scan.ts";

/** Imports that must not exist: from files under `from` (not under `exceptFrom`) to `to`. */
interface ForbiddenImport {
  /** Importing files: repository paths or folder prefixes. */
  from: readonly string[];
  exceptFrom?: readonly string[];
  /** Forbidden targets: repository paths or folder prefixes, or package names or prefixes. */
  to: readonly string[];
  exceptTo?: readonly string[];
  why: string;
}

/** Code that must not appear (outside comments and strings) in files under `from`. */
interface ForbiddenCode {
  from: readonly string[];
  exceptFrom?: readonly string[];
  pattern: RegExp;
  why: string;
}

const CRYPTO_LIBRARIES = ["libsodium-wrappers-sumo", "@noble/", "node:crypto"];

/** The forbidden edges of the layer graph. */
const FORBIDDEN_IMPORTS: readonly ForbiddenImport[] = [
  {
    from: ["lib/errors.ts"],
    to: ["lib/"],
    why: "the errors layer is the bottom layer and imports nothing of Arca",
  },
  {
    from: ["lib/crypto/"],
    to: ["lib/"],
    exceptTo: ["lib/crypto/", "lib/errors.ts"],
    why: "lib/crypto sits on the errors layer only",
  },
  {
    from: ["lib/protocol/"],
    to: ["lib/store/", "lib/server/", "lib/sdk/", "lib/cli/"],
    why: "the wire types sit below the store, the server, the SDK and the CLI",
  },
  {
    from: ["lib/store/"],
    to: ["lib/server/", "lib/sdk/", "lib/cli/"],
    why: "the store sits below the server and knows nothing of the SDK or the CLI",
  },
  {
    from: ["lib/server/"],
    to: ["lib/sdk/", "lib/cli/"],
    why: "the server does not depend on the client side",
  },
  {
    from: ["lib/sdk/"],
    to: ["lib/store/", "lib/server/", "lib/cli/"],
    why: "the SDK talks to the server over HTTP only",
  },
  {
    from: ["lib/"],
    exceptFrom: ["lib/crypto/"],
    to: CRYPTO_LIBRARIES,
    why: "crypto libraries are used only inside lib/crypto",
  },
];

/** The forbidden code. */
const FORBIDDEN_CODE: readonly ForbiddenCode[] = [
  {
    from: ["lib/"],
    exceptFrom: ["lib/crypto/"],
    pattern: /\bcrypto\s*\.\s*subtle\b/,
    why: "Web Crypto is called only inside lib/crypto",
  },
  {
    from: ["lib/errors.ts", "lib/crypto/", "lib/protocol/", "lib/store/"],
    pattern: /\bstatus\b\s*(?::|={1,3})\s*[1-5]\d\d\b/,
    why: "HTTP statuses belong to the server (lib/server/_error_handler.ts maps errors to them)",
  },
];

const PRIVATE_WHY = "a _-prefixed module is private to its folder";

/** The folder (with a trailing slash) a module is private to. */
function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/") + 1);
}

/** Whether `path` names a private module of `lib/` (a `_` prefix). */
function isPrivate(path: string): boolean {
  return path.startsWith("lib/") && path.slice(path.lastIndexOf("/") + 1).startsWith("_");
}

/**
 * The modules under a folder of `lib/` that only their own folder (or tests and benchmarks)
 * imports but that lack the `_` prefix. `sources` maps repository paths to their text.
 */
function unmarkedPrivateModules(sources: ReadonlyMap<string, string>): string[] {
  const importers = new Map<string, Set<string>>();
  for (const [file, source] of sources) {
    for (const { specifier } of importsOf(source)) {
      const to = target(file, specifier);
      if (!importers.has(to)) importers.set(to, new Set());
      importers.get(to)!.add(file);
    }
  }
  const unmarked: string[] = [];
  for (const [file, users] of importers) {
    if (!sources.has(file) || !file.startsWith("lib/") || isPrivate(file)) continue;
    if (folderOf(file) === "lib/" || file.endsWith("/mod.ts")) continue;
    // A module its folder's `mod.ts` re-exports is public API.
    const outside = [...users].filter((user) =>
      user.endsWith("/mod.ts") ||
      (!user.startsWith(folderOf(file)) && !user.startsWith("tests/") && !user.startsWith("bench/"))
    );
    if (outside.length === 0) unmarked.push(file);
  }
  return unmarked.sort();
}

/** A broken rule, at a file and line. */
interface Violation {
  file: string;
  line: number;
  found: string;
  why: string;
}

function under(path: string, prefixes: readonly string[] | undefined): boolean {
  return (prefixes ?? []).some((prefix) => path === prefix || path.startsWith(prefix));
}

function applies(file: string, rule: { from: readonly string[]; exceptFrom?: readonly string[] }) {
  return under(file, rule.from) && !under(file, rule.exceptFrom);
}

/**
 * What an import specifier of `file` names: a repository path for a relative specifier, else the
 * package (`npm:` and version stripped) or built-in.
 */
function target(file: string, specifier: string): string {
  if (specifier.startsWith(".")) {
    const url = new URL(specifier, `file:///${file}`);
    return decodeURIComponent(url.pathname.slice(1));
  }
  const bare = specifier.replace(/^npm:\/?/, "");
  return bare.replace(/^(@[^/@]+\/[^/@]+|[^/@]+)@[^/]*/, "$1");
}

/** Every rule of the tables that `source` (at repository path `file`) breaks. */
function violationsOf(file: string, source: string): Violation[] {
  const found: Violation[] = [];
  const imports = importsOf(source);
  for (const rule of FORBIDDEN_IMPORTS) {
    if (!applies(file, rule)) continue;
    for (const { line, specifier } of imports) {
      const to = target(file, specifier);
      if (to === file || !under(to, rule.to) || under(to, rule.exceptTo)) continue;
      found.push({ file, line, found: `imports ${to}`, why: rule.why });
    }
  }
  for (const { line, specifier } of imports) {
    const to = target(file, specifier);
    if (isPrivate(to) && !file.startsWith(folderOf(to))) {
      found.push({ file, line, found: `imports ${to}`, why: PRIVATE_WHY });
    }
  }
  for (const rule of FORBIDDEN_CODE) {
    if (!applies(file, rule)) continue;
    for (const { line, text } of codeMatches(source, rule.pattern)) {
      found.push({ file, line, found: `uses \`${text}\``, why: rule.why });
    }
  }
  return found;
}

function report(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.file}:${v.line}: ${v.found} (${v.why})`).join("\n");
}

const ROOT = new URL("../", import.meta.url);

/** The entry points and example scripts, which import `lib/` from outside it. */
const OUTSIDE_LIB = ["mod.ts", "cli.ts", "server.ts"];

async function libFiles(folder = "lib"): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(new URL(`${folder}/`, ROOT))) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) files.push(...await libFiles(path));
    else if (entry.isFile && entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

async function readSources(files: readonly string[]): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const file of files) sources.set(file, await Deno.readTextFile(new URL(file, ROOT)));
  return sources;
}

Deno.test("layering: no file under lib/ breaks a layering rule", async () => {
  const files = [...OUTSIDE_LIB, ...await libFiles(), ...await libFiles("examples")];
  assert.ok(files.length > 100, `only ${files.length} files found under lib/`);
  const violations: Violation[] = [];
  for (const [file, source] of await readSources(files)) {
    violations.push(...violationsOf(file, source));
  }
  assert.equal(violations.length, 0, `layering violations:\n${report(violations)}`);
});

Deno.test("layering: a module only its own folder imports carries the _ prefix", async () => {
  const files = [
    ...OUTSIDE_LIB,
    ...await libFiles(),
    ...await libFiles("examples"),
    ...await libFiles("tests"),
    ...await libFiles("bench"),
  ];
  assert.deepEqual(unmarkedPrivateModules(await readSources(files)), []);
});

Deno.test("layering: private modules are caught both ways", () => {
  const source = '// a comment\nimport { f } from "../store/sqlite/_records.ts";\n';
  assert.equal(
    report(violationsOf("lib/server/x.ts", source)),
    `lib/server/x.ts:2: imports lib/store/sqlite/_records.ts (${PRIVATE_WHY})`,
  );
  assert.deepEqual(violationsOf("lib/server/routes/x.ts", 'import "../_auth.ts";'), []);
  assert.deepEqual(violationsOf("mod.ts", 'export * from "./lib/sdk/_paths.ts";').length, 1);
  const sources = new Map([
    ["mod.ts", 'export * from "./lib/sdk/client.ts";'],
    ["lib/sdk/client.ts", 'import "./records.ts"; import "./_paths.ts";'],
    ["lib/sdk/records.ts", ""],
    ["lib/sdk/_paths.ts", ""],
    ["tests/records_test.ts", 'import "../lib/sdk/records.ts";'],
  ]);
  assert.deepEqual(unmarkedPrivateModules(sources), ["lib/sdk/records.ts"]);
});

Deno.test("layering: the rules catch a synthetic forbidden import of every kind", () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      "lib/server/x.ts",
      'import { ArcaClient } from "../sdk/client.ts";',
      /imports lib\/sdk\/client\.ts/,
    ],
    ["lib/store/x.ts", 'export { f } from "../sdk/records.ts";', /imports lib\/sdk\/records\.ts/],
    ["lib/store/x.ts", 'const m = await import("../sdk/mod.ts");', /imports lib\/sdk\/mod\.ts/],
    ["lib/sdk/x.ts", 'import sodium from "libsodium-wrappers-sumo";', /imports libsodium/],
    ["lib/server/x.ts", 'import s from "npm:libsodium-wrappers-sumo@0.8";', /imports libsodium/],
    ["lib/cli/x.ts", 'import { p384 } from "@noble/curves/nist.js";', /imports @noble\/curves/],
    ["lib/sdk/x.ts", "const d = await crypto.subtle.digest('SHA-256', b);", /crypto\.subtle/],
    ["lib/crypto/x.ts", 'import { isUuid } from "../protocol/ids.ts";', /imports lib\/protocol/],
    ["lib/crypto/x.ts", 'import type { Store } from "../store/store.ts";', /imports lib\/store/],
    ["lib/errors.ts", 'import { utf8 } from "./crypto/encoding.ts";', /imports lib\/crypto/],
    ["lib/crypto/x.ts", "super(message, { status: 401 });", /status: 401/],
    ["lib/errors.ts", "if (error.status === 404) return;", /status === 404/],
    ["lib/protocol/x.ts", 'import { HttpError } from "../server/http_error.ts";', /lib\/server/],
    ["lib/sdk/x.ts", 'import type { Store } from "../store/store.ts";', /imports lib\/store/],
  ];
  for (const [file, source, pattern] of cases) {
    const found = violationsOf(file, `// a comment\n${source}\n`);
    assert.equal(found.length, 1, `${file}: ${source}\n${report(found)}`);
    assert.equal(found[0]!.line, 2);
    assert.match(report(found), pattern);
    assert.match(report(found), new RegExp(`^${file.replace(/\./g, "\\.")}:2: `));
  }
});

Deno.test("layering: allowed edges, comments and strings are not violations", () => {
  const allowed: Array<[string, string]> = [
    ["lib/crypto/x.ts", 'import { ValidationError } from "../errors.ts";'],
    ["lib/crypto/x.ts", 'import sodium from "libsodium-wrappers-sumo";'],
    ["lib/crypto/x.ts", "await crypto.subtle.digest('SHA-256', b);"],
    ["lib/server/x.ts", 'import { randomBytes } from "../crypto/bytes.ts";'],
    ["lib/cli/x.ts", 'import { ArcaClient } from "../sdk/client.ts";'],
    ["lib/server/x.ts", '// import { ArcaClient } from "../sdk/client.ts";'],
    ["lib/server/x.ts", "/* a comment: crypto.subtle.sign(…) */ const x = 1;"],
    ["lib/sdk/x.ts", 'const text = "crypto.subtle is only used in lib/crypto";'],
    ["lib/store/x.ts", 'return { status: "conflict" };'],
    ["lib/server/x.ts", "throw new HttpError(404, `a template ${`nested`} crypto.subtle`);"],
  ];
  for (const [file, source] of allowed) {
    assert.deepEqual(violationsOf(file, source), [], `${file}: ${source}`);
  }
});

Deno.test("layering: the scanner reads multi-line, type-only and re-export imports", () => {
  const source = [
    "import {",
    "  a,",
    "  b,",
    '} from "./a.ts";',
    'import type { T } from "./t.ts";',
    'export * from "./all.ts";',
    'import "./side.ts";',
    "const re = /\\/\\/ not a comment/;",
    'const lazy = () => import("./lazy.ts");',
    '/* import { gone } from "./gone.ts"; */',
  ].join("\n");
  assert.deepEqual(importsOf(source), [
    { line: 4, specifier: "./a.ts" },
    { line: 5, specifier: "./t.ts" },
    { line: 6, specifier: "./all.ts" },
    { line: 7, specifier: "./side.ts" },
    { line: 9, specifier: "./lazy.ts" },
  ]);
});
