/**
 * The lines a server prints once it listens: its URL, where its data is (the data directory, or
 * the database without its password), the blob store, the metrics listener, and the tokens: the
 * registration token generated on first start (shown only then), else how to get or set one, and
 * whether the admin API is on.
 *
 * @module
 */
import { join } from "node:path";
import { BLOBS_DIR_NAME, SQLITE_FILE_NAME, type StartServerOptions } from "./start_server.ts";

/** What the banner reports of the prepared app. */
export interface BannerFacts {
  /** The reusable registration token generated on this (first) start, or `undefined`. */
  generatedRegistrationToken: string | undefined;
  /** Whether the store was opened from the options (not given by the caller). */
  ownsStore: boolean;
  /** Whether the files API has a blob store. */
  blobs: unknown;
}

/**
 * The banner's lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startupBanner } from "./_startup_banner.ts";
 * const lines = startupBanner(
 *   { databaseUrl: "postgres://arca:hunter2@db:5432/arca" },
 *   "http://127.0.0.1:8000",
 *   { generatedRegistrationToken: undefined, ownsStore: true, blobs: {} },
 * );
 * assert.equal(lines[0], "Arca listening on http://127.0.0.1:8000");
 * assert.ok(lines.some((line) => line.includes("postgres://arca@db:5432/arca")));
 * assert.ok(!lines.join("\n").includes("hunter2"));
 * ```
 */
export function startupBanner(
  options: StartServerOptions,
  url: string,
  facts: BannerFacts,
  metricsUrl?: string,
): string[] {
  const dataDir = options.dataDir ?? "./arca-data";
  const lines = [`Arca listening on ${url}`, `Arca store: ${storeText(options, facts, dataDir)}`];
  lines.push(`Arca blobs: ${blobsText(options, facts, dataDir)}`);
  if (metricsUrl !== undefined) {
    lines.push(`Arca metrics: ${metricsUrl}/metrics (ARCA_METRICS_PORT, no token)`);
  }
  const token = facts.generatedRegistrationToken;
  if (token !== undefined) {
    lines.push(generatedTokenLine(token));
  } else if (options.registrationToken !== undefined) {
    lines.push("Arca registration token: the one set in ARCA_REGISTRATION_TOKEN");
  } else {
    lines.push(
      "Arca registration token: the first start printed one; set ARCA_REGISTRATION_TOKEN or " +
        "create one with `arca admin token create` for more",
    );
  }
  lines.push(
    options.adminToken === undefined || options.adminToken === ""
      ? "Arca admin API: off (set ARCA_ADMIN_TOKEN to turn it and GET /metrics on)"
      : "Arca admin API: on (the token set in ARCA_ADMIN_TOKEN)",
  );
  return lines;
}

/**
 * The line that shows the registration token generated on first start.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generatedTokenLine } from "./_startup_banner.ts";
 * assert.match(generatedTokenLine("t0k"), /shown only now\): t0k$/);
 * ```
 */
export function generatedTokenLine(token: string): string {
  return `Arca first start: registration token (reusable, shown only now): ${token}`;
}

function storeText(options: StartServerOptions, facts: BannerFacts, dataDir: string): string {
  if (!facts.ownsStore) return "given by the caller";
  if (options.databaseUrl !== undefined) {
    return `PostgreSQL ${withoutSecrets(options.databaseUrl)} (ARCA_DATABASE_URL)`;
  }
  return `SQLite ${join(dataDir, SQLITE_FILE_NAME)} (ARCA_DATA_DIR)`;
}

function blobsText(options: StartServerOptions, facts: BannerFacts, dataDir: string): string {
  if (options.blobs !== undefined) return "given by the caller";
  if (facts.blobs === undefined) return "none (the files API answers 501)";
  if (options.blobStore === "postgres") return "PostgreSQL, in the database (ARCA_BLOB_STORE)";
  return `folder ${join(dataDir, BLOBS_DIR_NAME)} (ARCA_DATA_DIR)`;
}

/**
 * A database URL without its password and query (which may carry one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withoutSecrets } from "./_startup_banner.ts";
 * assert.equal(withoutSecrets("postgres://u:p@h:5432/d?password=x"), "postgres://u@h:5432/d");
 * ```
 */
export function withoutSecrets(databaseUrl: string): string {
  if (!URL.canParse(databaseUrl)) return "(unreadable URL)";
  const url = new URL(databaseUrl);
  const user = url.username === "" ? "" : `${url.username}@`;
  return `${url.protocol}//${user}${url.host}${url.pathname}`;
}
