/**
 * Running the server as a process: settings from the environment (`_options_from_env.ts`), the store (the data
 * directory's SQLite file, or PostgreSQL with `ARCA_DATABASE_URL`) and the blobs folder,
 * first-start bootstrap, and `Deno.serve`.
 *
 * @module
 */
import type { Hono } from "hono";
import { join } from "node:path";
import { ValidationError } from "../errors.ts";
import type { BlobStore } from "../store/blob_store.ts";
import { FsBlobStore } from "../store/fs_blob_store.ts";
import { PostgresBlobStore } from "../store/postgres/blob_store.ts";
import { openPostgresStore } from "../store/postgres/store.ts";
import { openSqliteStore } from "../store/sqlite/store.ts";
import type { Store } from "../store/store.ts";
import { createApp } from "./app.ts";
import { bootstrapStore } from "./_bootstrap.ts";
import { dataDirAdminToken } from "./_admin_token_file.ts";
import { describePublicUrl } from "./_public_url.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { AppEnv } from "./env.ts";
import { endEventStreams } from "./_event_notifier.ts";
import { startHousekeeping } from "./_housekeeping.ts";
import { createLog, type LogLevel } from "./_log.ts";
import { ServerMetrics } from "./_metrics.ts";
import { drainGate } from "./_drain.ts";
import { lazyHandler, listen, type Listening } from "./_listen.ts";
import { startupBanner } from "./_startup_banner.ts";
import { METRICS_PATH, metricsResponse } from "./routes/metrics.ts";
import { type CallerLimits, DEFAULT_APP_LOG_LEVEL } from "./settings.ts";

/** The data directory when none is given. */
export const DEFAULT_DATA_DIR = "./arca-data";

/** Name of the SQLite file inside the data directory. */
export const SQLITE_FILE_NAME = "arca.sqlite3";
/** Name of the blobs folder inside the data directory. */
export const BLOBS_DIR_NAME = "blobs";

/** Options of {@linkcode startServer}; {@linkcode serverOptionsFromEnv} reads them from env. */
export interface StartServerOptions extends CallerLimits {
  /**
   * Data directory (default `./arca-data`): the SQLite file and the blobs folder. With
   * `databaseUrl` it holds only the blobs folder. The SQLite file is ignored when `store` is given.
   */
  dataDir?: string | undefined;
  /**
   * A PostgreSQL URL (`postgres://` or `postgresql://`): the store lives there instead of in the
   * data directory's SQLite file, and several instances may share it.
   */
  databaseUrl?: string | undefined;
  /** Connections in the PostgreSQL pool (default 10); with `databaseUrl` only. */
  databasePoolSize?: number | undefined;
  /** Interface to listen on (default `127.0.0.1`). */
  hostname?: string | undefined;
  /** Port (default 8000; 0 picks a free one). */
  port?: number | undefined;
  /** Public base URL clients use (default `http://{hostname}:{port}`). */
  publicUrl?: string | undefined;
  /** This exact value becomes a valid reusable registration token. */
  registrationToken?: string | undefined;
  /** Enables the admin API with this bearer token. */
  adminToken?: string | undefined;
  /** Largest request body in bytes (default 16 MiB). */
  maxBodyBytes?: number | undefined;
  /** Bytes of hot records the store keeps in memory (default 32 MiB; 0 turns it off). */
  recordCacheBytes?: number | undefined;
  /**
   * Durability (`ARCA_SYNC`): `"normal"` (default; SQLite `synchronous = NORMAL`, blobs flushed
   * before they appear) or `"full"` (SQLite `synchronous = FULL`, and a blob's directories are
   * flushed after it is linked into place). See docs/server.md, Storage.
   */
  sync?: "normal" | "full" | undefined;
  /** Storage quota per client in bytes (default 10 GiB; 0 = unlimited). */
  clientQuotaBytes?: number | undefined;
  /** Largest file in bytes (default 5 GiB). */
  maxFileBytes?: number | undefined;
  /** Whether `/console` serves the web console (default true; `ARCA_CONSOLE=off`). */
  console?: boolean | undefined;
  /** A store to use instead of the data directory's SQLite file (not closed on shutdown). */
  store?: Store | undefined;
  /** Where file bytes go (default: the `blobs` folder of the data directory). */
  blobs?: BlobStore | undefined;
  /**
   * Which blob store to open when `blobs` is not given (`ARCA_BLOB_STORE`): `"fs"` (default, the
   * data directory's `blobs` folder, which may be on a shared path) or `"postgres"` (tables in
   * the `databaseUrl` database, which it needs).
   */
  blobStore?: "fs" | "postgres" | undefined;
  /** HMAC key for file URLs, at least 32 bytes (default: random per process). */
  fileUrlKey?: Uint8Array | undefined;
  /** Clock in microseconds (default: system). */
  clock?: Clock | undefined;
  /** Where the start-up banner and the one-time token go (default `console.log`). */
  print?: ((line: string) => void) | undefined;
  /**
   * The request log's level (`ARCA_LOG_LEVEL`; default `warn` in code, `info` from the
   * environment). See docs/server.md, Logs.
   */
  logLevel?: LogLevel | undefined;
  /**
   * A port of its own for `GET /metrics` without the admin token, for a scraper
   * (`ARCA_METRICS_PORT`; default none: `/metrics` only on the main port, with the admin token).
   */
  metricsPort?: number | undefined;
  /** The interface of the metrics port (`ARCA_METRICS_HOST`; default `127.0.0.1`). */
  metricsHostname?: string | undefined;
  /**
   * How long a shutdown waits for requests in flight, in seconds (`ARCA_SHUTDOWN_SECONDS`;
   * default 10). Used by the process entry point (`server.ts`) on SIGTERM and SIGINT.
   */
  shutdownSeconds?: number | undefined;
}

