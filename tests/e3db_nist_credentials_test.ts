// E3DB's Python SDK in NIST mode registers a P-384 `public_key` with an Ed25519 signing key (spec
// §2.1, §3.8). Arca loads such a credential file (P-384 encryption, Ed25519 signatures), reads what
// that client encrypted, and shares with it both ways over real HTTP; its own NIST clients keep
// ECDSA P-384. The keys and a record the Python client encrypted to itself come from
// tests/vectors/e3db_nist_client/make_e3db_nist_client.py (python3-cryptography + PyNaCl).
import assert from "node:assert/strict";
import { join } from "node:path";
import { Client } from "../lib/sdk/client.ts";
import { Config } from "../lib/sdk/config.ts";
import { ValidationError } from "../lib/errors.ts";
import { registerTestClient, TEST_REGISTRATION_TOKEN, withServer } from "./_sdk_helpers.ts";

interface PythonClient {
  keys: Record<string, string>;
  registration_client: { public_key: unknown; signing_key: unknown };
  record: {
    type: string;
    plain: Record<string, string>;
    data: Record<string, string>;
    clear_data: Record<string, string>;
    self_eak: string;
  };
}

const VECTOR = JSON.parse(
  await Deno.readTextFile(
    new URL("./vectors/e3db_nist_client/e3db_nist_client.json", import.meta.url),
  ),
) as PythonClient;

async function http(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | null = null,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const reply = await fetch(`${url}${path}`, { method, headers, body });
  const text = await reply.text();
  assert.ok(reply.ok, `${method} ${path}: ${reply.status} ${text}`);
  return text === "" ? null : JSON.parse(text);
}

/**
 * Registers the Python client as E3DB's Python SDK does (§2.1) and writes its credential file as
 * Python's `Config.write` does (§3.10: four-space JSON, `version` "2", no `crypto_suite`).
 */
async function registerPythonClient(url: string, dir: string): Promise<{ path: string }> {
  const registration = await http(
    url,
    "POST",
    "/v1/account/e3db/clients/register",
    { "content-type": "application/json" },
    JSON.stringify({
      token: TEST_REGISTRATION_TOKEN,
      client: { name: "python-nist", ...VECTOR.registration_client },
    }),
  );
  assert.deepEqual(registration.signing_key, VECTOR.registration_client.signing_key);
  const file = {
    version: "2",
    client_id: registration.client_id,
    api_key_id: registration.api_key_id,
    api_secret: registration.api_secret,
    client_email: "",
    ...VECTOR.keys,
    api_url: url,
  };
  const path = join(dir, "e3db.json");
  await Deno.writeTextFile(path, JSON.stringify(file, null, 4));
  return { path };
}

/** Writes the record the Python client encrypted (its own EAK first), with raw HTTP. */
async function writePythonRecord(url: string, config: Config): Promise<string> {
  const token = await http(url, "POST", "/v1/auth/token", {
    authorization: `Basic ${btoa(`${config.apiKeyId}:${config.apiSecret}`)}`,
    "content-type": "application/x-www-form-urlencoded",
  }, "grant_type=client_credentials");
  const auth = { authorization: `Bearer ${token.access_token}` };
  const id = config.clientId;
  const { record } = VECTOR;
  await http(
    url,
    "PUT",
    `/v1/storage/access_keys/${id}/${id}/${id}/${record.type}`,
    { ...auth, "content-type": "application/json" },
    JSON.stringify({ eak: record.self_eak }),
  );
  const written = await http(
    url,
    "POST",
    "/v1/storage/records",
    { ...auth, "content-type": "application/json" },
    JSON.stringify({
      meta: { writer_id: id, user_id: id, type: record.type, plain: record.plain },
      data: record.data,
    }),
  );
  return written.meta.record_id;
}

