/**
 * A whole fresh PostgreSQL database for tests that run real server processes or handlers (which
 * use the `public` schema of the database they are given). Needs DATABASE_URL (`_postgres.ts`).
 */
import postgres from "postgres";
import { postgresTestUrl } from "./_postgres.ts";

/** A fresh database's URL, and a function that drops it (closing its connections). */
export async function freshTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgres(postgresTestUrl(), { max: 1, onnotice: () => {} });
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const name = `test_db_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(postgresTestUrl());
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
