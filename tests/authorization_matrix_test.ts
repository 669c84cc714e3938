// The authorization matrix: every endpoint × every caller identity → the expected status, over
// real HTTP against a real server. Where a caller is refused, nothing is written (every table is
// byte-for-byte unchanged) and nothing protected is read (no ciphertext, EAK, note or file byte
// of the world appears in the body). Identities and endpoints are DATA: adding a column is one
// entry in IDENTITIES, adding a row one entry in ENDPOINTS.
import assert from "node:assert/strict";
import {
  ADMIN_TOKEN,
  capability,
  flipNearEnd,
  identityBody,
  openWorld,
  ownerNote,
  ownerPendingFile,
  ownerRecord,
  type Party,
  REALM,
  REGISTRATION_TOKEN,
  tsv1Header,
  TYPE,
  type World,
} from "./_matrix_world.ts";
import { basic, fakeEak, fakeField } from "./_server_helpers.ts";
import { noteBody } from "./_tsv1_helpers.ts";

/** How an endpoint authenticates its caller. */
type AuthKind = "none" | "basic" | "bearer" | "optionalBearer" | "admin" | "tsv1" | "capability";

/** A caller: a registered client, or someone holding some (bad, stale or foreign) credential. */
interface Identity {
  name: string;
  /** "client": a registered client with live credentials; "refused": refused by every guard. */
  group: "client" | "refused";
  /** The party whose requests it sends (the owner's, for callers without a client of their own). */
  party(world: World): Party;
  /** The Authorization header it sends on an endpoint of `auth`, if any. */
  header(world: World, auth: AuthKind, method: string, path: string): Promise<string | undefined>;
  /** The file-URL token it holds for a file, if any. */
  capability(
    world: World,
    kind: "upload" | "download",
    fileId: string,
  ): Promise<string | undefined>;
}

function client(
  name: string,
  pick: (world: World) => Party,
  group: Identity["group"] = "client",
): Identity {
  return {
    name,
    group,
    party: pick,
    header(world, auth, method, path) {
      const party = pick(world);
      if (auth === "tsv1") return tsv1Header(party, method, path);
      if (auth === "basic") return Promise.resolve(basic(party.apiKeyId, party.apiSecret));
      return Promise.resolve(`Bearer ${party.token}`);
    },
    // A URL minted for this very client: the server must re-check it when it is used.
    capability: (world, kind, fileId) => capability(world, kind, fileId, pick(world).clientId),
  };
}

/** The callers. A new column is one entry here. */
const IDENTITIES: Identity[] = [
  client("owner", (w) => w.owner),
  client("reader", (w) => w.reader),
  client("revokedReader", (w) => w.revokedReader),
  client("authorizer", (w) => w.authorizer),
  client("stranger", (w) => w.stranger),
  {
    name: "anonymous",
    group: "refused",
    party: (w) => w.owner,
    header: () => Promise.resolve(undefined),
    capability: () => Promise.resolve(undefined),
  },
  {
    name: "expiredToken",
    group: "refused",
    party: (w) => w.owner,
    header: (w, auth, method, path) =>
      auth === "tsv1"
        ? tsv1Header(w.owner, method, path, Math.floor(Date.now() / 1000) - 3600)
        : Promise.resolve(`Bearer ${w.expiredToken}`),
    capability: (w, kind, fileId) => capability(w, kind, fileId, w.owner.clientId, true),
  },
  {
    name: "badTsv1Signature",
    group: "refused",
    party: (w) => w.owner,
    header: async (w, _auth, method, path) => flipNearEnd(await tsv1Header(w.owner, method, path)),
    capability: async (w, kind, fileId) =>
      flipNearEnd(await capability(w, kind, fileId, w.owner.clientId)),
  },
  {
    name: "admin",
    group: "refused",
    party: (w) => w.owner,
    header: () => Promise.resolve(`Bearer ${ADMIN_TOKEN}`),
    capability: () => Promise.resolve(undefined),
  },
  // Registered, shared with like the reader, holding a live token: then disabled by the admin.
  client("disabledClient", (w) => w.disabledClient, "refused"),
];

type IdentityName = string;

/** A request an endpoint makes; `fileToken` asks the caller for its token on that file. */
interface Call {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  fileToken?: { kind: "upload" | "download"; fileId: string };
}

