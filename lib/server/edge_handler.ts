/**
 * The handler `deno serve` and edge runtimes use (server.ts's default export). The first request
 * builds the app ({@linkcode prepareApp}) from the options and starts its housekeeping. Requests
 * that arrive while it starts wait for it. A failed start is logged and answered 503
 * `{"error": ...}`; it is not remembered, so the next request tries again (an operator can fix
 * the data directory without a restart).
 *
 * @module
 */
import type { Hono } from "hono";
import { systemClock } from "./clock.ts";
import type { AppEnv } from "./env.ts";
import { endEventStreams } from "./_event_notifier.ts";
import { type Housekeeper, startHousekeeping } from "./_housekeeping.ts";
import { drainGate } from "./_drain.ts";
import type { Handler } from "./_listen.ts";
import { createLog } from "./_log.ts";
import { DEFAULT_APP_LOG_LEVEL } from "./settings.ts";
import { startupFailureLine } from "./_startup_failure.ts";
import { firstStartTokenLines } from "./_startup_banner.ts";
import { prepareApp, type PreparedApp, type StartServerOptions } from "./start_server.ts";

/** A `{ fetch }` handler that starts the app on demand, and can stop it. */
export interface EdgeHandler {
  /** Answers a request (`info` is `deno serve`'s connection info, passed on to the app). */
  fetch(request: Request, info?: unknown): Promise<Response>;
  /** Stops the housekeeping and closes the store and blobs it opened, if the app was started. */
  shutdown(): Promise<void>;
  /**
   * Ends the open event streams and resolves when no request is in flight; requests that arrive
   * meanwhile get 503 (`_drain.ts`). `deno serve` runs its own shutdown on SIGTERM; this lets the
   * process close the store as soon as that shutdown has nothing left to wait for.
   */
  drain(): Promise<void>;
}

interface Started {
  app: Hono<AppEnv>;
  prepared: PreparedApp;
  housekeeper: Housekeeper;
}

/**
 * A handler that builds the app from `readOptions()` on the first request, and again after a
 * failed start.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createEdgeHandler } from "./edge_handler.ts";
 * const dataDir = await Deno.makeTempDir();
 * const handler = createEdgeHandler(() => ({ dataDir, print: () => {} }));
 * const reply = await handler.fetch(new Request("http://localhost/healthz"));
 * assert.equal(reply.status, 200);
 * await reply.body?.cancel();
 * await handler.shutdown();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export function createEdgeHandler(readOptions: () => StartServerOptions): EdgeHandler {
  let starting: Promise<Started> | undefined;
  let started: Started | undefined;
  const start = (): Promise<Started> => {
    starting ??= startApp(readOptions).then((ready) => started = ready, (error) => {
      starting = undefined; // the next request tries again
      throw error;
    });
    return starting;
  };
  const answer = async (request: Request, info?: unknown): Promise<Response> => {
    let running: Started;
    try {
      running = await start();
    } catch (error) {
      console.error(`${startupFailureLine(error, {})} (retried on the next request)`);
      return Response.json(
        { error: "The server could not start; it retries on the next request" },
        { status: 503, headers: { "retry-after": "1" } },
      );
    }
    return await running.app.fetch(request, info);
  };
  const gate = drainGate(answer as Handler);
  return {
    fetch: (request, info) =>
      Promise.resolve(gate.handler(request, info as Deno.ServeHandlerInfo<Deno.NetAddr>)),
    async shutdown() {
      const current = starting;
      starting = undefined;
      started = undefined;
      const running = await current?.catch(() => undefined);
      if (running === undefined) return;
      endEventStreams(running.prepared.store);
      await running.housekeeper.stop();
      await running.prepared.close();
    },
    drain() {
      if (started !== undefined) endEventStreams(started.prepared.store);
      return gate.drain();
    },
  };
}

async function startApp(readOptions: () => StartServerOptions): Promise<Started> {
  const options = readOptions();
  const prepared = await prepareApp(options);
  for (const line of firstStartTokenLines(prepared)) (options.print ?? console.log)(line);
  const housekeeper = startHousekeeping({
    store: prepared.store,
    blobs: prepared.blobs,
    clock: options.clock ?? systemClock,
    eventRetentionDays: options.eventRetentionDays,
    log: createLog(options.logLevel ?? DEFAULT_APP_LOG_LEVEL),
  });
  return { app: prepared.app, prepared, housekeeper };
}
