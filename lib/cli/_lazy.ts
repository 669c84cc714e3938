/**
 * The SDK and server modules a command loads when it runs, one loader each.
 *
 * The specifiers are not string literals on purpose. When Deno loads a module it also loads (reads
 * and parses, without running) the whole module graph behind every literal `import("…")` in it, so
 * literal imports in the command files made `arca --help` walk the SDK, zod and the server (about
 * 40 ms of a 170 ms start). The import itself is in `_lazy_import.ts`: the bundled CLI
 * (`deno task build:cli`, build/cli.ts) swaps that module for one with literal imports, so the
 * bundle holds every module of {@linkcode LAZY_MODULES} (a test checks both lists).
 *
 * @module
 */
import type * as AdminClientModule from "../sdk/admin_client.ts";
import type * as ClientModule from "../sdk/client.ts";
import type * as ConfigModule from "../sdk/config.ts";
import type * as IdentityAdminModule from "../sdk/identity_admin.ts";
import type * as IdentityModule from "../sdk/identity.ts";
import type * as KeyTextModule from "../sdk/key_text.ts";
import type * as NotesModule from "../sdk/notes.ts";
import type * as RegistrationModule from "../sdk/registration.ts";
import type * as SearchModule from "../sdk/search.ts";
import type * as SuitesModule from "../crypto/suites.ts";
import type * as UsersAppModule from "../sdk/users/app.ts";
import type * as ServerModule from "../../server.ts";
import { importLater } from "./_lazy_import.ts";

/** Every module loaded through this file, relative to the repository root. */
export const LAZY_MODULES = [
  "lib/sdk/admin_client.ts",
  "lib/sdk/client.ts",
  "lib/sdk/config.ts",
  "lib/sdk/identity_admin.ts",
  "lib/sdk/identity.ts",
  "lib/sdk/key_text.ts",
  "lib/sdk/notes.ts",
  "lib/sdk/registration.ts",
  "lib/sdk/search.ts",
  "lib/crypto/suites.ts",
  "lib/sdk/users/app.ts",
  "server.ts",
] as const;

/** One of {@linkcode LAZY_MODULES}. */
export type LazyModule = typeof LAZY_MODULES[number];

/** `lib/sdk/admin_client.ts`. */
export const adminClientModule = (): Promise<typeof AdminClientModule> =>
  importLater("lib/sdk/admin_client.ts");
/** `lib/sdk/client.ts`. */
export const clientModule = (): Promise<typeof ClientModule> => importLater("lib/sdk/client.ts");
/** `lib/sdk/config.ts`. */
export const configModule = (): Promise<typeof ConfigModule> => importLater("lib/sdk/config.ts");
/** `lib/sdk/identity_admin.ts`. */
export const identityAdminModule = (): Promise<typeof IdentityAdminModule> =>
  importLater("lib/sdk/identity_admin.ts");
/** `lib/sdk/identity.ts`. */
export const identityModule = (): Promise<typeof IdentityModule> =>
  importLater("lib/sdk/identity.ts");
/** `lib/sdk/key_text.ts`. */
export const keyTextModule = (): Promise<typeof KeyTextModule> =>
  importLater("lib/sdk/key_text.ts");
/** `lib/sdk/notes.ts`. */
export const notesModule = (): Promise<typeof NotesModule> => importLater("lib/sdk/notes.ts");
/** `lib/sdk/registration.ts`. */
export const registrationModule = (): Promise<typeof RegistrationModule> =>
  importLater("lib/sdk/registration.ts");
/** `lib/sdk/search.ts`. */
export const searchModule = (): Promise<typeof SearchModule> => importLater("lib/sdk/search.ts");
/** `lib/crypto/suites.ts`. */
export const suitesModule = (): Promise<typeof SuitesModule> => importLater("lib/crypto/suites.ts");
/** `lib/sdk/users/app.ts`. */
export const usersAppModule = (): Promise<typeof UsersAppModule> =>
  importLater("lib/sdk/users/app.ts");
/** `server.ts`. */
export const serverModule = (): Promise<typeof ServerModule> => importLater("server.ts");