/** A running server. */
export interface RunningServer {
  /** Base URL it listens on, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** The Hono app (for in-process requests). */
  app: Hono<AppEnv>;
  /** The store it serves. */
  store: Store;
  /** The reusable registration token generated on first start, or `undefined`. */
  generatedRegistrationToken: string | undefined;
  /** The admin token generated on first start (SQLite data directories), or `undefined`. */
  generatedAdminToken: string | undefined;
  /** The URL of the metrics listener (`metricsPort`), or `undefined`. */
  metricsUrl: string | undefined;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stops listening and closes the store it opened. */
  shutdown(): Promise<void>;
}

export { serverOptionsFromEnv } from "./_options_from_env.ts";

/**
 * Opens the data directory: creates it (mode 0700) and its blobs folder, and opens the SQLite
 * store inside.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openDataDir } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { store, blobsDir } = await openDataDir(dataDir);
 * assert.equal(blobsDir, `${dataDir}/blobs`);
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function openDataDir(
  dataDir: string,
  options: Pick<StartServerOptions, "recordCacheBytes" | "sync"> = {},
): Promise<{ store: Store; blobsDir: string }> {
  if (typeof dataDir !== "string" || dataDir === "") {
    throw new ValidationError("Data directory must be a non-empty path");
  }
  const blobsDir = join(dataDir, BLOBS_DIR_NAME);
  await Deno.mkdir(blobsDir, { recursive: true, mode: 0o700 });
  const store = await openSqliteStore(join(dataDir, SQLITE_FILE_NAME), {
    ...(options.recordCacheBytes === undefined
      ? {}
      : { recordCacheBytes: options.recordCacheBytes }),
    ...(options.sync === undefined ? {} : { sync: options.sync }),
  });
  return { store, blobsDir };
}

/** The store {@linkcode prepareApp} opens, and whether this process is its only user. */
interface OwnedStore {
  store: Store;
  blobsDir: string;
  /** True for SQLite (the file lock keeps other processes out), false for PostgreSQL. */
  exclusive: boolean;
}

/** Opens the store the options name: PostgreSQL with `databaseUrl`, else the data directory. */
async function openOwnedStore(options: StartServerOptions): Promise<OwnedStore> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  if (options.databaseUrl === undefined) {
    return { ...await openDataDir(dataDir, options), exclusive: true };
  }
  if (typeof dataDir !== "string" || dataDir === "") {
    throw new ValidationError("Data directory must be a non-empty path");
  }
  const blobsDir = join(dataDir, BLOBS_DIR_NAME);
  await Deno.mkdir(blobsDir, { recursive: true, mode: 0o700 });
  const store = await openPostgresStore(
    options.databaseUrl,
    { poolSize: options.databasePoolSize },
  );
  return { store, blobsDir, exclusive: false };
}

