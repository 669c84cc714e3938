/**
 * The store the HTTP end-to-end tests run on: a SQLite store in memory, or, with
 * `ARCA_TEST_BACKEND=postgres`, a PostgreSQL store in a throwaway schema (`_postgres.ts`).
 * `deno task test` runs the whole suite on SQLite, then the HTTP end-to-end files again on
 * PostgreSQL (`_postgres_e2e.ts`).
 */
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import type { Store } from "../lib/store/store.ts";
import { openTestPostgresStore } from "./_postgres.ts";

/** The backend the test servers use: `"postgres"` or `"sqlite"` (the default). */
export const testBackend: "postgres" | "sqlite" =
  Deno.env.get("ARCA_TEST_BACKEND")?.toLowerCase() === "postgres" ? "postgres" : "sqlite";

/**
 * Whether the test backend has search. SEARCH ON POSTGRESQL IS NOT IMPLEMENTED YET (pg-search):
 * the few end-to-end tests that search are ignored on PostgreSQL until it lands; then this is
 * `true` for both and goes away.
 */
export const testBackendHasSearch: boolean = testBackend === "sqlite";

/** A fresh, empty store on the test backend; closing it removes it. */
export function openTestStore(): Promise<Store> {
  return testBackend === "postgres" ? openTestPostgresStore() : openSqliteStore(":memory:");
}
