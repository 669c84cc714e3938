/**
 * What the SDK loads: its module graph (`mod.ts`, and `lib/sdk/client.ts`, what `arca read`
 * loads) holds no zod — zod is the server's, for request bodies and the OpenAPI document — and
 * the SDK's own check of a query's `plain` filter (`isPlainFilter`) answers as the server's zod
 * schema does.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { isPlainFilter } from "../lib/protocol/plain_filter.ts";
import { plainFilterSchema } from "../lib/protocol/query.ts";

const ROOT = new URL("../", import.meta.url);

interface ModuleInfo {
  specifier: string;
  dependencies?: { specifier: string; code?: { specifier: string } }[];
}

/** The modules `entry` reaches through imports that run (type-only imports left out). */
async function runtimeGraph(entry: string): Promise<Map<string, ModuleInfo>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
  }).output();
  assert.ok(output.success, `deno info ${entry} failed`);
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    roots: string[];
    modules: ModuleInfo[];
  };
  const modules = new Map(info.modules.map((module) => [module.specifier, module]));
  const reached = new Map<string, ModuleInfo>();
  const pending = [...info.roots];
  while (pending.length > 0) {
    const specifier = pending.pop()!;
    const module = modules.get(specifier);
    if (module === undefined || reached.has(specifier)) continue;
    reached.set(specifier, module);
    for (const dependency of module.dependencies ?? []) {
      if (dependency.code !== undefined) pending.push(dependency.code.specifier);
    }
  }
  return reached;
}

for (const entry of ["mod.ts", "lib/sdk/client.ts"]) {
  Deno.test(`SDK module graph: ${entry} loads no zod`, async () => {
    const importers = [...(await runtimeGraph(entry)).values()]
      .filter((module) => module.dependencies?.some((d) => d.specifier === "zod" && d.code))
      .map((module) => module.specifier.replace(ROOT.href, ""));
    assert.deepEqual(importers, [], `these modules of the SDK import zod`);
  });
}

const leaf = fc.record({ name: fc.string(), value: fc.string() }).map((eq) => ({ eq }));
const { filter } = fc.letrec<{ filter: unknown }>((tie) => ({
  filter: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("filter"), { maxLength: 3 }).map((and) => ({ and })),
    fc.array(tie("filter"), { maxLength: 3 }).map((or) => ({ or })),
    tie("filter").map((not) => ({ not })),
  ),
}));
/** Filters with one defect here and there: a wrong type, a stray key, an empty list. */
const damaged = fc.tuple(filter, fc.anything(), fc.constantFrom("and", "eq", "x", "name")).map(
  ([value, junk, key]) => JSON.parse(JSON.stringify(value), (k, v) => k === key ? junk : v),
);

Deno.test("SDK plain filter check: isPlainFilter accepts what plainFilterSchema accepts", () => {
  fc.assert(
    fc.property(fc.oneof(filter, damaged, fc.anything()), (value) => {
      assert.equal(isPlainFilter(value), plainFilterSchema.safeParse(value).success);
    }),
    { numRuns: 2000 },
  );
  for (const value of [{ eq: { name: "a", value: "b", extra: 1 } }, { and: [] }, { eq: null }]) {
    assert.equal(isPlainFilter(value), plainFilterSchema.safeParse(value).success);
  }
});