/** What {@linkcode prepareApp} returns. */
export interface PreparedApp {
  /** The ready app. */
  app: Hono<AppEnv>;
  /** The store it serves. */
  store: Store;
  /** Whether the store was opened here (and should be closed by the caller). */
  ownsStore: boolean;
  /** Where file bytes go, or `undefined` when files are disabled. */
  blobs: BlobStore | undefined;
  /** The reusable registration token generated on first start, or `undefined`. */
  generatedRegistrationToken: string | undefined;
  /** The admin token generated on first start (SQLite data directories), or `undefined`. */
  generatedAdminToken: string | undefined;
  /** Whether the data directory keeps an admin token's digest (used without `adminToken`). */
  adminTokenKept: boolean;
  /** The app's metrics. */
  metrics: ServerMetrics;
  /** Closes what was opened here: the store when `ownsStore`, and a PostgreSQL blob store. */
  close(): Promise<void>;
}

/** The blob store the options name, and how to close it (`undefined` when files are disabled). */
async function openBlobs(
  options: StartServerOptions,
  blobsDir: string | undefined,
): Promise<{ blobs: BlobStore | undefined; close: () => Promise<void> }> {
  const none = () => Promise.resolve();
  if (options.blobs !== undefined) return { blobs: options.blobs, close: none };
  if (options.blobStore === "postgres") {
    if (options.databaseUrl === undefined) {
      throw new ValidationError("The PostgreSQL blob store needs a database URL");
    }
    const blobs = await PostgresBlobStore.open(options.databaseUrl);
    return { blobs, close: () => blobs.close() };
  }
  if (blobsDir === undefined) return { blobs: undefined, close: none };
  return {
    blobs: new FsBlobStore(blobsDir, { syncDirectories: options.sync === "full" }),
    close: none,
  };
}

