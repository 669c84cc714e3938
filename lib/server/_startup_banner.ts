/**
 * The lines a server prints once it listens: its URL, where its data is (the data directory, or
 * the database without its password), the blob store, the metrics listener, and the tokens: the
 * registration token generated on first start (shown only then), else how to get or set one, and
 * whether the admin API is on.
 *
 * @module
 */
import { join } from "node:path";
import {
  BLOBS_DIR_NAME,
  DEFAULT_DATA_DIR,
  SQLITE_FILE_NAME,
  type StartServerOptions,
} from "./start_server.ts";

/** What the banner reports of the prepared app. */
export interface BannerFacts {
  /** The reusable registration token generated on this (first) start, or `undefined`. */
  generatedRegistrationToken: string | undefined;
  /** The admin token generated on this (first) start, or `undefined`. */
  generatedAdminToken?: string | undefined;
  /** Whether the data directory keeps the digest of an admin token generated earlier. */
  adminTokenKept?: boolean | undefined;
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
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const lines = [`Arca listening on ${url}`, `Arca store: ${storeText(options, facts, dataDir)}`];
  lines.push(`Arca blobs: ${blobsText(options, facts, dataDir)}`);
  if (metricsUrl !== undefined) {
    lines.push(`Arca metrics: ${metricsUrl}/metrics (ARCA_METRICS_PORT, no token)`);
  }
  lines.push(...firstStartTokenLines(facts), registrationLine(options, facts));
  lines.push(adminLine(options, facts));
  return lines;
}

/**
 * The lines that show the tokens generated on first start (none on later starts).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { firstStartTokenLines } from "./_startup_banner.ts";
 * const lines = firstStartTokenLines({ generatedRegistrationToken: "r3g", generatedAdminToken: "adm" });
 * assert.match(lines[0]!, /registration token \(reusable, shown only now\): r3g$/);
 * assert.match(lines[1]!, /admin token .*shown only now\): adm$/);
 * ```
 */
export function firstStartTokenLines(
  facts: Pick<BannerFacts, "generatedRegistrationToken" | "generatedAdminToken">,
): string[] {
  const lines: string[] = [];
  const token = facts.generatedRegistrationToken;
  if (token !== undefined) {
    lines.push(`Arca first start: registration token (reusable, shown only now): ${token}`);
  }
  const admin = facts.generatedAdminToken;
  if (admin !== undefined) {
    lines.push(
      `Arca first start: admin token (admin API and GET /metrics, shown only now): ${admin}`,
    );
  }
  return lines;
}

function registrationLine(options: StartServerOptions, facts: BannerFacts): string {
  if (facts.generatedRegistrationToken !== undefined) {
    return "Arca registration token: the one above (reusable; more with `arca admin token create`)";
  }
  if (options.registrationToken !== undefined) {
    return "Arca registration token: the one set in ARCA_REGISTRATION_TOKEN";
  }
  return "Arca registration token: the first start printed one; set ARCA_REGISTRATION_TOKEN or " +
    "create one with `arca admin token create` for more";
}

function adminLine(options: StartServerOptions, facts: BannerFacts): string {
  if (options.adminToken !== undefined && options.adminToken !== "") {
    return "Arca admin API: on (the token set in ARCA_ADMIN_TOKEN)";
  }
  if (facts.generatedAdminToken !== undefined) return "Arca admin API: on (the admin token above)";
  if (facts.adminTokenKept === true) {
    return "Arca admin API: on (the admin token printed on the first start; ARCA_ADMIN_TOKEN replaces it)";
  }
  return "Arca admin API: off (set ARCA_ADMIN_TOKEN to turn it and GET /metrics on)";
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
