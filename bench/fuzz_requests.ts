/**
 * The fuzzer's request generator, shared by `deno task fuzz` (`bench/fuzz.ts`, 100,000+
 * requests) and the seeded CI run (`tests/fuzz_test.ts`): fast-check arbitraries for every
 * route's method, path (real ids, random UUIDs, junk segments), query, headers, credentials
 * (none, live, foreign, junk; TSV1 signed, tampered, stale) and body (valid-shaped, mutated,
 * arbitrary JSON, not JSON, binary, deeply nested).
 *
 * A generated {@linkcode FuzzRequest} is plain data; {@linkcode sendFuzzRequest} signs it (TSV1
 * covers the final path) and sends it. Any 5xx answer is a server bug.
 *
 * @module
 */
import fc from "fast-check";
import { encodeBase64Url } from "../lib/crypto/encoding.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import type { CryptoSuite, KeyPair } from "../lib/crypto/suite.ts";
import { signRequest } from "../lib/crypto/tsv1.ts";

/** A TSV1 signer: a registered client's keys (with its id) or an anonymous key pair. */
export interface FuzzSigner {
  suite: CryptoSuite;
  signing: KeyPair;
  encryptionPublic: string;
  signingPublic: string;
  clientId: string;
}

/** What the generator draws real values from: a prepared server. */
export interface FuzzContext {
  url: string;
  registrationToken: string;
  adminToken: string;
  clients: { clientId: string; apiKeyId: string; apiSecret: string; token: string }[];
  signers: FuzzSigner[];
  recordIds: string[];
  versions: string[];
  noteIds: string[];
  noteNames: string[];
  pendingIds: string[];
  fileUrlTokens: string[];
  realm: string;
}

/** The credential a request carries (resolved when it is sent). */
export type FuzzAuth =
  | { kind: "none" }
  | { kind: "raw"; value: string }
  | { kind: "bearer"; client: number }
  | { kind: "basic"; client: number; wrongSecret: boolean }
  | { kind: "admin" }
  | { kind: "tsv1"; signer: number; tamper: "none" | "flip" | "stale" | "uid" };

