/**
 * Types shared by the app factory, middleware and routes.
 *
 * @module
 */
import type { BlobStore } from "../store/blob_store.ts";
import type { Store } from "../store/store.ts";
import type { Clock } from "./clock.ts";
import type { Log } from "./_log.ts";
import type { ServerMetrics } from "./_metrics.ts";
import type { ServerSettings } from "./settings.ts";
import type { Tsv1Caller } from "./_tsv1_auth.ts";

/**
 * The Hono environment of the app as a whole and of routes that read no caller: nothing is
 * guaranteed to be on the context. Routes behind an authentication middleware use the
 * environment that middleware guarantees, so a route can only read what was really set.
 */
export type AppEnv = { Variables: Record<never, never> };

/** Routes behind `requireBearer` (`/v1/storage/*`, `/v2/search`): the caller is known. */
export type BearerEnv = {
  Variables: {
    /** The authenticated client. */
    clientId: string;
  };
};

/**
 * Routes behind `optionalBearer` (credential backup): a bearer token is optional, so the caller
 * may be unknown and every read of `clientId` must handle `undefined`.
 */
export type OptionalBearerEnv = {
  Variables: {
    /** The authenticated client, or `undefined` when the request carried no bearer token. */
    clientId: string | undefined;
  };
};

/**
 * Routes behind `requireTsv1` (notes, and the identity login steps; the identity routes that
 * are not signed never read `tsv1`).
 */
export type Tsv1Env = {
  Variables: {
    /** The TSV1 signer. */
    tsv1: Tsv1Caller;
  };
};

/** Dependencies every route receives, with defaults filled in. */
export interface Deps {
  store: Store;
  clock: Clock;
  settings: ServerSettings & { maxBodyBytes: number };
  /** Where file bytes live; `undefined` disables the files API (501). */
  blobs: BlobStore | undefined;
  /** The key signing file URLs. */
  fileUrlKey: Uint8Array;
  /** The request log and the log of background failures. */
  log: Log;
  /** The app's metrics (`GET /metrics`). */
  metrics: ServerMetrics;
}
