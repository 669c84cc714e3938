// Every code block of README.md runs as written, against a real server started the way the README
// says (`deno task serve`'s command, from deno.json). The TypeScript blocks run in order as one
// program (their imports gathered at the top), then the shell blocks in order, with `arca` (the
// bundled CLI, as the README's alias runs it) on PATH, in a temporary HOME and working folder that
// holds the files the README names. The only change made to the text: the README's server address
// becomes the test server's.
//
// A block that cannot run in a test (installing Deno, a server that runs until Ctrl-C) is preceded
// by `<!-- readme-test: skip: <reason> -->`; the test requires the reason and keeps those few.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const README_URL = "http://127.0.0.1:8000";
const SKIP_MARKER = /^<!-- readme-test: skip: (.+) -->$/;
const MAX_SKIPPED = 4;
const REGISTRATION_TOKEN = "readme-registration-token";
const ADMIN_TOKEN = "readme-admin-token";

interface Block {
  lang: string;
  code: string;
  line: number;
  skip: string | undefined;
}

function readmeBlocks(text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)/.exec(lines[i]!);
    if (open === null) continue;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith("```")) end++;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === "") before--;
    const marker = before >= 0 ? SKIP_MARKER.exec(lines[before]!.trim()) : null;
    blocks.push({
      lang: open[1]!,
      code: lines.slice(i + 1, end).join("\n"),
      line: i + 1,
      skip: marker?.[1],
    });
    i = end;
  }
  return blocks;
}

/** One program from the TypeScript blocks: their imports merged at the top, bodies in order. */
function program(blocks: Block[]): string {
  const imported = new Map<string, Set<string>>();
  const bodies = blocks.map((block) =>
    block.code.replace(
      /^import\s*\{([^}]*)\}\s*from\s*"([^"]+)";[^\n]*$/gms,
      (_all, names, from) => {
        const module = new URL(from.replace(/^@arca\/arca/, "."), `file://${ROOT}/`).href;
        const set = imported.get(module) ?? new Set<string>();
        for (const name of names.split(",")) if (name.trim() !== "") set.add(name.trim());
        imported.set(module, set);
        return "";
      },
    )
  );
  const imports = [...imported].map(([module, names]) =>
    `import { ${[...names].join(", ")} } from "${module}";`
  );
  return [...imports, ...bodies.map((body, i) => `// README block ${i + 1}\n${body}`)].join("\n");
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** `deno task serve`'s command line from deno.json, run directly so it can be stopped. */
async function startServer(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const tasks = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).tasks;
  const [deno, ...args] = (tasks.serve as string).split(/\s+/);
  assert.equal(deno, "deno");
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: {
      ARCA_DATA_DIR: dataDir,
      ARCA_HOST: "127.0.0.1",
      ARCA_PORT: String(port),
      ARCA_REGISTRATION_TOKEN: REGISTRATION_TOKEN,
      ARCA_ADMIN_TOKEN: ADMIN_TOKEN,
    },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0;; attempt++) {
    try {
      const reply = await fetch(`${url}/healthz`);
      await reply.body?.cancel();
      if (reply.ok) break;
    } catch { /* not listening yet */ }
    if (attempt > 300) throw new Error("the README's server did not start within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await child.stderr.cancel();
    },
  };
}

async function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  const result = await new Deno.Command(command, {
    args,
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(300_000), // a hung block fails the test instead of stalling it
  }).output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}

const README = await Deno.readTextFile(join(ROOT, "README.md"));
const BLOCKS = readmeBlocks(README).filter((block) => block.lang === "ts" || block.lang === "sh");

Deno.test("README: blocks that do not run say why, and are few", () => {
  const skipped = BLOCKS.filter((block) => block.skip !== undefined);
  for (const block of skipped) assert.ok(block.skip!.trim().length > 5, `line ${block.line}`);
  assert.ok(skipped.length <= MAX_SKIPPED, `${skipped.length} skipped blocks`);
  assert.ok(BLOCKS.length - skipped.length >= 20, "most blocks run");
  assert.equal(
    readmeBlocks(README).filter((block) => block.lang === "").length,
    1,
    "the only untagged block is the layout listing",
  );
});

Deno.test("README: every TypeScript and shell block runs as written against a real server", async () => {
  const root = await Deno.makeTempDir({ prefix: "arca-readme-" });
  const home = join(root, "home");
  const work = join(root, "work");
  const bin = join(root, "bin");
  for (const dir of [home, work, bin]) await Deno.mkdir(dir);
  // The files the README's examples read.
  for (
    const [name, size] of [["report.pdf", 200_000], ["plan.pdf", 5_000], ["video.mp4", 300_000], [
      "big.iso",
      150_000,
    ]] as const
  ) {
    await Deno.writeFile(join(work, name), new Uint8Array(size).fill(7));
  }
  // The working folder shows the repository's code, as a clone does (the README runs from one).
  for (
    const name of [
      "mod.ts",
      "cli.ts",
      "server.ts",
      "deno.json",
      "deno.lock",
      "lib",
      "dist",
      "examples",
    ]
  ) {
    await Deno.symlink(join(ROOT, name), join(work, name));
  }
  await Deno.writeTextFile(
    join(bin, "arca"),
    `#!/bin/sh\nexec "${Deno.execPath()}" run -A "${join(ROOT, "dist/cli/arca.js")}" "$@"\n`,
  );
  await Deno.chmod(join(bin, "arca"), 0o755);
  const server = await startServer(join(root, "data"));
  const withUrl = (code: string) => code.replaceAll(README_URL, server.url);
  const env = {
    HOME: home,
    PATH: `${bin}:${Deno.env.get("PATH") ?? ""}`,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
    ARCA_API_URL: server.url,
    ARCA_REGISTRATION_TOKEN: REGISTRATION_TOKEN,
    ARCA_ADMIN_TOKEN: ADMIN_TOKEN,
    ARCA_KEY_FILE_KDF: '{"opslimit":1,"memlimit":8192}',
    NO_COLOR: "1",
  };
  try {
    const runnable = BLOCKS.filter((block) => block.skip === undefined);
    const script = join(work, "readme_program.ts");
    await Deno.writeTextFile(
      script,
      withUrl(program(runnable.filter((block) => block.lang === "ts"))),
    );
    const ts = await run(
      Deno.execPath(),
      ["run", "-A", "--no-check", "--config", join(ROOT, "deno.json"), script],
      work,
      env,
    );
    assert.equal(ts.code, 0, `the README's TypeScript failed:\n${ts.output}`);
    for (const block of runnable.filter((block) => block.lang === "sh")) {
      const sh = await run("bash", ["-euo", "pipefail", "-c", withUrl(block.code)], work, env);
      assert.equal(
        sh.code,
        0,
        `README line ${block.line} failed:\n${block.code}\n---\n${sh.output}`,
      );
    }
  } finally {
    await server.stop();
    await Deno.remove(root, { recursive: true });
  }
});