/** One row of the matrix. */
interface Endpoint {
  name: string;
  auth: AuthKind;
  /** Builds the call for `caller` (may create fresh fixtures: it runs before the snapshot). */
  call(world: World, caller: Party): Promise<Call> | Call;
  /** Statuses of named identities. */
  expect?: Record<IdentityName, number>;
  /** The status of any other registered client. */
  otherClients: number;
  /** The status of any refused identity (default 401). */
  refused?: number;
  /** Identities that may see the world's protected data in the answer. */
  sees?: IdentityName[];
}

const SECOND_WRITER = "matrix-fresh-reader";
const owner = (w: World) => w.owner.clientId;
const grantPath = (w: World, reader: string) => `${owner(w)}/${owner(w)}/${reader}/${TYPE}`;
const randomName = (prefix: string) => `${prefix}${crypto.randomUUID().slice(0, 8)}`;
const everyone = (status: number) => ({ otherClients: status, refused: status });

async function freshClientId(world: World): Promise<string> {
  const reply = await world.send({
    method: "POST",
    path: "/v1/account/e3db/clients/register",
    body: {
      token: REGISTRATION_TOKEN,
      client: {
        name: SECOND_WRITER,
        public_key: {
          curve25519: world.owner.suite.encodePublicKey(world.owner.encryption.publicKey),
        },
      },
    },
  });
  assert.equal(reply.status, 201, reply.text);
  return reply.json.client_id;
}

async function adminCall(world: World, method: string, path: string, body?: unknown) {
  const reply = await world.send({
    method,
    path,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    ...(body === undefined ? {} : { body }),
  });
  assert.ok(reply.status < 300, `${method} ${path}: ${reply.text}`);
  return reply.json;
}

