/**
 * What `edge.ts` does when `deno serve` runs it: listen where `ARCA_HOST` and `ARCA_PORT` say
 * (through `DENO_SERVE_ADDRESS`, which `deno serve` reads after the module ran), and on SIGTERM
 * or SIGINT end the event streams (so `deno serve`'s own shutdown can finish) and close the store
 * once no request is in flight, or after `ARCA_SHUTDOWN_SECONDS`; a second signal exits at once.
 *
 * @module
 */
import type { EnvReader } from "../env_reader.ts";
import type { EdgeHandler } from "./edge_handler.ts";
import { flushLog } from "./_log.ts";
import { DEFAULT_SHUTDOWN_SECONDS } from "./_shutdown.ts";

/**
 * The `DENO_SERVE_ADDRESS` for `ARCA_HOST` and `ARCA_PORT`, or `undefined` when `ARCA_HOST` is
 * unset or `DENO_SERVE_ADDRESS` is already set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoServeAddress } from "./deno_serve.ts";
 * assert.equal(denoServeAddress(new Map([["ARCA_HOST", "127.0.0.1"]])), "tcp:127.0.0.1:8000");
 * assert.equal(denoServeAddress(new Map()), undefined);
 * ```
 */
export function denoServeAddress(env: EnvReader): string | undefined {
  const host = env.get("ARCA_HOST")?.trim();
  if (host === undefined || host === "" || env.get("DENO_SERVE_ADDRESS") !== undefined) {
    return undefined;
  }
  const port = env.get("ARCA_PORT")?.trim() || "8000";
  return `tcp:${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * Sets `DENO_SERVE_ADDRESS` from `ARCA_HOST` and installs the signal listeners described above.
 *
 * @example
 * ```ts ignore
 * // edge.ts, when it is the main module (a test runs `deno serve edge.ts`).
 * if (import.meta.main) prepareDenoServe(edgeHandler);
 * ```
 */
export function prepareDenoServe(handler: EdgeHandler, env: EnvReader = Deno.env): void {
  const address = denoServeAddress(env);
  if (address !== undefined) Deno.env.set("DENO_SERVE_ADDRESS", address);
  const seconds = Number(env.get("ARCA_SHUTDOWN_SECONDS") ?? DEFAULT_SHUTDOWN_SECONDS);
  let stopping = false;
  const onSignal = () => {
    if (stopping) {
      flushLog();
      Deno.exit(1);
    }
    stopping = true;
    // The grace period bounds the wait; the store closes either way (deno serve's own shutdown
    // has stopped accepting by then).
    const timer = setTimeout(() => void handler.shutdown(), seconds * 1000);
    Deno.unrefTimer(timer);
    handler.drain().then(() => {
      clearTimeout(timer);
      return handler.shutdown();
    });
  };
  Deno.addSignalListener("SIGTERM", onSignal);
  Deno.addSignalListener("SIGINT", onSignal);
}
