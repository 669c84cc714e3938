/**
 * Types shared by the app factory, middleware and routes.
 *
 * @module
 */
import type { Store } from "../store/store.ts";
import type { Clock } from "./clock.ts";
import type { ServerSettings } from "./settings.ts";

/** Hono environment: what middleware stores on the context. */
export type AppEnv = {
  Variables: {
    /** The authenticated client (set by the bearer middleware). */
    clientId: string;
  };
};

/** Dependencies every route receives, with defaults filled in. */
export interface Deps {
  store: Store;
  clock: Clock;
  settings: ServerSettings & { maxBodyBytes: number };
}