/** The rows. A new endpoint is one entry here. */
const ENDPOINTS: Endpoint[] = [
  // ---- public ---------------------------------------------------------------------------------
  {
    name: "GET /healthz",
    auth: "none",
    call: () => ({ method: "GET", path: "/healthz" }),
    ...everyone(200),
  },
  {
    name: "GET /v1/identity/info/realm/:realm",
    auth: "none",
    call: () => ({ method: "GET", path: `/v1/identity/info/realm/${REALM}` }),
    ...everyone(200),
  },
  {
    // The registration token is the credential here, whoever sends it.
    name: "POST /v1/account/e3db/clients/register",
    auth: "none",
    call: (w) => ({
      method: "POST",
      path: "/v1/account/e3db/clients/register",
      body: {
        token: REGISTRATION_TOKEN,
        client: {
          name: "matrix-new",
          public_key: { curve25519: w.owner.suite.encodePublicKey(w.owner.encryption.publicKey) },
        },
      },
    }),
    ...everyone(201),
  },
  {
    name: "POST /v1/account/e3db/clients/register (wrong token)",
    auth: "none",
    call: (w) => ({
      method: "POST",
      path: "/v1/account/e3db/clients/register",
      body: {
        token: "not-the-token",
        client: {
          name: "matrix-new",
          public_key: { curve25519: w.owner.suite.encodePublicKey(w.owner.encryption.publicKey) },
        },
      },
    }),
    ...everyone(401),
  },
  {
    name: "POST /v1/auth/token",
    auth: "basic",
    call: () => ({ method: "POST", path: "/v1/auth/token", body: "grant_type=client_credentials" }),
    otherClients: 200,
  },
  {
    // The registration token in the path is the credential; a bearer, when sent, must be its own.
    name: "POST /v1/account/backup/:token/:clientId",
    auth: "optionalBearer",
    call: (w) => ({ method: "POST", path: `/v1/account/backup/${REGISTRATION_TOKEN}/${owner(w)}` }),
    expect: { owner: 200, anonymous: 200 },
    otherClients: 403,
  },
  {
    name: "POST /v1/identity/tozid/refresh",
    auth: "none",
    call: () => ({
      method: "POST",
      path: "/v1/identity/tozid/refresh",
      body: { refresh_token: "bogus-refresh-token" },
    }),
    ...everyone(401),
  },
  // ---- records --------------------------------------------------------------------------------
  {
    name: "GET /v1/storage/clients/:id",
    auth: "bearer",
    call: (w) => ({ method: "GET", path: `/v1/storage/clients/${owner(w)}` }),
    otherClients: 200,
  },
  {
    name: "POST /v1/storage/records",
    auth: "bearer",
    call: (w) => ({
      method: "POST",
      path: "/v1/storage/records",
      body: {
        meta: { writer_id: owner(w), user_id: owner(w), type: TYPE },
        data: { field: fakeField() },
      },
    }),
    expect: { owner: 201 },
    otherClients: 403,
  },
  {
    name: "GET /v1/storage/records/:id",
    auth: "bearer",
    call: (w) => ({ method: "GET", path: `/v1/storage/records/${w.record.id}` }),
    expect: { owner: 200, reader: 200 },
    otherClients: 403,
    sees: ["owner", "reader"],
  },
  {
    name: "GET /v1/storage/records/:id?field=",
    auth: "bearer",
    call: (w) => ({ method: "GET", path: `/v1/storage/records/${w.record.id}?field=field` }),
    expect: { owner: 200, reader: 200 },
    otherClients: 403,
    sees: ["owner", "reader"],
  },
  {
    name: "PUT /v1/storage/records/safe/:id/:version",
    auth: "bearer",
    call: async (w) => {
      const record = await ownerRecord(w);
      return {
        method: "PUT",
        path: `/v1/storage/records/safe/${record.id}/${record.version}`,
        body: { meta: { plain: { changed: "yes" } }, data: { field: fakeField() } },
      };
    },
    expect: { owner: 200 },
    otherClients: 403,
  },
  {
    name: "DELETE /v1/storage/records/safe/:id/:version",
    auth: "bearer",
    call: async (w) => {
      const record = await ownerRecord(w);
      return { method: "DELETE", path: `/v1/storage/records/safe/${record.id}/${record.version}` };
    },
    expect: { owner: 204 },
    otherClients: 403,
  },
  {
    name: "POST /v1/storage/search (all writers, with data)",
    auth: "bearer",
    call: () => ({
      method: "POST",
      path: "/v1/storage/search",
      body: { include_all_writers: true, include_data: true },
    }),
    otherClients: 200,
    sees: ["owner", "reader"],
  },
  {
    name: "POST /v2/search (all writers, with data)",
    auth: "bearer",
    call: () => ({
      method: "POST",
      path: "/v2/search",
      body: {
        include_all_writers: true,
        include_data: true,
        match: [{ terms: { content_types: [TYPE] } }],
      },
    }),
    otherClients: 200,
    sees: ["owner", "reader"],
  },
  // ---- access keys ----------------------------------------------------------------------------
  {
    name: "GET /v1/storage/access_keys (the reader's)",
    auth: "bearer",
    call: (w) => ({
      method: "GET",
      path: `/v1/storage/access_keys/${grantPath(w, w.reader.clientId)}`,
    }),
    expect: { reader: 200 },
    otherClients: 403,
    sees: ["reader"],
  },
  {
    name: "GET /v1/storage/access_keys (the owner's own)",
    auth: "bearer",
    call: (w) => ({ method: "GET", path: `/v1/storage/access_keys/${grantPath(w, owner(w))}` }),
    expect: { owner: 200 },
    otherClients: 403,
    sees: ["owner"],
  },
  {
    name: "PUT /v1/storage/access_keys (for a new reader)",
    auth: "bearer",
    call: async (w) => ({
      method: "PUT",
      path: `/v1/storage/access_keys/${grantPath(w, await freshClientId(w))}`,
      body: { eak: fakeEak() },
    }),
    expect: { owner: 201, authorizer: 201 },
    otherClients: 403,
  },
  {
    name: "PUT /v1/storage/access_keys (the owner's own)",
    auth: "bearer",
    call: (w) => ({
      method: "PUT",
      path: `/v1/storage/access_keys/${grantPath(w, owner(w))}`,
      body: { eak: fakeEak() },
    }),
    // The own EAK is create-only (finding 9): the world already put it, so even the owner gets 409.
    expect: { owner: 409 },
    otherClients: 403,
  },
  {
    name: "DELETE /v1/storage/access_keys (a grant the authorizer made)",
    auth: "bearer",
    call: async (w) => {
      const path = `/v1/storage/access_keys/${grantPath(w, await freshClientId(w))}`;
      const put = await w.send({
        method: "PUT",
        path,
        headers: { authorization: `Bearer ${w.authorizer.token}` },
        body: { eak: fakeEak() },
      });
      assert.equal(put.status, 201, put.text);
      return { method: "DELETE", path };
    },
    expect: { owner: 204, authorizer: 204 },
    otherClients: 403,
  },
  // ---- policies -------------------------------------------------------------------------------
  ...["outgoing", "incoming", "proxies", "granted"].map((list): Endpoint => ({
    name: `GET /v1/storage/policy/${list}`,
    auth: "bearer",
    call: () => ({ method: "GET", path: `/v1/storage/policy/${list}` }),
    otherClients: 200,
  })),
  {
    name: "PUT /v1/storage/policy (allow read, a new reader)",
    auth: "bearer",
    call: async (w) => ({
      method: "PUT",
      path: `/v1/storage/policy/${grantPath(w, await freshClientId(w))}`,
      body: { allow: [{ read: {} }] },
    }),
    expect: { owner: 201, authorizer: 201 },
    otherClients: 403,
  },
  {
    name: "PUT /v1/storage/policy (allow authorizer)",
    auth: "bearer",
    call: async (w) => ({
      method: "PUT",
      path: `/v1/storage/policy/${grantPath(w, await freshClientId(w))}`,
      body: { allow: [{ authorizer: {} }] },
    }),
    expect: { owner: 201 },
    otherClients: 403,
  },
  {
    name: "PUT /v1/storage/policy (re-allow the revoked reader)",
    auth: "bearer",
    call: (w) => ({
      method: "PUT",
      path: `/v1/storage/policy/${grantPath(w, w.revokedReader.clientId)}`,
      body: { allow: [{ read: {} }], deny: [{ read: {} }] },
    }),
    expect: { owner: 201, authorizer: 201 },
    otherClients: 403,
  },
  {
    name: "DELETE /v1/storage/policy/:user/:writer/:reader",
    auth: "bearer",
    call: async (w) => ({
      method: "DELETE",
      path: `/v1/storage/policy/${owner(w)}/${owner(w)}/${await freshClientId(w)}`,
    }),
    expect: { owner: 200 },
    otherClients: 403,
  },
  // ---- files ----------------------------------------------------------------------------------
  {
    name: "POST /v1/storage/files",
    auth: "bearer",
    call: (w) => ({
      method: "POST",
      path: "/v1/storage/files",
      body: {
        meta: {
          writer_id: owner(w),
          user_id: owner(w),
          type: TYPE,
          file_meta: { compression: "raw" },
        },
        data: {},
      },
    }),
    expect: { owner: 202 },
    otherClients: 403,
  },
  {
    name: "PATCH /v1/storage/files/:pendingId",
    auth: "bearer",
    call: async (w) => ({
      method: "PATCH",
      path: `/v1/storage/files/${await ownerPendingFile(w, true)}`,
    }),
    expect: { owner: 201 },
    otherClients: 404,
  },
  {
    name: "GET /v1/storage/files/:recordId",
    auth: "bearer",
    call: (w) => ({ method: "GET", path: `/v1/storage/files/${w.fileRecordId}` }),
    expect: { owner: 200, reader: 200 },
    otherClients: 403,
    sees: ["owner", "reader"],
  },
  {
    name: "PUT /v1/arca/files/upload/:pendingId?token= (signed URL)",
    auth: "capability",
    call: async (w) => {
      const fileId = await ownerPendingFile(w, false);
      return {
        method: "PUT",
        path: `/v1/arca/files/upload/${fileId}`,
        body: "matrix file bytes",
        headers: { "content-type": "application/octet-stream" },
        fileToken: { kind: "upload", fileId },
      };
    },
    // A URL minted for a client that was disabled since dies with it (401 Client is disabled).
    expect: { owner: 200, disabledClient: 401 },
    otherClients: 404,
    refused: 403,
  },
  {
    name: "GET /v1/arca/files/download/:recordId?token= (signed URL)",
    auth: "capability",
    call: (w) => ({
      method: "GET",
      path: `/v1/arca/files/download/${w.fileRecordId}`,
      fileToken: { kind: "download", fileId: w.fileRecordId },
    }),
    expect: { owner: 200, reader: 200, disabledClient: 401 },
    otherClients: 403,
    refused: 403,
    sees: ["owner", "reader"],
  },
  // ---- notes (TSV1) ---------------------------------------------------------------------------
  {
    name: "POST /v2/storage/notes",
    auth: "tsv1",
    call: async (w, caller) => ({
      method: "POST",
      path: "/v2/storage/notes",
      body: await noteBody(caller, w.reader, { note: "new" }),
    }),
    otherClients: 201,
  },
  {
    name: "GET /v2/storage/notes?note_id=",
    auth: "tsv1",
    call: async (w) => ({ method: "GET", path: `/v2/storage/notes?note_id=${await ownerNote(w)}` }),
    expect: { reader: 200 },
    otherClients: 404,
    sees: ["reader"],
  },
  {
    name: "GET /v2/storage/notes?id_string=",
    auth: "tsv1",
    call: async (w) => {
      const name = randomName("matrix-note-");
      await ownerNote(w, name);
      return { method: "GET", path: `/v2/storage/notes?id_string=${name}` };
    },
    expect: { reader: 200 },
    otherClients: 404,
    sees: ["reader"],
  },
  {
    name: "PUT /v2/storage/notes (replace a named note)",
    auth: "tsv1",
    call: async (w, caller) => {
      const name = randomName("matrix-named-");
      await ownerNote(w, name);
      return {
        method: "PUT",
        path: "/v2/storage/notes",
        body: await noteBody(caller, w.reader, { note: "replaced" }, { id_string: name }),
      };
    },
    expect: { owner: 200 },
    otherClients: 403,
  },
  {
    name: "DELETE /v2/storage/notes/:noteId",
    auth: "tsv1",
    call: async (w) => ({ method: "DELETE", path: `/v2/storage/notes/${await ownerNote(w)}` }),
    expect: { owner: 204, reader: 204 },
    otherClients: 404,
  },
  // ---- identity login (TSV1): no caller here holds an identity's password-derived key -------
  {
    name: "POST /v1/identity/login",
    auth: "tsv1",
    call: () => ({
      method: "POST",
      path: "/v1/identity/login",
      body: { username: randomName("nobody-"), realm_name: REALM, code_challenge: "A".repeat(43) },
    }),
    otherClients: 401,
  },
  {
    name: "POST /v1/identity/login/continue/:sessionId",
    auth: "tsv1",
    call: (w) => ({
      method: "POST",
      path: `/v1/identity/login/continue/${crypto.randomUUID()}`,
      body: `public_key=${
        w.owner.suite.encodePublicKey(w.owner.encryption.publicKey)
      }&public_signing_key=x`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
    otherClients: 401,
  },
  {
    name: "POST /v1/identity/tozid/redirect",
    auth: "tsv1",
    call: () => ({
      method: "POST",
      path: "/v1/identity/tozid/redirect",
      body: {
        realm_name: REALM,
        session_code: "code",
        execution: "execution",
        tab_id: "tab",
        client_id: "account",
        auth_session_id: crypto.randomUUID(),
        code_verifier: "v".repeat(43),
      },
    }),
    otherClients: 401,
  },
  // ---- admin ----------------------------------------------------------------------------------
  ...adminEndpoints(),
];

function adminEndpoints(): Endpoint[] {
  const rows: [string, (w: World) => Promise<Call> | Call, number][] = [
    [
      "POST /v1/arca/admin/tokens",
      () => ({ method: "POST", path: "/v1/arca/admin/tokens", body: { name: "m" } }),
      201,
    ],
    ["GET /v1/arca/admin/tokens", () => ({ method: "GET", path: "/v1/arca/admin/tokens" }), 200],
    [
      "DELETE /v1/arca/admin/tokens/:id",
      async (w) => {
        const made = await adminCall(w, "POST", "/v1/arca/admin/tokens", { name: "doomed" });
        return { method: "DELETE", path: `/v1/arca/admin/tokens/${made.token_id}` };
      },
      204,
    ],
    ["GET /v1/arca/admin/clients", () => ({ method: "GET", path: "/v1/arca/admin/clients" }), 200],
    [
      "POST /v1/arca/admin/realms",
      () => ({
        method: "POST",
        path: "/v1/arca/admin/realms",
        body: { name: randomName("Realm") },
      }),
      201,
    ],
    ["GET /v1/arca/admin/realms", () => ({ method: "GET", path: "/v1/arca/admin/realms" }), 200],
    [
      "POST /v1/arca/admin/realms/:realm/identities",
      () => ({
        method: "POST",
        path: `/v1/arca/admin/realms/${REALM}/identities`,
        body: identityBody(randomName("user-")),
      }),
      201,
    ],
    [
      "GET /v1/arca/admin/realms/:realm/identities",
      () => ({ method: "GET", path: `/v1/arca/admin/realms/${REALM}/identities` }),
      200,
    ],
    [
      "DELETE /v1/arca/admin/realms/:realm/identities/:username",
      async (w) => {
        const username = randomName("doomed-");
        await adminCall(
          w,
          "POST",
          `/v1/arca/admin/realms/${REALM}/identities`,
          identityBody(username),
        );
        return { method: "DELETE", path: `/v1/arca/admin/realms/${REALM}/identities/${username}` };
      },
      204,
    ],
  ];
  return rows.map(([name, call, status]) => ({
    name,
    auth: "admin",
    call,
    expect: { admin: status },
    otherClients: 401,
  }));
}

function expectedStatus(endpoint: Endpoint, identity: Identity): number {
  return endpoint.expect?.[identity.name] ??
    (identity.group === "client" ? endpoint.otherClients : endpoint.refused ?? 401);
}

async function buildRequest(world: World, endpoint: Endpoint, identity: Identity) {
  const call = await endpoint.call(world, identity.party(world));
  let path = call.path;
  if (call.fileToken !== undefined) {
    const token = await identity.capability(world, call.fileToken.kind, call.fileToken.fileId);
    if (token !== undefined) path += `?token=${encodeURIComponent(token)}`;
  }
  const headers: Record<string, string> = { ...call.headers };
  if (endpoint.auth !== "capability") {
    const authorization = await identity.header(world, endpoint.auth, call.method, path);
    if (authorization !== undefined) headers.authorization = authorization;
  }
  return { method: call.method, path, body: call.body, headers };
}

Deno.test({
  name: "authorization matrix: every endpoint × every identity over real HTTP",
  // Notes hold ciphertexts only; a refusal must change no table and leak no protected text.
  async fn(t) {
    const world = await openWorld();
    try {
      const failures: string[] = [];
      let cells = 0;
      for (const endpoint of ENDPOINTS) {
        await t.step(endpoint.name, async () => {
          for (const identity of IDENTITIES) {
            cells++;
            const request = await buildRequest(world, endpoint, identity);
            const before = world.snapshot();
            const reply = await world.send(request);
            const after = world.snapshot();
            const expected = expectedStatus(endpoint, identity);
            const cell = `${endpoint.name} as ${identity.name}`;
            if (reply.status !== expected) {
              failures.push(`${cell}: expected ${expected}, got ${reply.status} ${reply.text}`);
            }
            if (reply.status >= 400) {
              if (before !== after) failures.push(`${cell}: refused, yet the store changed`);
              if (typeof reply.json?.error !== "string") {
                failures.push(`${cell}: refusal without a JSON error body: ${reply.text}`);
              }
            }
            if (!(endpoint.sees ?? []).includes(identity.name)) {
              const leaked = world.secrets.filter((secret) => reply.text.includes(secret));
              if (leaked.length > 0) {
                failures.push(`${cell}: leaked ${leaked.length} protected texts`);
              }
            }
          }
        });
      }
      assert.deepEqual(failures, [], `${failures.length} of ${cells} cells are wrong`);
      assert.ok(cells >= ENDPOINTS.length * IDENTITIES.length);
    } finally {
      await world.close();
    }
  },
});

Deno.test("authorization matrix: the readers really see the protected data", async () => {
  // Guards the leak check above: were `sees` readers to get nothing, it would prove nothing.
  const world = await openWorld();
  try {
    for (const party of [world.owner, world.reader]) {
      const reply = await world.send({
        method: "GET",
        path: `/v1/storage/records/${world.record.id}`,
        headers: { authorization: `Bearer ${party.token}` },
      });
      assert.equal(reply.status, 200);
      assert.ok(world.secrets.some((secret) => reply.text.includes(secret)));
    }
  } finally {
    await world.close();
  }
});
