/**
 * Types shared by the app factory, middleware and routes.
 *
 * @module
 */
import type { BlobStore } from "../store/blob_store.ts";
import type { Store } from "../store/store.ts";
import type { Clock } from "./clock.ts";
import type { ServerSettings } from "./settings.ts";
import type { Tsv1Caller } from "./tsv1_auth.ts";

/** Hono environment: what middleware stores on the context. */
export type AppEnv = {
  Variables: {
    /** The authenticated client (set by the bearer middleware). */
    clientId: string;
    /** The TSV1 signer (set by the TSV1 middleware). */
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
}
