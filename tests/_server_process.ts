/**
 * The server as a real process for tests: `deno task serve`, `deno run server.ts`,
 * `deno serve server.ts` or `deno serve edge.ts` with a given environment, its stdout and stderr collected as they come.
 */
import { fileURLToPath } from "node:url";

/** The repository root (where deno.json and server.ts are). */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** How the process is started. */
export type Launch = "task" | "run" | "serve" | "serve-edge";

/** A running server process. */
export interface ServerProcess {
  child: Deno.ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved as read. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process ended and its output was read. */
  exited(): Promise<number>;
}

const PERMISSIONS = ["--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys"];

function argsFor(launch: Launch): string[] {
  if (launch === "task") return ["task", "serve"];
  if (launch === "run") return ["run", ...PERMISSIONS, "server.ts"];
  return ["serve", ...PERMISSIONS, launch === "serve" ? "server.ts" : "edge.ts"];
}

/** Starts the server process with `env` added to this process's environment. */
export function spawnServer(launch: Launch, env: Record<string, string>): ServerProcess {
  const child = new Deno.Command(Deno.execPath(), {
    args: argsFor(launch),
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const listeners = new Set<() => void>();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      for (const listener of [...listeners]) listener();
    }
  };
  const reading = Promise.all([collect(child.stdout), collect(child.stderr)]);
  let ended = false;
  reading.then(() => {
    ended = true;
    for (const listener of [...listeners]) listener();
  });
  return {
    child,
    output: () => text,
    waitFor(pattern, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.match(pattern);
          if (match === null && ended) {
            cleanup();
            reject(new Error(`the server ended without ${pattern} in its output:\n${text}`));
          }
          if (match === null) return;
          cleanup();
          resolve(match);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} in the server's output:\n${text}`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async exited() {
      const status = await child.status;
      await reading;
      return status.code;
    },
  };
}

/** Starts the server and waits for its listening line; returns the process and its URL. */
export async function startServerProcess(
  launch: Launch,
  env: Record<string, string>,
): Promise<{ server: ServerProcess; url: string }> {
  const server = spawnServer(launch, env);
  const banner = await server.waitFor(/Arca listening on (http:\/\/\S+)/);
  await server.waitFor(/Arca admin API: .*\n/); // the whole banner is out
  return { server, url: banner[1]! };
}
