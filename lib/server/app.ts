/**
 * The Hono app factory. It takes its dependencies, so tests run it in-process with
 * `app.request()` and `startServer` runs it under `Deno.serve`.
 *
 * Authentication is declared here, in one place: Basic on `/v1/auth/token`, none on
 * registration and `/healthz`, optional bearer on credential backup, bearer on everything under
 * `/v1/storage` and on `/v2/search` and on `/v1/arca/users/me` (the other user routes are
 * public), on `/v1/arca/containers` and `/v1/arca/events`, the admin token on
 * `/v1/arca/admin` and `/metrics`, a signed capability in the URL on the file
 * bytes under `/v1/arca/files` (which also skip the body limit: uploads stream to the blobs),
 * TSV1 signatures (one shared replay cache) on notes and the identity login steps, none on the
 * OpenAPI document (`/openapi.json`) and the web console's static files (`/console`, which logs
 * in by itself in the page).
 *
 * @module
 */
import { Hono } from "hono";
import { ValidationError } from "../errors.ts";
import { randomBytes } from "../crypto/bytes.ts";
import { MIN_HMAC_KEY_BYTES } from "../crypto/hmac.ts";
import type { BlobStore } from "../store/blob_store.ts";
import type { Store } from "../store/store.ts";
import { limitBody } from "./_body_limit.ts";
import { countingBlobs } from "./_counting_blobs.ts";
import { createLog } from "./_log.ts";
import { ServerMetrics } from "./_metrics.ts";
import { logRequests } from "./_request_log.ts";
import { optionalBearer, requireAdmin, requireBearer } from "./_auth.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { AppEnv, Deps } from "./env.ts";
import { handleError, handleNotFound } from "./_error_handler.ts";
import { requireTsv1 } from "./_tsv1_auth.ts";
import { FILE_BYTES_PATH } from "./_file_urls.ts";
import { accessKeyRoutes } from "./routes/access_keys.ts";
import { adminRoutes } from "./routes/admin.ts";
import { authTokenRoutes } from "./routes/auth_token.ts";
import { backupRoutes } from "./routes/backup.ts";
import { clientRoutes } from "./routes/clients.ts";
import { consoleRoutes } from "./routes/console.ts";
import { CONTAINER_UPLOAD_PATH, containerContentRoutes } from "./routes/container_content.ts";
import { containerRoutes } from "./routes/containers.ts";
import { eventRoutes } from "./routes/events.ts";
import { fileBytesRoutes } from "./routes/file_bytes.ts";
import { fileRoutes } from "./routes/files.ts";
import { healthRoutes } from "./routes/health.ts";
import { METRICS_PATH, metricsRoutes } from "./routes/metrics.ts";
import { identityRoutes } from "./routes/identity.ts";
import { identityAdminRoutes } from "./routes/identity_admin.ts";
import { noteRoutes } from "./routes/notes.ts";
import { openApiRoutes } from "./routes/openapi.ts";
import { policyRoutes } from "./routes/policies.ts";
import { queryRoutes } from "./routes/query.ts";
import { recordRoutes } from "./routes/records.ts";
import { registrationRoutes } from "./routes/registration.ts";
import { searchRoutes } from "./routes/search.ts";
import { userRoutes } from "./routes/users.ts";
import { DEFAULT_APP_LOG_LEVEL, DEFAULT_MAX_BODY_BYTES, type ServerSettings } from "./settings.ts";

/** What {@linkcode createApp} needs. */
export interface AppDeps {
  /** Where everything is kept. */
  store: Store;
  /** Microseconds since the epoch (default: the system clock). */
  clock?: Clock;
  /** Admin token, body limit, public URL. */
  settings?: ServerSettings;
  /** Where file bytes live (default: none, and the files API answers 501). */
  blobs?: BlobStore;
  /** Where the app counts its metrics (default: its own). */
  metrics?: ServerMetrics;
}

