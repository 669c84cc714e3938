/** Without ARCA_PUBLIC_URL, URLs are built only for loopback Hosts (issue 10, #14). */
import assert from "node:assert/strict";
import { deriveNoteCredentials } from "../lib/crypto/identity_credentials.ts";
import { newPkceVerifier, pkceChallenge } from "../lib/crypto/pkce.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { createRealm, registerIdentity } from "../lib/sdk/identity_admin.ts";
import { type FileTestServer, fileTestServer, fileUploadBody } from "./_file_helpers.ts";
import {
  assertError,
  call,
  registerClient,
  type TestClient,
  type TestServer,
  testServer,
} from "./_server_helpers.ts";
import { signedCall } from "./_tsv1_helpers.ts";
import { prepareApp, serverOptionsFromEnv } from "../lib/server/start_server.ts";
import { ValidationError } from "../lib/errors.ts";

function startUpload(server: FileTestServer, client: TestClient, origin: string) {
  const bytes = new TextEncoder().encode("hello");
  return call(server, "POST", `${origin}/v1/storage/files`, {
    token: client.token,
    body: fileUploadBody(client.clientId, bytes),
  });
}

Deno.test("public URL: unset, a forged non-loopback Host gets 400 instead of a URL on that host", async () => {
  const server = await fileTestServer();
  try {
    const alice = await registerClient(server, "alice");
    for (const origin of ["http://evil.example", "http://10.0.0.5:8000", "http://arca.local"]) {
      assertError(await startUpload(server, alice, origin), 400, /ARCA_PUBLIC_URL/);
    }
    for (const origin of ["http://localhost:8000", "http://127.0.0.1:9", "http://[::1]:8000"]) {
      const reply = await startUpload(server, alice, origin);
      assert.equal(reply.status, 202, reply.text);
      assert.ok(reply.json.file_url.startsWith(`${origin}/v1/arca/files/upload/`));
    }
  } finally {
    await server.close();
  }
});

Deno.test("public URL: set, any Host is answered with URLs on the configured base", async () => {
  const server = await fileTestServer({ publicUrl: "https://arca.example.com" });
  try {
    const alice = await registerClient(server, "alice");
    const reply = await startUpload(server, alice, "http://evil.example");
    assert.equal(reply.status, 202, reply.text);
    assert.ok(reply.json.file_url.startsWith("https://arca.example.com/v1/arca/files/upload/"));
  } finally {
    await server.close();
  }
});

Deno.test("public URL: unset, identity login refuses to build its action URL for a forged Host", async () => {
  const admin = "admin-token-public-url";
  const server: TestServer = await testServer({ adminToken: admin });
  try {
    const conn = {
      apiUrl: "http://127.0.0.1:8000",
      adminToken: admin,
      fetch: async (input: RequestInfo | URL, init?: RequestInit) =>
        await server.app.request(input instanceof Request ? input : String(input), init),
      now: () => Math.floor(server.clock.now / 1000),
    };
    await createRealm("Acme", conn);
    await registerIdentity({ ...conn, realmName: "Acme", username: "alice", password: "pw" });
    const suite = await getSuite("Sodium");
    const creds = await deriveNoteCredentials(suite, "alice", "pw", "Acme");
    const holder = { suite, encryption: creds.encryptionKeys, signing: creds.signingKeys };
    const body = async () => ({
      username: "alice",
      realm_name: "acme",
      app_name: "account",
      code_challenge: await pkceChallenge(newPkceVerifier()),
      login_style: "api",
    });
    const forged = await signedCall(
      server,
      holder,
      "POST",
      "http://evil.example/v1/identity/login",
      {
        body: await body(),
      },
    );
    assertError(forged, 400, /ARCA_PUBLIC_URL/);
    const local = await signedCall(server, holder, "POST", "http://localhost/v1/identity/login", {
      body: await body(),
    });
    assert.equal(local.status, 200, local.text);
    assert.match(JSON.stringify(local.json), /http:\/\/localhost\/v1\/identity\/login\/continue\//);
  } finally {
    await server.close();
  }
});

Deno.test("public URL: the server says once at startup how it builds URLs", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-public-url-" });
  try {
    for (const publicUrl of [undefined, "https://arca.example.com/"]) {
      const lines: string[] = [];
      const { store } = await prepareApp({ dataDir, publicUrl, print: (l) => lines.push(l) });
      await store.close();
      const about = lines.filter((line) => /URLs given to clients/.test(line));
      assert.equal(about.length, 1, lines.join("\n"));
      assert.match(
        about[0]!,
        publicUrl === undefined ? /ARCA_PUBLIC_URL is not set.*loopback/ : /arca\.example\.com/,
      );
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("public URL: ARCA_PUBLIC_URL must be an http(s) URL", () => {
  const env = (value: string) => new Map([["ARCA_PUBLIC_URL", value]]);
  assert.equal(
    serverOptionsFromEnv(env("https://arca.example.com")).publicUrl,
    "https://arca.example.com",
  );
  assert.throws(() => serverOptionsFromEnv(env("arca.example.com")), ValidationError);
  assert.throws(() => serverOptionsFromEnv(env("ftp://arca.example.com")), /http\(s\) URL/);
});