/**
 * Builds a ready app from options without listening: opens the store and bootstraps it (the
 * caller prints the first-start registration token it returns, once it serves). Edge runtimes use
 * this.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareApp } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { app, store } = await prepareApp({ dataDir, print: () => {} });
 * assert.equal((await app.request("/healthz")).status, 200);
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function prepareApp(options: StartServerOptions = {}): Promise<PreparedApp> {
  const clock = options.clock ?? systemClock;
  const print = options.print ?? console.log;
  const ownsStore = options.store === undefined;
  const opened = ownsStore ? await openOwnedStore(options) : undefined;
  const store = options.store ?? opened!.store;
  const blobsDir = opened?.blobsDir ??
    (options.dataDir === undefined ? undefined : join(options.dataDir, BLOBS_DIR_NAME));
  const openedBlobs = await openBlobs(options, blobsDir).catch(async (error) => {
    if (ownsStore) await store.close();
    throw error;
  });
  const blobs = openedBlobs.blobs;
  const close = async () => {
    await openedBlobs.close();
    if (ownsStore) await store.close();
  };
  try {
    const { generatedToken, firstStart } = await bootstrapStore(
      store,
      { configuredToken: options.registrationToken },
      clock(),
    );
    // This process holds the SQLite file's lock: no upload is running, so any marked as running
    // died with an earlier process, and its URL may be retried. (On PostgreSQL another instance
    // may be running it: such an upload waits for its expiry instead.)
    if (opened?.exclusive === true) await store.files.resetInterruptedUploads();
    print(describePublicUrl(options.publicUrl));
    // A SQLite data directory keeps the digest of an admin token generated on its first start.
    const admin = options.adminToken === undefined && opened?.exclusive === true
      ? await dataDirAdminToken(options.dataDir ?? DEFAULT_DATA_DIR, firstStart)
      : { tokenHash: undefined, generated: undefined };
    const metrics = new ServerMetrics();
    const app = createApp({
      store,
      clock,
      metrics,
      ...(blobs === undefined ? {} : { blobs }),
      settings: {
        logLevel: options.logLevel,
        adminToken: options.adminToken,
        adminTokenHash: admin.tokenHash,
        maxBodyBytes: options.maxBodyBytes,
        publicUrl: options.publicUrl,
        fileUrlKey: options.fileUrlKey,
        clientQuotaBytes: options.clientQuotaBytes,
        maxFileBytes: options.maxFileBytes,
        console: options.console,
        trustedProxies: options.trustedProxies,
        anonymousNoteMaxBytes: options.anonymousNoteMaxBytes,
        anonymousNotesPerMinute: options.anonymousNotesPerMinute,
        tsv1NoncesPerKey: options.tsv1NoncesPerKey,
        tsv1AnonymousNoncesPerAddress: options.tsv1AnonymousNoncesPerAddress,
        keyFileAttemptsPerUser: options.keyFileAttemptsPerUser,
        keyFileAttemptsPerAddress: options.keyFileAttemptsPerAddress,
        keyFileAttemptWindowSeconds: options.keyFileAttemptWindowSeconds,
        maxKeyFileBytes: options.maxKeyFileBytes,
        containerInlineBytes: options.containerInlineBytes,
        eventStreamsPerClient: options.eventStreamsPerClient,
        eventHeartbeatSeconds: options.eventHeartbeatSeconds,
        eventRetentionDays: options.eventRetentionDays,
      },
    });
    return {
      app,
      store,
      ownsStore,
      blobs,
      generatedRegistrationToken: generatedToken,
      generatedAdminToken: admin.generated,
      adminTokenKept: admin.tokenHash !== undefined,
      metrics,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Starts the server: binds the port first (so a taken port stops the start before anything is
 * written), then prepares the app ({@linkcode prepareApp}) and prints the start-up banner with
 * the one-time tokens. Requests that arrive in between wait for the app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startServer } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const server = await startServer({ dataDir, port: 0, print: () => {} });
 * assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
 * await server.shutdown();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const print = options.print ?? console.log;
  const lazy = lazyHandler<PreparedApp>((prepared) => prepared.app.fetch);
  const gate = drainGate(lazy.handler);
  const listener = await listen(options.hostname, options.port ?? 8000, gate.handler);
  let prepared: PreparedApp;
  let metricsListener: Listening | undefined;
  try {
    prepared = await prepareApp({ ...options, print });
    if (options.metricsPort !== undefined) {
      const handler = (request: Request) =>
        new URL(request.url).pathname === METRICS_PATH
          ? metricsResponse(prepared.metrics, prepared.store)
          : Response.json({ error: `This port serves only ${METRICS_PATH}` }, { status: 404 });
      metricsListener = await listen(options.metricsHostname, options.metricsPort, handler)
        .catch(async (error) => {
          await prepared.close();
          throw error;
        });
    }
  } catch (error) {
    lazy.fail(error);
    await listener.server.shutdown();
    throw error;
  }
  lazy.ready(prepared);
  for (const line of startupBanner(options, listener.url, prepared, metricsListener?.url)) {
    print(line);
  }
  const housekeeper = startHousekeeping({
    store: prepared.store,
    blobs: prepared.blobs,
    clock: options.clock ?? systemClock,
    eventRetentionDays: options.eventRetentionDays,
    log: createLog(options.logLevel ?? DEFAULT_APP_LOG_LEVEL),
  });
  let stopped: Promise<void> | undefined;
  return {
    url: listener.url,
    app: prepared.app,
    store: prepared.store,
    generatedRegistrationToken: prepared.generatedRegistrationToken,
    generatedAdminToken: prepared.generatedAdminToken,
    metricsUrl: metricsListener?.url,
    finished: listener.server.finished,
    shutdown() {
      stopped ??= (async () => {
        endEventStreams(prepared.store); // open streams would hold the shutdown forever
        await gate.drain(); // before shutdown(), which cuts off request bodies (_drain.ts)
        await Promise.all([listener.server.shutdown(), metricsListener?.server.shutdown()]);
        await housekeeper.stop();
        await prepared.close();
      })();
      return stopped;
    },
  };
}
