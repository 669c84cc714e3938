// The edge handler (edge.ts's default export) on PostgreSQL: it serves from the database in
// ARCA_DATABASE_URL, keeps file bytes there with ARCA_BLOB_STORE=postgres, and runs the same
// housekeeping. Needs DATABASE_URL (ignored without it, failing in CI without it).
import assert from "node:assert/strict";
import postgres from "postgres";
import { createEdgeHandler } from "../lib/server/edge_handler.ts";
import { serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { postgresRun, withTestDatabase } from "./_postgres.ts";

Deno.test({
  name: "edge handler on PostgreSQL: serves, keeps blobs there, and runs the housekeeping",
  ignore: postgresRun.ignore,
  fn: () =>
    withTestDatabase(async (databaseUrl) => {
      const dataDir = await Deno.makeTempDir({ prefix: "arca-edge-pg-" });
      const env = new Map([
        ["ARCA_DATABASE_URL", databaseUrl],
        ["ARCA_DATABASE_POOL_SIZE", "2"],
        ["ARCA_BLOB_STORE", "postgres"],
        ["ARCA_DATA_DIR", dataDir],
        ["ARCA_REGISTRATION_TOKEN", "edge-postgres-token"],
      ]);
      const handler = createEdgeHandler(() => ({ ...serverOptionsFromEnv(env), print: () => {} }));
      const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      try {
        const health = await handler.fetch(new Request("http://localhost/healthz"));
        assert.equal(health.status, 200);
        await health.body?.cancel();
        const [tables] = await sql`SELECT to_regclass('replay_nonces') AS nonces,
        to_regclass('arca_blobs') AS blobs`;
        assert.ok(tables!.nonces !== null, "the store's migrations ran");
        assert.ok(tables!.blobs !== null, "the PostgreSQL blob store made its tables");
        // An expired nonce left behind; the housekeeping (every 60 s) is run here by restarting
        // the handler, which runs a round at start.
        await sql`INSERT INTO replay_nonces (nonce, expires) VALUES ('left-behind', 1)`;
        await handler.shutdown();
        const again = await handler.fetch(new Request("http://localhost/healthz"));
        assert.equal(again.status, 200);
        await again.body?.cancel();
        let left = 1;
        for (let i = 0; i < 50 && left > 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          const [row] = await sql`SELECT count(*)::int AS n FROM replay_nonces`;
          left = row!.n;
        }
        assert.equal(left, 0, "the housekeeping deleted the expired nonce");
      } finally {
        await handler.shutdown();
        await sql.end();
        await Deno.remove(dataDir, { recursive: true });
      }
    }),
});
