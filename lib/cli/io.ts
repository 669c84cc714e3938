/**
 * Where the CLI reads its environment and writes its output. The real process uses
 * {@linkcode processIo}; tests pass their own to run commands in-process.
 *
 * @module
 */
import type { EnvReader } from "../env_reader.ts";

/** The CLI's connection to the outside world. */
export interface CliIo {
  /** Writes one chunk of standard output (already ending in a newline). */
  out(text: string): void;
  /** Writes one chunk of standard error (already ending in a newline). */
  err(text: string): void;
  /** Environment variables (`ARCA_PROFILE`, `HOME`, `ARCA_ADMIN_TOKEN`, ...). */
  env: EnvReader;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); used by `arca serve`. */
  stopSignal(): Promise<void>;
  /** All of standard input as text; tests set it, the real process reads `Deno.stdin`. */
  stdin?: (() => Promise<string>) | undefined;
  /** Whether standard error is a terminal (progress bars are drawn only then; default no). */
  stderrIsTerminal?: (() => boolean) | undefined;
}

const encoder = new TextEncoder();

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
    const handler = () => {
      for (const signal of signals) Deno.removeSignalListener(signal, handler);
      resolve();
    };
    for (const signal of signals) Deno.addSignalListener(signal, handler);
  });
}

/**
 * The real process: `Deno.stdout`, `Deno.stderr`, `Deno.env` and OS signals.
 *
 * @example
 * ```ts
 * import { processIo } from "./io.ts";
 * processIo().out("hello\n");
 * ```
 */
export function processIo(): CliIo {
  return {
    out: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
    err: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
    env: Deno.env,
    stopSignal: waitForSignal,
    stderrIsTerminal: () => Deno.stderr.isTerminal(),
  };
}
