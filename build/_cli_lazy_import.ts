/**
 * The bundled CLI's `lib/cli/_lazy_import.ts` (build/cli.ts swaps one for the other): the same
 * `importLater`, with a literal `import("…")` per on-demand module, so that esbuild puts each
 * module of `LAZY_MODULES` into the bundle as a chunk of its own, loaded when a command needs it.
 *
 * The server stays out of the bundle (it starts workers from its own files and uses every
 * backend): `arca serve` imports `server.ts` from the repository, whose root is two folders above
 * the bundle's chunks (`dist/cli/`).
 *
 * @module
 */
import type { LazyModule } from "../lib/cli/_lazy.ts";

const LOADERS: Record<LazyModule, () => Promise<unknown>> = {
  "lib/sdk/admin_client.ts": () => import("../lib/sdk/admin_client.ts"),
  "lib/sdk/client.ts": () => import("../lib/sdk/client.ts"),
  "lib/sdk/config.ts": () => import("../lib/sdk/config.ts"),
  "lib/sdk/identity_admin.ts": () => import("../lib/sdk/identity_admin.ts"),
  "lib/sdk/identity.ts": () => import("../lib/sdk/identity.ts"),
  "lib/sdk/key_text.ts": () => import("../lib/sdk/key_text.ts"),
  "lib/sdk/notes.ts": () => import("../lib/sdk/notes.ts"),
  "lib/sdk/registration.ts": () => import("../lib/sdk/registration.ts"),
  "lib/sdk/search.ts": () => import("../lib/sdk/search.ts"),
  "lib/crypto/suites.ts": () => import("../lib/crypto/suites.ts"),
  "lib/sdk/users/app.ts": () => import("../lib/sdk/users/app.ts"),
  "server.ts": () => import(new URL("../../server.ts", import.meta.url).href),
};

/**
 * Imports `path` (relative to the repository root) when called.
 *
 * @example
 * ```ts ignore
 * // Meaningful only inside the bundle (dist/cli/), where the server's path resolves.
 * const { startServer } = await importLater<typeof import("../server.ts")>("server.ts");
 * ```
 */
export function importLater<T>(path: LazyModule): Promise<T> {
  return LOADERS[path]() as Promise<T>;
}