/**
 * Builds the HTTP app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createApp } from "./app.ts";
 * import { openSqliteStore } from "../store/sqlite/store.ts";
 * const store = await openSqliteStore(":memory:");
 * const app = createApp({ store });
 * const response = await app.request("/healthz");
 * assert.equal(response.status, 200);
 * await store.close();
 * ```
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const resolved = resolveDeps(deps);
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);
  app.use("*", logRequests(resolved.log, resolved.metrics));

  const bodyLimit = limitBody(resolved.settings.maxBodyBytes);
  // File uploads are streamed to the blob store and checked against their announced size.
  app.use(
    "*",
    (c, next) =>
      c.req.path.startsWith(`${FILE_BYTES_PATH}/`) ||
        (c.req.method === "PUT" && CONTAINER_UPLOAD_PATH.test(c.req.path))
        ? next()
        : bodyLimit(c, next),
  );
  app.use("/v1/storage/*", requireBearer(resolved));
  app.use("/v2/search", requireBearer(resolved));
  app.use("/v1/account/backup/*", optionalBearer(resolved));
  app.use("/v1/arca/admin/*", requireAdmin(resolved));
  app.use(METRICS_PATH, requireAdmin(resolved));
  app.use("/v1/arca/users/me/*", requireBearer(resolved));
  app.use("/v1/arca/containers/*", requireBearer(resolved));
  app.use("/v1/arca/events/*", requireBearer(resolved));
  const tsv1 = requireTsv1(resolved);
  // "/x/*" also matches "/x" itself; each request must meet the middleware once.
  app.use("/v2/storage/notes/*", tsv1);
  app.use("/v1/identity/login/*", tsv1);
  app.use("/v1/identity/tozid/redirect", tsv1);

  app.route("/", healthRoutes(resolved));
  app.route("/", metricsRoutes(resolved));
  app.route("/", authTokenRoutes(resolved));
  app.route("/", registrationRoutes(resolved));
  app.route("/", backupRoutes(resolved));
  app.route("/", clientRoutes(resolved));
  app.route("/", accessKeyRoutes(resolved));
  app.route("/", recordRoutes(resolved));
  app.route("/", fileRoutes(resolved));
  app.route("/", fileBytesRoutes(resolved));
  app.route("/", queryRoutes(resolved));
  app.route("/", searchRoutes(resolved));
  app.route("/", policyRoutes(resolved));
  app.route("/", adminRoutes(resolved));
  app.route("/", userRoutes(resolved));
  app.route("/", containerRoutes(resolved));
  app.route("/", containerContentRoutes(resolved));
  app.route("/", eventRoutes(resolved));
  // Failed credential-note reads and failed logins count in the store's login failures.
  app.route("/", noteRoutes(resolved));
  app.route("/", identityRoutes(resolved));
  app.route("/", identityAdminRoutes(resolved));
  app.route("/", openApiRoutes());
  app.route("/", consoleRoutes(resolved));
  return app;
}

function resolveDeps(deps: AppDeps): Deps {
  if (typeof deps !== "object" || deps === null || typeof deps.store !== "object") {
    throw new ValidationError("createApp needs { store }");
  }
  const maxBodyBytes = deps.settings?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1024) {
    throw new ValidationError(`maxBodyBytes must be an integer >= 1024, got ${maxBodyBytes}`);
  }
  if (deps.clock !== undefined && typeof deps.clock !== "function") {
    throw new ValidationError("clock must be a function returning microseconds");
  }
  const fileUrlKey = deps.settings?.fileUrlKey ?? randomBytes(32);
  if (!(fileUrlKey instanceof Uint8Array) || fileUrlKey.length < MIN_HMAC_KEY_BYTES) {
    throw new ValidationError(`fileUrlKey must be at least ${MIN_HMAC_KEY_BYTES} bytes`);
  }
  const metrics = deps.metrics ?? new ServerMetrics();
  return {
    store: deps.store,
    clock: deps.clock ?? systemClock,
    settings: { ...deps.settings, maxBodyBytes },
    blobs: deps.blobs === undefined ? undefined : countingBlobs(deps.blobs, metrics),
    fileUrlKey,
    log: createLog(deps.settings?.logLevel ?? DEFAULT_APP_LOG_LEVEL),
    metrics,
  };
}
