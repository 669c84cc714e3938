/**
 * The second step of `deno task test`: runs the HTTP end-to-end test files again with
 * `ARCA_TEST_BACKEND=postgres`, so their test servers (`_test_store.ts`) run on PostgreSQL.
 * Without `DATABASE_URL` it prints why and runs nothing (with `CI=true` it fails instead; see
 * `_postgres.ts`). Extra arguments go to `deno test` (e.g. `--filter`).
 */
import { postgresRun } from "./_postgres.ts";

/** The files whose tests talk to a server through HTTP. */
export const HTTP_END_TO_END_FILES: readonly string[] = [
  "cache_canary_test.ts",
  "cache_forget_test.ts",
  "cache_key_file_sync_test.ts",
  "cache_public_keys_test.ts",
  "cache_providers_test.ts",
  "cache_tamper_test.ts",
  "caller_limits_test.ts",
  "container_events_test.ts",
  "containers_server_test.ts",
  "cli_cache_test.ts",
  "cli_files_test.ts",
  "cli_notes_identity_test.ts",
  "cli_test.ts",
  "cli_client_keys_test.ts",
  "console_test.ts",
  "e3db_nist_credentials_test.ts",
  "examples_cache_test.ts",
  "examples_files_test.ts",
  "examples_notes_identity_test.ts",
  "examples_test.ts",
  "files_sdk_test.ts",
  "files_server_test.ts",
  "files_upload_retry_test.ts",
  "identity_note_trust_test.ts",
  "identity_test.ts",
  "log_secrets_test.ts",
  "note_max_views_test.ts",
  "notes_identity_http_test.ts",
  "notes_sdk_test.ts",
  "openapi_e2e_test.ts",
  "page_budget_test.ts",
  "quota_test.ts",
  "sdk_e2e_test.ts",
  "sdk_key_trust_test.ts",
  "sdk_record_binding_test.ts",
  "search_sdk_test.ts",
  "search_server_test.ts",
  "server_auth_test.ts",
  "server_client_admin_test.ts",
  "server_grant_ownership_test.ts",
  "server_notes_test.ts",
  "server_public_url_test.ts",
  "server_query_test.ts",
  "server_records_test.ts",
  "server_sharing_test.ts",
  "users_sdk_test.ts",
  "users_server_test.ts",
  "users_throttle_test.ts",
];

if (import.meta.main) {
  if (postgresRun.ignore) Deno.exit(0); // _postgres.ts has printed why
  if (postgresRun.reason !== undefined) {
    console.error(postgresRun.reason);
    Deno.exit(1);
  }
  const files = HTTP_END_TO_END_FILES.map((file) => new URL(file, import.meta.url).pathname);
  const permissions = [
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--allow-write",
    "--allow-sys",
    "--allow-run",
  ];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", ...permissions, ...Deno.args, ...files],
    env: { ARCA_TEST_BACKEND: "postgres" },
    stdin: "null",
  }).spawn();
  Deno.exit((await child.status).code);
}
