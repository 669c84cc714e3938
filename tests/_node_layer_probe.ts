/**
 * Runs the bundled CLI (`dist/cli/arca.js`) with the arguments given and reports on standard
 * error whether anything touched the global `process` (which starts Deno's Node layer), as one
 * last line `node-layer: untouched` or `node-layer: touched by <stack>`. Used by
 * tests/cli_bundle_test.ts; it imports nothing itself, so it touches nothing first.
 */
const descriptor = Object.getOwnPropertyDescriptor(globalThis, "process");
let touchedBy: string | undefined;
if (descriptor?.get !== undefined) {
  const get = descriptor.get;
  Object.defineProperty(globalThis, "process", {
    configurable: true,
    enumerable: descriptor.enumerable ?? false,
    get() {
      touchedBy ??= new Error().stack?.split("\n").slice(2, 5).join(" | ") ?? "?";
      return get.call(this);
    },
    ...(descriptor.set === undefined ? {} : { set: descriptor.set }),
  });
}
const { runCli } = await import(new URL("../dist/cli/arca.js", import.meta.url).href);
const code = await runCli(Deno.args);
const report = touchedBy === undefined ? "untouched" : `touched by ${touchedBy}`;
Deno.stderr.writeSync(new TextEncoder().encode(`node-layer: ${report}\n`));
Deno.exit(code);
