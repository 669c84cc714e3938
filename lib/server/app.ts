/**
 * The Hono app factory. It takes its dependencies, so tests run it in-process with
 * `app.request()` and `startServer` runs it under `Deno.serve`.
 *
 * Authentication is declared here, in one place: Basic on `/v1/auth/token`, none on
 * registration and `/healthz`, optional bearer on credential backup, bearer on everything under
 * `/v1/storage`, the admin token on `/v1/arca/admin`.
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ValidationError } from "../errors.ts";
import { errorBody } from "../protocol/error_body.ts";
import type { Store } from "../store/store.ts";
import { optionalBearer, requireAdmin, requireBearer } from "./auth.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { AppEnv, Deps } from "./env.ts";
import { handleError, handleNotFound } from "./error_handler.ts";
import { accessKeyRoutes } from "./routes/access_keys.ts";
import { adminRoutes } from "./routes/admin.ts";
import { authTokenRoutes } from "./routes/auth_token.ts";
import { backupRoutes } from "./routes/backup.ts";
import { clientRoutes } from "./routes/clients.ts";
import { healthRoutes } from "./routes/health.ts";
import { policyRoutes } from "./routes/policies.ts";
import { queryRoutes } from "./routes/query.ts";
import { recordRoutes } from "./routes/records.ts";
import { registrationRoutes } from "./routes/registration.ts";
import { DEFAULT_MAX_BODY_BYTES, type ServerSettings } from "./settings.ts";

/** What {@linkcode createApp} needs. */
export interface AppDeps {
  /** Where everything is kept. */
  store: Store;
  /** Microseconds since the epoch (default: the system clock). */
  clock?: Clock;
  /** Admin token, body limit, public URL. */
  settings?: ServerSettings;
}

/**
 * Builds the HTTP app.
 *
 * @example
 * ```ts
 * import { createApp } from "./app.ts";
 * import { openSqliteStore } from "../store/sqlite_store.ts";
 * const store = await openSqliteStore(":memory:");
 * const app = createApp({ store });
 * const response = await app.request("/healthz");
 * console.log(response.status); // 200
 * await store.close();
 * ```
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const resolved = resolveDeps(deps);
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.notFound(handleNotFound);

  app.use(
    "*",
    bodyLimit({
      maxSize: resolved.settings.maxBodyBytes,
      onError: (c) =>
        c.json(
          errorBody(`Request body is larger than ${resolved.settings.maxBodyBytes} bytes`),
          413,
        ),
    }),
  );
  app.use("/v1/storage/*", requireBearer(resolved));
  app.use("/v1/account/backup/*", optionalBearer(resolved));
  app.use("/v1/arca/admin/*", requireAdmin(resolved));

  app.route("/", healthRoutes(resolved));
  app.route("/", authTokenRoutes(resolved));
  app.route("/", registrationRoutes(resolved));
  app.route("/", backupRoutes(resolved));
  app.route("/", clientRoutes(resolved));
  app.route("/", accessKeyRoutes(resolved));
  app.route("/", recordRoutes(resolved));
  app.route("/", queryRoutes(resolved));
  app.route("/", policyRoutes(resolved));
  app.route("/", adminRoutes(resolved));
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
  return {
    store: deps.store,
    clock: deps.clock ?? systemClock,
    settings: { ...deps.settings, maxBodyBytes },
  };
}
