/**
 * The Arca server for `deno serve` and edge runtimes: the default export `{ fetch }` builds the
 * app from the `ARCA_*` environment settings on the first request and starts its housekeeping (a
 * failed start answers 503 and is retried on the next request).
 *
 * Under `deno serve edge.ts`, `ARCA_HOST` (with `ARCA_PORT`, default 8000) sets where it listens
 * unless `DENO_SERVE_ADDRESS` is set; without either, `deno serve` takes its own `--host` and
 * `--port`. On SIGTERM or SIGINT the event streams end, so `deno serve`'s own shutdown can finish
 * the requests in flight, and the store closes once none is left (at the latest after
 * `ARCA_SHUTDOWN_SECONDS`, default 10).
 *
 * @example
 * ```ts ignore
 * // deno serve -A --port 8000 edge.ts
 * import edge from "@arca/arca/edge";
 * Deno.serve(edge.fetch);
 * ```
 *
 * @module
 */
import { createEdgeHandler, type EdgeHandler } from "./lib/server/edge_handler.ts";
import { prepareDenoServe } from "./lib/server/deno_serve.ts";
import { serverOptionsFromEnv } from "./lib/server/start_server.ts";

const edgeHandler: EdgeHandler = createEdgeHandler(() => serverOptionsFromEnv());
export default edgeHandler;
export type { EdgeHandler };

if (import.meta.main) prepareDenoServe(edgeHandler);
