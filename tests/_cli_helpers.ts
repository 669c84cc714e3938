/** Running the `arca` CLI in tests: in-process with captured output, or as a subprocess. */
import { fileURLToPath } from "node:url";
import { runCli } from "../lib/cli/main.ts";
import type { CliIo } from "../lib/cli/io.ts";

/** What a CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's entry point: `runCli` of the sources, or of the bundle (`dist/cli/arca.js`). */
export type RunCli = (args: string[], io: CliIo) => Promise<number>;

/** An in-process CLI with a fixed environment (HOME, ARCA_API_URL, ...). */
export class InProcessCli {
  readonly env: Map<string, string>;
  readonly #runCli: RunCli;
  /** Standard input of the next runs (none when unset). */
  stdin: string | undefined;
  #stop: () => void = () => {};

  constructor(env: Record<string, string>, run: RunCli = runCli) {
    this.env = new Map(Object.entries(env));
    this.#runCli = run;
  }

  /** Runs `arca args...` and captures its output. */
  async run(...args: string[]): Promise<CliRun> {
    let stdout = "";
    let stderr = "";
    const io: CliIo = {
      out: (text) => void (stdout += text),
      err: (text) => void (stderr += text),
      env: this.env,
      stopSignal: () => new Promise<void>((resolve) => this.#stop = resolve),
      ...(this.stdin === undefined ? {} : { stdin: () => Promise.resolve(this.stdin ?? "") }),
    };
    const code = await this.#runCli(args, io);
    return { code, stdout, stderr };
  }

  /** Runs a command and parses its `--json` output, failing on a non-zero exit. */
  async json(...args: string[]): Promise<unknown> {
    const result = await this.run(...args, "--json");
    if (result.code !== 0) {
      throw new Error(`arca ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
    }
    return JSON.parse(result.stdout);
  }

  /** Resolves the pending `stopSignal` (ends `arca serve`). */
  stop(): void {
    this.#stop();
  }
}

/** Path of cli.ts. */
export const CLI_PATH = fileURLToPath(new URL("../cli.ts", import.meta.url));

let denoDir: Promise<string> | undefined;

/** Deno's cache folder, so subprocesses with a temporary HOME reuse downloaded packages. */
function findDenoDir(): Promise<string> {
  denoDir ??= (async () => {
    const explicit = Deno.env.get("DENO_DIR");
    if (explicit) return explicit;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return JSON.parse(new TextDecoder().decode(output.stdout)).denoDir as string;
  })();
  return denoDir;
}

/**
 * Runs `deno run -A cli.ts args...` (or another `script`, such as the bundled CLI) with only the
 * given environment (plus what Deno needs) and `stdin` as standard input (none when not given).
 */
export async function runCliProcess(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
  script: string = CLI_PATH,
): Promise<CliRun> {
  const inherited: Record<string, string> = {};
  for (const name of ["PATH", "DENO_TLS_CA_STORE", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) inherited[name] = value;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", script, ...args],
    env: { ...inherited, DENO_DIR: await findDenoDir(), NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Runs `body` with a fresh temporary HOME folder, removed afterwards. */
export async function withHome(body: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "arca-cli-home-" });
  try {
    await body(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}
