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
import { prepareApp, type PreparedApp, type StartServerOptions } from "./start_server.ts";

/** A `{ fetch }` handler that starts the app on demand, and can stop it. */
export interface EdgeHandler {
  /** Answers a request (`info` is `deno serve`'s connection info, passed on to the app). */
  fetch(request: Request, info?: unknown): Promise<Response>;
  /** Stops the housekeeping and closes the store and blobs it opened, if the app was started. */
  shutdown(): Promise<void>;
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
  const start = (): Promise<Started> => {
    starting ??= startApp(readOptions).catch((error) => {
      starting = undefined; // the next request tries again
      throw error;
    });
    return starting;
  };
  return {
    async fetch(request, info) {
      let started: Started;
      try {
        started = await start();
      } catch (error) {
        console.error("Arca could not start (retried on the next request):", error);
        return Response.json(
          { error: "The server could not start; it retries on the next request" },
          { status: 503, headers: { "retry-after": "1" } },
        );
      }
      return await started.app.fetch(request, info);
    },
    async shutdown() {
      const current = starting;
      starting = undefined;
      const started = await current?.catch(() => undefined);
      if (started === undefined) return;
      endEventStreams(started.prepared.store);
      await started.housekeeper.stop();
      await started.prepared.close();
    },
  };
}

async function startApp(readOptions: () => StartServerOptions): Promise<Started> {
  const options = readOptions();
  const prepared = await prepareApp(options);
  const housekeeper = startHousekeeping({
    store: prepared.store,
    blobs: prepared.blobs,
    clock: options.clock ?? systemClock,
    eventRetentionDays: options.eventRetentionDays,
  });
  return { app: prepared.app, prepared, housekeeper };
}
