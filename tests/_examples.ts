/** Runs one of examples/ as `deno run -A examples/<name>.ts`, capturing its output. */
import { fileURLToPath } from "node:url";

/** What an example printed and how it exited. */
export interface ExampleRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `examples/<name>.ts` with `env` (plus `NO_COLOR`) and no standard input. */
export async function runExample(name: string, env: Record<string, string>): Promise<ExampleRun> {
  const path = fileURLToPath(new URL(`../examples/${name}.ts`, import.meta.url));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", path],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
