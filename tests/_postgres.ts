/**
 * PostgreSQL for the tests: the server's URL (`DATABASE_URL`, which CI exports), whether the
 * PostgreSQL tests run, and stores in throwaway schemas.
 *
 * Policy (as for the vectors, `_vectors.ts`): without `DATABASE_URL` the PostgreSQL tests are
 * ignored, with the reason printed once; with `CI=true` but no `DATABASE_URL` they run and FAIL.
 */
import postgres from "postgres";
import { quoteIdentifier } from "../lib/store/postgres/_migrations.ts";
import { openPostgresStore, type PostgresStoreOptions } from "../lib/store/postgres/store.ts";
import type { Store } from "../lib/store/store.ts";

/** What the PostgreSQL tests do: run, or be ignored (and why). */
export interface PostgresTestPolicy {
  /** Whether the tests are ignored. */
  ignore: boolean;
  /** Why, when they are ignored or must fail. */
  reason?: string;
}

/** Decides whether the PostgreSQL tests run, from `DATABASE_URL` and `CI`. */
export function postgresTestPolicy(
  env: { get(name: string): string | undefined },
): PostgresTestPolicy {
  if ((env.get("DATABASE_URL") ?? "") !== "") return { ignore: false };
  if ((env.get("CI") ?? "").toLowerCase() === "true") {
    return { ignore: false, reason: "DATABASE_URL is not set but CI=true: PostgreSQL is required" };
  }
  return {
    ignore: true,
    reason: "PostgreSQL tests ignored: DATABASE_URL is not set (set it, or CI=true, to run them)",
  };
}

/** The policy for this run (see {@linkcode postgresTestPolicy}). */
export const postgresRun: PostgresTestPolicy = postgresTestPolicy(Deno.env);
if (postgresRun.ignore) console.warn(postgresRun.reason);

/** The PostgreSQL server's URL (`DATABASE_URL`); throws (failing the test) when it is unset. */
export function postgresTestUrl(): string {
  const url = Deno.env.get("DATABASE_URL") ?? "";
  if (url === "") throw new Error(postgresRun.reason ?? "DATABASE_URL is not set");
  return url;
}

/** A fresh schema name: `test_` and random hex. */
export function freshSchemaName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `test_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Drops `schema` (and everything in it) from the test database. */
export async function dropTestSchema(schema: string): Promise<void> {
  const sql = postgres(postgresTestUrl(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Opens a PostgreSQL store in a fresh random schema (or `options.schema`); closing it drops the
 * schema.
 */
export async function openTestPostgresStore(
  options: PostgresStoreOptions = {},
): Promise<Store> {
  const schema = options.schema ?? freshSchemaName();
  const store = await openPostgresStore(postgresTestUrl(), { poolSize: 4, ...options, schema });
  return {
    accounts: store.accounts,
    registrationTokens: store.registrationTokens,
    clients: store.clients,
    bearerTokens: store.bearerTokens,
    records: store.records,
    search: store.search,
    accessKeys: store.accessKeys,
    policies: store.policies,
    notes: store.notes,
    files: store.files,
    identity: store.identity,
    usage: store.usage,
    containers: store.containers,
    events: store.events,
    schemaVersion: () => store.schemaVersion(),
    transaction: (fn, transactionOptions) => store.transaction(fn, transactionOptions),
    issueTimestamp: (nowMicros) => store.issueTimestamp(nowMicros),
    close: async () => {
      await store.close();
      await dropTestSchema(schema);
    },
  };
}

/**
 * Runs `body` with the URL of a fresh, empty database on the test server (`arca_test_` and random
 * hex), dropped afterwards: for code that opens the store itself in the default schema.
 */
export async function withTestDatabase(body: (url: string) => Promise<void>): Promise<void> {
  const admin = postgres(postgresTestUrl(), { max: 1, onnotice: () => {} });
  const name = freshSchemaName().replace(/^test_/, "arca_test_");
  const url = new URL(postgresTestUrl());
  url.pathname = `/${name}`;
  try {
    await admin.unsafe(`CREATE DATABASE ${quoteIdentifier(name)}`);
    try {
      await body(url.href);
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}
