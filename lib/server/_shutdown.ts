/**
 * Graceful shutdown of the server process on SIGTERM and SIGINT: the first signal stops accepting
 * connections, ends the event streams, waits for the requests in flight for at most the grace
 * period (`ARCA_SHUTDOWN_SECONDS`), closes the store (SQLite checkpoints its WAL; the PostgreSQL
 * pool closes) and exits 0. If requests are still running when the grace period ends, it exits 1
 * without waiting; a second signal exits at once (130 for SIGINT, 143 for SIGTERM).
 *
 * @module
 */
import { flushLog } from "./_log.ts";

/** Default grace period for requests in flight, in seconds. */
export const DEFAULT_SHUTDOWN_SECONDS = 10;

/** How {@linkcode shutdownOnSignals} reports and exits (injectable for tests). */
export interface ShutdownOptions {
  /** Seconds requests in flight may take (default {@linkcode DEFAULT_SHUTDOWN_SECONDS}). */
  graceSeconds?: number | undefined;
  /** Where the progress lines go (default `console.error`). */
  print?: ((line: string) => void) | undefined;
  /** Ends the process (default `Deno.exit`). */
  exit?: ((code: number) => void) | undefined;
}

const SIGNALS = ["SIGTERM", "SIGINT"] as const;
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 };

/**
 * Shuts `server` down on SIGTERM or SIGINT as described above; returns a function that removes
 * the signal listeners.
 *
 * @example
 * ```ts ignore
 * // The process entry point, after the server started (a test sends real signals).
 * const server = await startServer(options);
 * shutdownOnSignals(server, { graceSeconds: options.shutdownSeconds });
 * ```
 */
export function shutdownOnSignals(
  server: { shutdown(): Promise<void> },
  options: ShutdownOptions = {},
): () => void {
  const graceSeconds = options.graceSeconds ?? DEFAULT_SHUTDOWN_SECONDS;
  const print = options.print ?? ((line: string) => console.error(line));
  const exit = options.exit ?? ((code: number) => {
    flushLog();
    Deno.exit(code);
  });
  let stopping = false;
  const onSignal = (signal: typeof SIGNALS[number]) => {
    if (stopping) {
      print(`Arca: ${signal} again; exiting at once`);
      exit(SIGNAL_EXIT_CODES[signal]);
      return;
    }
    stopping = true;
    print(`Arca: ${signal}; finishing requests in flight (at most ${graceSeconds} s)`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), graceSeconds * 1000);
    });
    const stopped = server.shutdown().then(() => "stopped" as const);
    Promise.race([stopped, deadline]).then((outcome) => {
      clearTimeout(timer);
      if (outcome === "stopped") {
        print("Arca: stopped");
        exit(0);
      } else {
        print("Arca: requests still in flight after ARCA_SHUTDOWN_SECONDS; exiting");
        exit(1);
      }
    }, () => {
      clearTimeout(timer);
      print("Arca: the shutdown failed; exiting");
      exit(1);
    });
  };
  const listeners = SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, listener] of listeners) Deno.addSignalListener(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  };
}
