/**
 * The optional `wrk` driver of `bench/server_load.ts` (`ARCA_BENCH_TOOL=wrk`): the same
 * {@linkcode LoadTarget}, sent by `wrk` through a generated Lua script that cycles over the
 * URLs and bodies and counts unexpected statuses.
 *
 * @module
 */
import type { LoadOptions, LoadRun, LoadTarget } from "./http_load.ts";

/**
 * Runs `wrk` (2 threads) against `target`; the Lua script goes to `workDir`.
 *
 * @example
 * ```ts ignore
 * const run = await wrkLoad(target, { concurrency: 32, seconds: 5, maxRequests: 0 }, "/tmp/x");
 * ```
 */
export async function wrkLoad(
  target: LoadTarget,
  options: LoadOptions,
  workDir: string,
): Promise<LoadRun> {
  const script = `${workDir}/${target.name}.lua`;
  await Deno.writeTextFile(script, wrkScript(target), { mode: 0o600 });
  const output = await new Deno.Command("wrk", {
    args: [
      "-t2",
      `-c${options.concurrency}`,
      `-d${options.seconds}s`,
      "--latency",
      "-s",
      script,
      target.urls[0]!,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`wrk failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return parseWrk(target.name, new TextDecoder().decode(output.stdout));
}

/**
 * Throws a clear error when `wrk` is not on `PATH`.
 *
 * @example
 * ```ts ignore
 * await assertWrkInstalled();
 * ```
 */
export async function assertWrkInstalled(): Promise<void> {
  try {
    // `wrk --version` prints its version and exits with status 1; only spawning matters here.
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error("ARCA_BENCH_TOOL=wrk needs wrk on PATH (e.g. apt-get install -y wrk)");
    }
    throw error;
  }
}

function wrkScript(target: LoadTarget): string {
  const quote = (text: string) => `[==[${text}]==]`;
  const paths = target.urls.map((url) => quote(new URL(url).pathname)).join(",\n");
  const bodies = target.bodies.map(quote).join(",\n");
  // A space after "[": "[[" would open a Lua long string.
  const headers = Object.entries(target.headers)
    .map(([name, value]) => `wrk.headers[ ${quote(name)} ] = ${quote(value)}`).join("\n");
  return `wrk.method = "${target.method}"
${headers}
local paths = {${paths}}
local bodies = {${bodies}}
local n = 0
request = function()
  n = n + 1
  local body = nil
  if #bodies > 0 then body = bodies[(n % #bodies) + 1] end
  return wrk.format(nil, paths[(n % #paths) + 1], nil, body)
end
local failures = 0
response = function(status, headers, body)
  if status ~= ${target.expectStatus} then
    failures = failures + 1
    if failures == 1 then io.write("first failure: ", status, " ", body, "\\n") end
  end
end
`;
}

function parseWrk(name: string, text: string): LoadRun {
  const totals = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(text);
  if (!totals) throw new Error(`${name}: cannot read wrk's output:\n${text}`);
  if (/Non-2xx or 3xx responses|Socket errors|first failure/.test(text)) {
    throw new Error(`${name}: wrk saw failed requests:\n${text}`);
  }
  const latency = (label: string) => {
    const match = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(text);
    return match ? toMilliseconds(Number(match[1]), match[2]!) : NaN;
  };
  return {
    requests: Number(totals[1]),
    seconds: toMilliseconds(Number(totals[2]), totals[3]!) / 1000,
    p50: latency("50"),
    p99: latency("99"),
  };
}

function toMilliseconds(value: number, unit: string): number {
  const scale: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
  return value * scale[unit]!;
}
