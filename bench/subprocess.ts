/**
 * Child processes for the benchmarks and the campaign scripts: `deno run <script>` with its own
 * environment, announcing its URL on stdout.
 *
 * @module
 */

const ROOT = new URL("..", import.meta.url);

/** The server entry point. */
export const SERVER_PATH: string = new URL("../server.ts", import.meta.url).pathname;
/** The permissions the server runs with (as `deno task serve` gives them). */
export const SERVER_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys",
];

/** Starts `server.ts` on 127.0.0.1 and a free port with these `ARCA_*` settings. */
export function spawnArcaServer(
  env: Record<string, string>,
  flags: readonly string[] = [],
): Promise<Subprocess> {
  return spawnDeno(SERVER_PATH, [...SERVER_PERMISSIONS, ...flags], {
    ARCA_HOST: "127.0.0.1",
    ARCA_PORT: "0",
    ...env,
  });
}

/** A running child process that announced its URL. */
export interface Subprocess {
  /** The URL it announced (`listening on http://...`). */
  url: string;
  /** Its process id. */
  pid: number;
  /** Resolves with its exit status when it ends (however it ends). */
  status: Promise<Deno.CommandStatus>;
  /** Sends a signal (ignored when it has already exited). */
  kill(signal: Deno.Signal): void;
  /** Stops it with SIGTERM and waits for it and its output. */
  stop(): Promise<void>;
}

/**
 * Starts `deno run <script>` and waits for the line announcing its URL. The child gets this
 * process's environment without its `ARCA_*` variables, plus `env`.
 */
export async function spawnDeno(
  script: string,
  permissions: string[],
  env: Record<string, string>,
): Promise<Subprocess> {
  const inherited = Object.entries(Deno.env.toObject())
    .filter(([name]) => !name.startsWith("ARCA_"));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, script],
    cwd: ROOT.pathname,
    clearEnv: true,
    env: { ...Object.fromEntries(inherited), ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const errors: string[] = [];
  const stderrDone = drainLines(child.stderr, (line) => errors.push(line));
  let announce: (url: string) => void = () => {};
  const announced = new Promise<string>((resolve) => announce = resolve);
  const stdoutDone = drainLines(child.stdout, (line) => {
    const match = /listening on (http:\/\/\S+)/i.exec(line);
    if (match) announce(match[1]!);
  });
  const exited = child.status.then((status) => {
    throw new Error(`${script} exited with ${status.code}: ${errors.slice(-5).join(" | ")}`);
  });
  const timer = delay(30_000);
  const timeout = timer.promise.then(() => {
    throw new Error(`${script} did not announce its URL within 30 s`);
  });
  let url: string;
  try {
    url = await Promise.race([announced, exited, timeout]);
  } catch (error) {
    timer.cancel();
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    throw error;
  }
  timer.cancel();
  exited.catch(() => {});
  const kill = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch { /* already gone */ }
  };
  return {
    url,
    pid: child.pid,
    status: child.status,
    kill,
    async stop() {
      kill("SIGTERM");
      await child.status;
      await Promise.all([stdoutDone, stderrDone]);
    },
  };
}

async function drainLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let pending = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    pending += text;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    lines.forEach(onLine);
  }
  if (pending !== "") onLine(pending);
}

function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
  return { promise, cancel: () => clearTimeout(timer) };
}
