/** `arca file put|get` against a real server: in-process and as a subprocess. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { TerminalBar } from "../lib/cli/_progress_bar.ts";
import { progressDisplay } from "../lib/cli/_progress_bar.ts";
import { formatBytes } from "../lib/cli/_output.ts";
import type { CliIo } from "../lib/cli/io.ts";
import { InProcessCli, runCliProcess } from "./_cli_helpers.ts";
import { randomBytes, withFileServer } from "./_file_helpers.ts";
import { TEST_REGISTRATION_TOKEN } from "./_sdk_helpers.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

async function withHome(body: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "arca-cli-files-" });
  try {
    await body(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("CLI file put/get: round trip, JSON and table output, quiet without a terminal", async () => {
  await withFileServer(async ({ url }) => {
    await withHome(async (home) => {
      const cli = new InProcessCli({ HOME: home, ARCA_API_URL: url });
      await cli.json("register", TEST_REGISTRATION_TOKEN, "alice");
      const bytes = randomBytes(300_000);
      const source = join(home, "report.bin");
      await Deno.writeFile(source, bytes);

      const put = await cli.run(
        "file",
        "put",
        "documents",
        source,
        "--plain",
        '{"name":"r"}',
        "--json",
      );
      assert.equal(put.code, 0, put.stderr);
      assert.equal(put.stderr, "", "no progress output when stderr is not a terminal");
      const record: Json = JSON.parse(put.stdout);
      assert.equal(record.meta.type, "documents");
      assert.deepEqual(record.meta.plain, { name: "r" });
      assert.match(record.meta.fileMeta.checksum, /==$/);
      assert.ok(record.meta.fileMeta.size > 300_000);
      assert.equal("file_url" in record.meta.fileMeta, false, "no single-use URL in the output");
      assert.equal(record.file, "report.bin", "the uploaded file's name, not the server's blob");

      const target = join(home, "copy.bin");
      const got: Json = await cli.json("file", "get", record.meta.recordId, target);
      assert.equal(got.bytes, 300_000);
      assert.equal(got.path, target);
      assert.deepEqual(await Deno.readFile(target), bytes);

      const table = await cli.run("file", "get", record.meta.recordId, target);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /record id/);
      assert.match(table.stdout, /checksum \(MD5\)/);
      assert.match(table.stdout, /plaintext bytes\s*│\s*300000/);
      const human = await cli.run("file", "put", "documents", source);
      assert.match(human.stdout, /encrypted size/);
      assert.match(human.stdout, /file\s*│\s*report\.bin/);
      assert.match(human.stdout, /blob name \(server\)/);
    });
  });
});

Deno.test("CLI file: errors are one line with an exit code", async () => {
  await withFileServer(async ({ url }) => {
    await withHome(async (home) => {
      const env = { HOME: home, ARCA_API_URL: url };
      const cli = new InProcessCli(env);
      await cli.json("register", TEST_REGISTRATION_TOKEN, "alice");
      const missing = await runCliProcess([
        "file",
        "get",
        "b2a735c5-9f3a-4c1e-8e0f-0123456789ab",
        join(home, "x"),
      ], env);
      assert.equal(missing.code, 1, missing.stderr);
      assert.match(missing.stderr, /^arca: .*\(HTTP 404\)\n$/);
      const badId = await runCliProcess(["file", "get", "nope", join(home, "x")], env);
      assert.equal(badId.code, 2);
      const noFile = await runCliProcess(["file", "put", "t", join(home, "does-not-exist")], env);
      assert.equal(noFile.code, 1);
      assert.match(noFile.stderr, /^arca: /);
      assert.equal(noFile.stderr.trimEnd().split("\n").length, 1);
    });
  });
});

Deno.test("CLI file: subprocess put from a path or stdin is quiet on a non-terminal", async () => {
  await withFileServer(async ({ url }) => {
    await withHome(async (home) => {
      const env = { HOME: home, ARCA_API_URL: url };
      await new InProcessCli(env).json("register", TEST_REGISTRATION_TOKEN, "alice");
      const source = join(home, "small.bin");
      await Deno.writeFile(source, randomBytes(1000));
      const run = await runCliProcess(["file", "put", "t", source, "--json"], env);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, "");
      assert.equal(JSON.parse(run.stdout).meta.type, "t");
      // "-" reads standard input (empty here): an empty file round-trips.
      const piped = await runCliProcess(["file", "put", "t", "-", "--json"], env);
      assert.equal(piped.code, 0, piped.stderr);
      const id = JSON.parse(piped.stdout).meta.recordId;
      const back = await runCliProcess(["file", "get", id, join(home, "empty.out"), "--json"], env);
      assert.equal(back.code, 0, back.stderr);
      assert.equal(JSON.parse(back.stdout).bytes, 0);
    });
  });
});

/** A stand-in terminal that records what is drawn. */
function fakeTerminal() {
  const chunks: string[] = [];
  const stream = {
    isTTY: true,
    columns: 120,
    write(chunk: string) {
      chunks.push(String(chunk));
      return true;
    },
    on() {
      return stream;
    },
    removeListener() {
      return stream;
    },
  };
  return { stream, text: () => chunks.join("") };
}

Deno.test("progress bar: bytes, rate and ETA on a terminal; nothing otherwise", () => {
  const terminal = fakeTerminal();
  // deno-lint-ignore no-explicit-any
  const bar = new TerminalBar(terminal.stream as any);
  bar.update({ phase: "upload", bytes: 0, total: 2_000_000 });
  bar.update({ phase: "upload", bytes: 2_000_000, total: 2_000_000 });
  bar.finish();
  const drawn = terminal.text();
  assert.match(drawn, /uploading/);
  assert.match(drawn, /100%/);
  assert.match(drawn, /2\.0 MB of 2\.0 MB/);
  assert.match(drawn, /MB\/s|B\/s|-/);
  assert.match(drawn, /ETA/);

  const unknown = fakeTerminal();
  // deno-lint-ignore no-explicit-any
  const streamBar = new TerminalBar(unknown.stream as any);
  streamBar.update({ phase: "download", bytes: 1500, total: undefined });
  streamBar.finish();
  assert.match(unknown.text(), /downloading 1\.5 KB/);
  assert.doesNotMatch(unknown.text(), /ETA/);

  const io = (terminal: boolean): CliIo => ({
    out() {},
    err() {},
    env: new Map(),
    stopSignal: () => new Promise(() => {}),
    stderrIsTerminal: () => terminal,
  });
  assert.ok(progressDisplay(io(true), false) instanceof TerminalBar);
  assert.ok(!(progressDisplay(io(true), true) instanceof TerminalBar), "--json is quiet");
  assert.ok(!(progressDisplay(io(false), false) instanceof TerminalBar), "not a terminal");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1_500_000_000), "1.5 GB");
});