/** One generated request, as data. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  auth: FuzzAuth;
}

const TYPE = "fuzz";
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const RAW_JUNK = [
  "",
  "..",
  "%2e%2e",
  "%00",
  "%ff",
  "%2F",
  "%",
  "null",
  "-1",
  "0",
  "1e309",
  "%F0%9F%92%A5",
  "a".repeat(3000),
  "00000000-0000-0000-0000-000000000000",
  "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
];

const junkQuery = fc.oneof(
  fc.constantFrom(
    "field=%E0%A4%A",
    "token=%",
    "note_id=%ZZ",
    "id_string=%00",
    "field=a&field=b",
    "note_id=a&note_id=b",
    "=x",
    "%%%",
    "&&",
  ),
  fc.tuple(fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 20 })).map(
    ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`,
  ),
);

/** Appends a junk query parameter to a path (after its own query, if any). */
function withJunkQuery(path: string, query: string | null): string {
  if (query === null) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${query}`;
}

const junkSegment = fc.oneof(
  fc.constantFrom(...RAW_JUNK),
  fc.string({ unit: "binary", maxLength: 40 }).map(encodeURIComponent),
);
const pick = (values: string[]) =>
  values.length === 0 ? fc.uuid() : fc.oneof(fc.constantFrom(...values), fc.uuid());
const segment = (values: string[]) =>
  fc.oneof({ weight: 6, arbitrary: pick(values) }, { weight: 1, arbitrary: junkSegment });
const typeSegment = fc.oneof(
  { weight: 4, arbitrary: fc.constant(TYPE) },
  { weight: 1, arbitrary: junkSegment },
);

const fakeB64 = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map(encodeBase64Url);
const field = fc.tuple(fakeB64(48), fakeB64(24), fakeB64(24), fakeB64(24)).map((p) => p.join("."));
const eak = fc.tuple(fakeB64(48), fakeB64(24)).map((p) => p.join("."));
const plain = fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 }), {
  maxKeys: 3,
});

/** A route: its method and an arbitrary of its path and valid-shaped body. */
interface Route {
  method: string;
  path: fc.Arbitrary<string>;
  body?: fc.Arbitrary<unknown>;
}

function routes(ctx: FuzzContext): Route[] {
  const client = pick(ctx.clients.map((c) => c.clientId));
  const clientSeg = segment(ctx.clients.map((c) => c.clientId));
  const recordSeg = segment(ctx.recordIds);
  const grant = fc.tuple(clientSeg, clientSeg, clientSeg, typeSegment).map((p) => p.join("/"));
  const meta = fc.record({ writer_id: client, user_id: client, type: fc.constant(TYPE), plain });
  const record = fc.record({ meta, data: fc.dictionary(fc.string({ maxLength: 8 }), field) });
  const token = fc.oneof(fc.constantFrom(...ctx.fileUrlTokens), fc.string({ maxLength: 60 }))
    .map(encodeURIComponent);
  const noteKey = fc.constantFrom(...ctx.signers.map((s) => s.signingPublic));
  const note = fc.record({
    mode: fc.constant("Sodium"),
    recipient_signing_key: noteKey,
    writer_signing_key: noteKey,
    writer_encryption_key: fc.constantFrom(...ctx.signers.map((s) => s.encryptionPublic)),
    encrypted_access_key: eak,
    type: fc.string({ maxLength: 8 }),
    data: fc.dictionary(fc.string({ maxLength: 8 }), field, { maxKeys: 2 }),
    plain,
    signature: fakeB64(64),
    max_views: fc.integer({ min: -2, max: 5 }),
    id_string: fc.option(fc.constantFrom(...ctx.noteNames, "fuzz-name")),
    expires: fc.boolean(),
    expiration: fc.constantFrom("0001-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "yesterday"),
  });
  const identity = fc.record({
    username: fc.string({ minLength: 1, maxLength: 12 }),
    public_key: fakeB64(32).map((k) => ({ curve25519: k })),
    signing_key: fakeB64(32).map((k) => ({ ed25519: k })),
    client: fc.record({
      name: fc.string({ minLength: 1, maxLength: 12 }),
      public_key: fakeB64(32).map((k) => ({ curve25519: k })),
      signing_key: fakeB64(32).map((k) => ({ ed25519: k })),
    }),
  });
  const query = fc.record({
    count: fc.integer({ min: -1, max: 1001 }),
    after_index: fc.integer({ min: -1, max: 1000 }),
    include_data: fc.boolean(),
    include_all_writers: fc.boolean(),
    writer_ids: fc.array(client, { maxLength: 3 }),
    content_types: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
    plain: fc.oneof(plain, fc.constant({ eq: { name: "a", value: "b" } })),
  }, { requiredKeys: [] });
  const search = fc.record({
    limit: fc.integer({ min: 0, max: 1001 }),
    next_token: fc.integer({ min: -1, max: 10_001 }),
    include_data: fc.boolean(),
    include_all_writers: fc.boolean(),
    match: fc.array(
      fc.record({
        condition: fc.constantFrom("AND", "OR", "NOT"),
        strategy: fc.constantFrom("EXACT", "FUZZY", "WILDCARD", "REGEXP", "BOGUS"),
        terms: fc.record({
          values: fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
          keys: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
          content_types: fc.array(fc.constant(TYPE), { maxLength: 1 }),
          tags: fc.array(fc.record({ key: fc.string(), value: fc.string() }), { maxLength: 1 }),
        }, { requiredKeys: [] }),
      }, { requiredKeys: [] }),
      { maxLength: 3 },
    ),
    range: fc.option(fc.record({
      range_key: fc.constantFrom("CREATED", "MODIFIED", "X"),
      after: fc.constantFrom("2020-01-01T00:00:00Z", "junk"),
      before: fc.constantFrom("2099-01-01T00:00:00Z", ""),
    })),
    order: fc.option(fc.record({ sort_order: fc.constantFrom("ASCENDING", "DESCENDING", "X") })),
  }, { requiredKeys: [] });
  const seg = (values: string[]) => segment(values);
  const q = (name: string, values: fc.Arbitrary<string>) =>
    values.map((v) => `?${name}=${encodeURIComponent(v)}`);
  return [
    { method: "GET", path: fc.constant("/healthz") },
    {
      method: "POST",
      path: fc.constant("/v1/auth/token"),
      body: fc.constant("grant_type=client_credentials"),
    },
    {
      method: "POST",
      path: fc.constant("/v1/account/e3db/clients/register"),
      body: fc.record({
        token: fc.constantFrom(ctx.registrationToken, "wrong"),
        client: fc.record({
          name: fc.string({ maxLength: 12 }),
          public_key: fakeB64(32).map((k) => ({ curve25519: k })),
          signing_key: fakeB64(32).map((k) => ({ ed25519: k })),
        }),
      }),
    },
    {
      method: "POST",
      path: fc.tuple(fc.constantFrom(ctx.registrationToken, "wrong"), clientSeg).map(([t, c]) =>
        `/v1/account/backup/${t}/${c}`
      ),
    },
    { method: "GET", path: clientSeg.map((c) => `/v1/storage/clients/${c}`) },
    { method: "POST", path: fc.constant("/v1/storage/records"), body: record },
    {
      method: "GET",
      path: fc.tuple(recordSeg, fc.option(fc.string({ maxLength: 10 }))).map(([r, f]) =>
        `/v1/storage/records/${r}${f === null ? "" : `?field=${encodeURIComponent(f)}`}`
      ),
    },
    {
      method: "PUT",
      path: fc.tuple(recordSeg, seg(ctx.versions)).map(([r, v]) =>
        `/v1/storage/records/safe/${r}/${v}`
      ),
      body: record,
    },
    {
      method: "DELETE",
      path: fc.tuple(recordSeg, seg(ctx.versions)).map(([r, v]) =>
        `/v1/storage/records/safe/${r}/${v}`
      ),
    },
    { method: "POST", path: fc.constant("/v1/storage/search"), body: query },
    { method: "POST", path: fc.constant("/v2/search"), body: search },
    { method: "GET", path: grant.map((g) => `/v1/storage/access_keys/${g}`) },
    {
      method: "PUT",
      path: grant.map((g) => `/v1/storage/access_keys/${g}`),
      body: fc.record({ eak }),
    },
    { method: "DELETE", path: grant.map((g) => `/v1/storage/access_keys/${g}`) },
    {
      method: "GET",
      path: fc.constantFrom("outgoing", "incoming", "proxies", "granted").map((l) =>
        `/v1/storage/policy/${l}`
      ),
    },
    {
      method: "PUT",
      path: grant.map((g) => `/v1/storage/policy/${g}`),
      body: fc.record({
        allow: fc.array(fc.constantFrom({ read: {} }, { authorizer: {} }, { edit: {} }, { x: {} })),
        deny: fc.array(fc.constantFrom({ read: {} }, { authorizer: {} })),
      }, { requiredKeys: [] }),
    },
    {
      method: "DELETE",
      path: fc.tuple(clientSeg, clientSeg, clientSeg).map((p) =>
        `/v1/storage/policy/${p.join("/")}`
      ),
    },
    {
      method: "POST",
      path: fc.constant("/v1/storage/files"),
      body: fc.record({
        meta: fc.record({
          writer_id: client,
          user_id: client,
          type: fc.constant(TYPE),
          file_meta: fc.record({
            compression: fc.constantFrom("raw", "gzip", "zip"),
            size: fc.integer({ min: -1, max: 2 ** 41 }),
            checksum: fc.constantFrom("1B2M2Y8AsgTpgAmY7PhCfg==", "junk"),
          }, { requiredKeys: ["compression"] }),
        }),
        data: fc.constant({}),
      }),
    },
    {
      method: "PATCH",
      path: seg(ctx.pendingIds).map((p) => `/v1/storage/files/${p}`),
      body: fc.option(fc.record({
        file_meta: fc.record({ checksum: fakeB64(16), size: fc.integer({ min: -1, max: 99 }) }),
      })),
    },
    { method: "GET", path: recordSeg.map((r) => `/v1/storage/files/${r}`) },
    {
      method: "PUT",
      path: fc.tuple(seg(ctx.pendingIds), token).map(([p, t]) =>
        `/v1/arca/files/upload/${p}?token=${t}`
      ),
      body: fc.string({ maxLength: 64 }),
    },
    {
      method: "GET",
      path: fc.tuple(recordSeg, token).map(([r, t]) => `/v1/arca/files/download/${r}?token=${t}`),
    },
    { method: "POST", path: fc.constant("/v2/storage/notes"), body: note },
    { method: "PUT", path: fc.constant("/v2/storage/notes"), body: note },
    {
      method: "GET",
      path: fc.oneof(
        seg(ctx.noteIds).map((id) => `/v2/storage/notes?note_id=${id}`),
        fc.oneof(fc.constantFrom(...ctx.noteNames), fc.string()).chain((n) =>
          q("id_string", fc.constant(n)).map((s) => `/v2/storage/notes${s}`)
        ),
        fc.constant("/v2/storage/notes"),
      ),
    },
    { method: "DELETE", path: seg(ctx.noteIds).map((id) => `/v2/storage/notes/${id}`) },
    {
      method: "GET",
      path: fc.oneof(fc.constant(ctx.realm), junkSegment).map((r) =>
        `/v1/identity/info/realm/${r}`
      ),
    },
    {
      method: "POST",
      path: fc.constant("/v1/identity/login"),
      body: fc.record({
        username: fc.string({ maxLength: 12 }),
        realm_name: fc.constantFrom(ctx.realm, "nowhere"),
        code_challenge: fc.constantFrom("A".repeat(43), "short"),
        app_name: fc.option(fc.string({ maxLength: 8 })),
      }),
    },
    {
      method: "POST",
      path: fc.uuid().map((id) => `/v1/identity/login/continue/${id}`),
      body: fc.constantFrom("public_key=a&public_signing_key=b", "", "%%%"),
    },
    {
      method: "POST",
      path: fc.constant("/v1/identity/tozid/redirect"),
      body: fc.record({
        realm_name: fc.constantFrom(ctx.realm, "x"),
        session_code: fc.string({ minLength: 1, maxLength: 8 }),
        execution: fc.string({ minLength: 1, maxLength: 8 }),
        tab_id: fc.string({ minLength: 1, maxLength: 8 }),
        client_id: fc.string({ maxLength: 8 }),
        auth_session_id: fc.uuid(),
        code_verifier: fc.string({ minLength: 1, maxLength: 50 }),
      }),
    },
    {
      method: "POST",
      path: fc.constant("/v1/identity/tozid/refresh"),
      body: fc.record({ refresh_token: fc.string({ maxLength: 40 }) }),
    },
    {
      method: "POST",
      path: fc.constant("/v1/arca/admin/tokens"),
      body: fc.record({ name: fc.string({ maxLength: 8 }), one_time: fc.boolean() }, {
        requiredKeys: [],
      }),
    },
    {
      method: "GET",
      path: fc.constantFrom(
        "/v1/arca/admin/tokens",
        "/v1/arca/admin/clients",
        "/v1/arca/admin/realms",
      ),
    },
    {
      method: "DELETE",
      path: fc.oneof(fc.uuid(), junkSegment).map((id) => `/v1/arca/admin/tokens/${id}`),
    },
    {
      method: "POST",
      path: fc.constant("/v1/arca/admin/realms"),
      body: fc.record({ name: fc.string({ minLength: 1, maxLength: 12 }) }),
    },
    {
      method: "POST",
      path: fc.oneof(fc.constant(ctx.realm), junkSegment).map((r) =>
        `/v1/arca/admin/realms/${r}/identities`
      ),
      body: identity,
    },
    {
      method: "GET",
      path: fc.oneof(fc.constant(ctx.realm), junkSegment).map((r) =>
        `/v1/arca/admin/realms/${r}/identities`
      ),
    },
    {
      method: "DELETE",
      path: fc.tuple(fc.oneof(fc.constant(ctx.realm), junkSegment), junkSegment).map(([r, u]) =>
        `/v1/arca/admin/realms/${r}/identities/${u}`
      ),
    },
    // Users: the key files never pass the header check (random KDF costs), so the fuzzed
    // clients never become users and `DELETE /me` cannot delete them mid-run.
    {
      method: "PUT",
      path: fc.constant("/v1/arca/users/me/key-file"),
      body: fc.record({
        key_file: fc.uint8Array({ minLength: 0, maxLength: 400 }).map((rest) =>
          encodeBase64Url(new Uint8Array([...new TextEncoder().encode("ARCAKF"), 1, 1, ...rest]))
        ),
        passphrase_verifier: fakeB64(32),
        reminder: fc.string({ maxLength: 20 }),
      }, { requiredKeys: ["key_file", "passphrase_verifier"] }),
    },
    { method: "GET", path: fc.constantFrom("/v1/arca/users/me", "/v1/arca/users/me/key-file") },
    { method: "DELETE", path: fc.constant("/v1/arca/users/me") },
    {
      method: "GET",
      path: fc.tuple(clientSeg, fc.constantFrom("reminder", "key-file/kdf")).map(([c, r]) =>
        `/v1/arca/users/${c}/${r}`
      ),
    },
    {
      method: "POST",
      path: clientSeg.map((c) => `/v1/arca/users/${c}/key-file`),
      body: fc.record({ proof: fakeB64(32) }),
    },
    // Containers and events. The SSE stream (`/v1/arca/events/stream`) is left out: it never
    // ends, so a fuzzer reading whole responses would wait on it.
    {
      method: "POST",
      path: fc.constant("/v1/arca/containers"),
      body: fc.record({
        container_id: fc.uuid(),
        type: fc.option(fc.string({ maxLength: 10 })),
        length: fc.nat(1000),
        header: fakeB64(40),
        content: fakeB64(60),
        content_size: fc.nat(5000),
        access: fc.array(
          fc.record({
            user_id: clientSeg,
            permissions: fc.integer({ min: -1, max: 128 }),
            expiration: fc.option(fc.nat()),
            key_blob: fc.record({
              writer_id: clientSeg,
              encrypted_key: fc.string({ maxLength: 20 }),
              signature: fakeB64(64),
            }),
          }, { requiredKeys: ["user_id", "permissions"] }),
          { maxLength: 3 },
        ),
      }, { requiredKeys: ["container_id", "length", "access"] }),
    },
    {
      method: "GET",
      path: fc.tuple(
        fc.oneof(fc.uuid(), junkSegment),
        fc.constantFrom("", "?content=inline", "/content", "?content=x"),
      ).map(([id, rest]) => `/v1/arca/containers/${id}${rest}`),
    },
    {
      method: "GET",
      path: fc.constantFrom("", "?limit=0", "?limit=5&after=x", "?type=memo", "?limit=abc")
        .map((q) => `/v1/arca/containers${q}`),
    },
    {
      method: "PATCH",
      path: fc.oneof(fc.uuid(), junkSegment).map((id) => `/v1/arca/containers/${id}`),
      body: fc.record({
        type: fc.option(fc.string({ maxLength: 10 })),
        version: fc.integer({ min: -1, max: 5 }),
        length: fc.nat(100),
        header: fakeB64(40),
        content: fakeB64(60),
        access: fc.array(fc.record({ user_id: clientSeg, permissions: fc.nat(127) }), {
          maxLength: 2,
        }),
      }, { requiredKeys: [] }),
    },
    {
      method: "PUT",
      path: fc.tuple(fc.oneof(fc.uuid(), junkSegment), fc.oneof(fc.nat(3).map(String), junkSegment))
        .map(([id, v]) => `/v1/arca/containers/${id}/content/${v}`),
    },
    {
      method: "DELETE",
      path: fc.oneof(fc.uuid(), junkSegment).map((id) => `/v1/arca/containers/${id}`),
    },
    {
      method: "GET",
      path: fc.constantFrom(
        "",
        "?after=0&limit=10",
        "?after=-1",
        "?type=key_file&action=updated",
        "?type=x",
        "?container_id=nope",
        "?container_type=memo&limit=1001",
      ).map((q) => `/v1/arca/events${q}`),
    },
    // Paths no route has.
    { method: "GET", path: fc.array(junkSegment, { maxLength: 4 }).map((s) => `/${s.join("/")}`) },
  ];
}

/** Replaces, deletes or adds one value somewhere inside a JSON value. */
function mutate(value: unknown, steps: number[], replacement: unknown, op: number): unknown {
  if (typeof value !== "object" || value === null) return replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? [...value]
    : { ...value as Record<string, unknown> };
  const keys = Object.keys(copy);
  if (keys.length === 0 || op === 2) {
    (copy as Record<string, unknown>)[`junk${steps.length}`] = replacement;
    return copy;
  }
  const key = keys[(steps[0] ?? 0) % keys.length]!;
  const target = copy as Record<string, unknown>;
  if (steps.length <= 1) {
    if (op === 1 && !Array.isArray(copy)) delete target[key];
    else target[key] = replacement;
  } else {
    target[key] = mutate(target[key], steps.slice(1), replacement, op);
  }
  return copy;
}

function deepNesting(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

function bodyOf(
  valid: fc.Arbitrary<unknown> | undefined,
): fc.Arbitrary<string | Uint8Array | undefined> {
  const json = (value: unknown) => typeof value === "string" ? value : JSON.stringify(value);
  const base = valid ?? fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(
    { weight: 5, arbitrary: base.map(json) },
    {
      weight: 4,
      arbitrary: fc.tuple(
        base,
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom(null, -1, 1e308, "", [], {}, "x".repeat(5000)),
        ),
        fc.nat(2),
      ).map(([v, steps, replacement, op]) => json(mutate(v, steps, replacement, op))),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5000 }).map(deepNesting) },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 200_000 }).map((n) => "x".repeat(n)) },
  );
}

const headerArb = fc.record({
  "content-type": fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    "",
  ),
  range: fc.constantFrom("bytes=0-3", "bytes=-5", "bytes=9999999-", "bytes=a-b", "bytes=0-1,2-3"),
  "content-md5": fc.constantFrom("1B2M2Y8AsgTpgAmY7PhCfg==", "junk"),
  "x-tozid-login-token": fc.string({ maxLength: 20 }).map(encodeURIComponent),
  "x-forwarded-for": fc.constantFrom("10.0.0.1", "junk, 1.2.3.4", "::1"),
  "content-encoding": fc.constantFrom("gzip", "identity"),
  accept: fc.constantFrom("*/*", "text/html"),
}, { requiredKeys: [] });

/** The credential a route expects, from one of its paths. */
function expectedAuth(path: string): FuzzAuth["kind"] {
  if (path.startsWith("/v1/storage/") || path.startsWith("/v2/search")) return "bearer";
  if (/^\/(v2\/storage\/notes|v1\/identity\/login|v1\/identity\/tozid\/redirect)/.test(path)) {
    return "tsv1";
  }
  if (path.startsWith("/v1/arca/admin/")) return "admin";
  if (path.startsWith("/v1/arca/users/me")) return "bearer";
  if (/^\/v1\/arca\/(containers|events)/.test(path)) return "bearer";
  if (path.startsWith("/v1/auth/token")) return "basic";
  return "none";
}

/** Mostly the credential the route expects (valid or tampered), else any. */
function routeAuthArb(ctx: FuzzContext, kind: FuzzAuth["kind"]): fc.Arbitrary<FuzzAuth> {
  const any = authArb(ctx);
  const client = fc.nat(ctx.clients.length - 1);
  const matching: Partial<Record<FuzzAuth["kind"], fc.Arbitrary<FuzzAuth>>> = {
    bearer: client.map((c): FuzzAuth => ({ kind: "bearer", client: c })),
    admin: fc.constant<FuzzAuth>({ kind: "admin" }),
    basic: client.map((c): FuzzAuth => ({ kind: "basic", client: c, wrongSecret: false })),
    tsv1: fc.tuple(fc.nat(ctx.signers.length - 1), fc.constantFrom("none", "none", "flip"))
      .map(([s, tamper]): FuzzAuth => ({
        kind: "tsv1",
        signer: s,
        tamper: tamper as "none" | "flip",
      })),
  };
  const expected = matching[kind];
  return expected === undefined
    ? any
    : fc.oneof({ weight: 7, arbitrary: expected }, { weight: 3, arbitrary: any });
}

function authArb(ctx: FuzzContext): fc.Arbitrary<FuzzAuth> {
  const client = fc.nat(ctx.clients.length - 1);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<FuzzAuth>({ kind: "none" }) },
    { weight: 4, arbitrary: client.map((c): FuzzAuth => ({ kind: "bearer", client: c })) },
    {
      weight: 1,
      arbitrary: fc.tuple(client, fc.boolean()).map(([c, w]): FuzzAuth => ({
        kind: "basic",
        client: c,
        wrongSecret: w,
      })),
    },
    { weight: 1, arbitrary: fc.constant<FuzzAuth>({ kind: "admin" }) },
    {
      weight: 4,
      arbitrary: fc.tuple(
        fc.nat(ctx.signers.length - 1),
        fc.constantFrom("none", "none", "none", "flip", "stale", "uid"),
      ).map(([s, tamper]): FuzzAuth => ({
        kind: "tsv1",
        signer: s,
        tamper: tamper as "none" | "flip" | "stale" | "uid",
      })),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.string({ maxLength: 80 }).map((s) => `TSV1-ED25519-BLAKE2B; ${s}`),
        fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
        fc.string({ maxLength: 40 }).map((s) => `Basic ${s}`),
      ).map((value): FuzzAuth => ({ kind: "raw", value: value.replace(/[\r\n\0]/g, "") })),
    },
  );
}

/**
 * The arbitrary of every request against a prepared server: mostly a route's own method with
 * its path, some other method, any credentials, headers and body.
 *
 * @example
 * ```ts ignore
 * // Needs a prepared server (see prepareFuzzContext in bench/fuzz.ts).
 * for (const request of fc.sample(fuzzRequestArbitrary(ctx), { seed: 1, numRuns: 10 })) {
 *   const status = await sendFuzzRequest(ctx, request);
 * }
 * ```
 */
export function fuzzRequestArbitrary(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const all = routes(ctx).map((route) => ({
    route,
    kind: expectedAuth(fc.sample(route.path, { seed: 0, numRuns: 1 })[0]!),
  }));
  return fc.constantFrom(...all).chain(({ route, kind }) =>
    fc.record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(route.method) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      path: fc.tuple(route.path, fc.option(junkQuery, { freq: 8 })).map(([path, query]) =>
        withJunkQuery(path, query)
      ),
      headers: headerArb,
      body: bodyOf(route.body),
      auth: routeAuthArb(ctx, kind),
    })
  );
}

async function authorization(
  ctx: FuzzContext,
  request: FuzzRequest,
): Promise<string | undefined> {
  const auth = request.auth;
  switch (auth.kind) {
    case "none":
      return undefined;
    case "raw":
      return auth.value;
    case "admin":
      return `Bearer ${ctx.adminToken}`;
    case "bearer":
      return `Bearer ${ctx.clients[auth.client]!.token}`;
    case "basic": {
      const c = ctx.clients[auth.client]!;
      return `Basic ${btoa(`${c.apiKeyId}:${auth.wrongSecret ? "wrong" : c.apiSecret}`)}`;
    }
    case "tsv1": {
      const signer = ctx.signers[auth.signer]!;
      const header = await signRequest(signer.suite, {
        method: request.method,
        url: request.path,
        signingKeys: signer.signing,
        clientId: auth.tamper === "uid" ? crypto.randomUUID() : signer.clientId,
        timestamp: Math.floor(Date.now() / 1000) - (auth.tamper === "stale" ? 3600 : 0),
      });
      if (auth.tamper !== "flip") return header;
      const at = header.length - 20;
      return header.slice(0, at) + (header[at] === "A" ? "B" : "A") + header.slice(at + 1);
    }
  }
}

/**
 * What sending one request gave: the status, `0` when fetch refused to build it (nothing was
 * sent), or `"crash"` when the connection was refused or reset.
 */
export type FuzzOutcome = number | "crash";

/**
 * Signs (when asked) and sends one generated request; returns the status, or `"crash"` when
 * the connection was refused or reset (the body is always read to the end).
 *
 * @example
 * ```ts ignore
 * // Needs a prepared server.
 * const outcome = await sendFuzzRequest(ctx, request);
 * ```
 */
export async function sendFuzzRequest(
  ctx: FuzzContext,
  request: FuzzRequest,
): Promise<FuzzOutcome> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== "") headers.set(name, value);
  }
  // A path the TSV1 signer refuses (e.g. one starting with "//") goes unsigned.
  const auth = await authorization(ctx, request).catch(() => undefined);
  if (auth !== undefined) headers.set("authorization", auth);
  const hasBody = request.body !== undefined && request.method !== "GET" &&
    request.method !== "HEAD";
  let prepared: Request;
  try {
    prepared = new Request(`${ctx.url}${request.path}`, {
      method: request.method,
      headers,
      ...(hasBody ? { body: request.body as BodyInit } : {}),
    });
  } catch {
    return 0; // not a request fetch can send (e.g. a bad header value): nothing reached the server
  }
  try {
    const response = await fetch(prepared);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return "crash";
  }
}

/** Fresh Sodium key pairs of an anonymous TSV1 signer. */
export async function anonymousSigner(): Promise<FuzzSigner> {
  const suite = await getSuite("Sodium");
  const signing = await suite.generateSigningKeyPair();
  const encryption = await suite.generateEncryptionKeyPair();
  return {
    suite,
    signing,
    encryptionPublic: suite.encodePublicKey(encryption.publicKey),
    signingPublic: suite.encodePublicKey(signing.publicKey),
    clientId: "",
  };
}
