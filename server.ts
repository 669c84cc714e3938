/**
 * The Arca server entry point.
 *
 * - `deno task serve` (`deno run ... server.ts`) starts it from `ARCA_*` environment settings,
 *   with a graceful shutdown on SIGTERM and SIGINT (`deno serve server.ts` runs the same code).
 * - Edge runtimes and `deno serve edge.ts` use `edge.ts`'s default export `{ fetch }`.
 * - `startServer(options)` starts it from code (tests, `arca serve`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startServer } from "@arca/arca/server";
 * const dataDir = await Deno.makeTempDir();
 * const server = await startServer({ dataDir, port: 0, print: () => {} }); // port 0: any free port
 * assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
 * await server.shutdown();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 *
 * @module
 */
import { runServerProcess } from "./lib/server/serve_process.ts";

export { createApp } from "./lib/server/app.ts";
export type { AppDeps } from "./lib/server/app.ts";
export type { Clock } from "./lib/server/clock.ts";
export type { AppEnv } from "./lib/server/env.ts";
export type { ServerSettings } from "./lib/server/settings.ts";
export type { EnvReader } from "./lib/env_reader.ts";
export {
  prepareApp,
  type PreparedApp,
  type RunningServer,
  serverOptionsFromEnv,
  startServer,
  type StartServerOptions,
} from "./lib/server/start_server.ts";
export type * from "./lib/store/store.ts";
export type * from "./lib/store/accounts.ts";
export type * from "./lib/store/registration_tokens.ts";
export type * from "./lib/store/clients.ts";
export type * from "./lib/store/bearer_tokens.ts";
export type * from "./lib/store/records.ts";
export type * from "./lib/store/search.ts";
export type * from "./lib/store/grant_key.ts";
export type * from "./lib/store/access_keys.ts";
export type * from "./lib/store/policies.ts";
export type * from "./lib/store/notes.ts";
export type * from "./lib/store/files.ts";
export type * from "./lib/store/identity.ts";
export type * from "./lib/store/replay_nonces.ts";
export type * from "./lib/store/login_failures.ts";
export type * from "./lib/store/revocations.ts";
export type { PlainFilter } from "./lib/protocol/query.ts";
export type { PublicKeyType, SigningKeyType } from "./lib/protocol/keys.ts";
export type { Migration } from "./lib/store/sqlite/migrations.ts";
export { openSqliteStore, type SqliteStoreOptions } from "./lib/store/sqlite/store.ts";

export { createEdgeHandler, type EdgeHandler } from "./lib/server/edge_handler.ts";
export { runServerProcess } from "./lib/server/serve_process.ts";

// No default export here: `deno run` warns about a module whose default export has a `fetch`
// (edge.ts has it). `deno serve server.ts` prints that it found none, then runs this same code.
if (import.meta.main) await runServerProcess();