async function withPythonClient(
  body: (url: string, config: Config) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "arca-e3db-nist-" });
  try {
    await withServer(async ({ url }) => {
      const { path } = await registerPythonClient(url, dir);
      await body(url, await Config.load(undefined, { path }));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("E3DB NIST credentials: the file loads as P-384 encryption with Ed25519 signing", async () => {
  await withPythonClient((_url, config) => {
    assert.equal(config.cryptoSuite, "NIST");
    assert.equal(config.signingSuite, "Sodium");
    assert.equal(config.version, 2);
    assert.equal(config.publicSigningKey, VECTOR.keys.public_signing_key);
    // Arca's own NIST clients keep ECDSA P-384 signing keys: the two are told apart.
    return Promise.resolve();
  });
  const arcaNist = Config.fromObject({
    version: "2",
    client_id: crypto.randomUUID(),
    api_key_id: "k",
    api_secret: "s",
    public_key: VECTOR.keys.public_key,
    private_key: VECTOR.keys.private_key,
    ...(await Client.generateSigningKeypair("NIST").then((pair) => ({
      public_signing_key: pair.publicKey,
      private_signing_key: pair.privateKey,
    }))),
    api_url: "http://127.0.0.1:1",
  });
  assert.equal(arcaNist.signingSuite, "NIST");
  // Sodium encryption keys with P-384 signing keys exist nowhere: still refused.
  const sodium = await Client.generateKeypair("Sodium");
  assert.throws(
    () =>
      Config.fromObject({
        ...arcaNist.toJSON(),
        public_key: sodium.publicKey,
        private_key: sodium.privateKey,
      }),
    (error: unknown) =>
      error instanceof ValidationError &&
      /mixes Sodium encryption keys and NIST signing keys/.test(error.message),
  );
});

Deno.test("E3DB NIST credentials: Arca reads the Python client's record and writes signed ones", async () => {
  await withPythonClient(async (url, config) => {
    const recordId = await writePythonRecord(url, config);
    // Python never signs records (§3.5): its own unsigned record needs a policy that allows it.
    await assert.rejects(() => new Client(config).read(recordId), /is not signed/);
    const python = new Client(config, { requireSignatures: "none" });
    const read = await python.read(recordId);
    assert.deepEqual(read.data, VECTOR.record.clear_data);
    assert.equal(read.signature, undefined); // Python never signs records (§3.5)

    const written = await python.write("diary", { entry: "dear diary" });
    assert.ok(written.signature !== undefined, "records are signed with the Ed25519 key");
    const again = await new Client(config, { requireSignatures: "all" }).read(
      written.meta.recordId,
    );
    assert.deepEqual(again.data, { entry: "dear diary" });
  });
});

Deno.test("E3DB NIST credentials: sharing both ways with an Arca NIST (ECDSA P-384) client", async () => {
  await withPythonClient(async (url, config) => {
    const recordId = await writePythonRecord(url, config);
    const python = new Client(config);
    const arca = await registerTestClient(url, "arca-nist", "NIST");
    assert.equal(arca.config.signingSuite, "NIST");

    // Python → Arca: the record Python encrypted, and one the Python credentials signed.
    const signed = await python.write("diary", { entry: "signed with Ed25519" });
    await python.share(VECTOR.record.type, arca.clientId);
    await python.share("diary", arca.clientId);
    assert.deepEqual((await arca.read(recordId)).data, VECTOR.record.clear_data);
    const strictArca = new Client(arca.config, { requireSignatures: "all" });
    assert.deepEqual((await strictArca.read(signed.meta.recordId)).data, {
      entry: "signed with Ed25519",
    });

    // Arca → Python: an ECDSA P-384 signed record, verified by the Ed25519-signing client.
    const fromArca = await arca.write("contact", { name: "Jon Snow" });
    await arca.share("contact", python.clientId);
    const strictPython = new Client(config, { requireSignatures: "all" });
    assert.deepEqual((await strictPython.read(fromArca.meta.recordId)).data, {
      name: "Jon Snow",
    });

    await arca.revoke("contact", python.clientId);
    await assert.rejects(
      () => strictPython.read(fromArca.meta.recordId),
      /HTTP 40[34]|not shared/i,
    );
  });
});

Deno.test("E3DB NIST credentials: Sodium clients are refused with a clear error both ways", async () => {
  await withPythonClient(async (url, config) => {
    const python = new Client(config);
    const sodium = await registerTestClient(url, "arca-sodium", "Sodium");
    await sodium.write("contact", { name: "Arya" });
    await assert.rejects(
      () => sodium.share("contact", python.clientId),
      /has a p384 key, but this client uses the Sodium suite/,
    );
    await python.write("contact", { name: "Sansa" });
    await assert.rejects(
      () => python.share("contact", sodium.clientId),
      /has a curve25519 key, but this client uses the NIST suite/,
    );
    // Notes need one suite for encryption and signatures: refused, not silently wrong.
    await assert.rejects(
      () => python.writeNote({ a: "b" }, sodium.config.publicKey, sodium.config.publicSigningKey!),
      /Notes need signing keys of the encryption keys' suite/,
    );
  });
});
