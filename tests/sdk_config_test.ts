import assert from "node:assert/strict";
import { join } from "node:path";
import { ConflictError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { Config } from "../lib/sdk/config.ts";
import { generateKeyPairText, generateSigningKeyPairText } from "../lib/sdk/key_text.ts";

const CLIENT_ID = "0e8eb8c6-839f-46ca-9843-801c539e490f";

async function sodiumObject(): Promise<Record<string, string>> {
  const keys = await generateKeyPairText("Sodium");
  const signing = await generateSigningKeyPairText("Sodium");
  return {
    version: "2",
    client_id: CLIENT_ID,
    api_key_id: "abc123",
    api_secret: "s3cret",
    client_email: "",
    public_key: keys.publicKey,
    private_key: keys.privateKey,
    public_signing_key: signing.publicKey,
    private_signing_key: signing.privateKey,
    api_url: "http://127.0.0.1:8000/",
  };
}

async function withHome(body: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "arca-config-" });
  try {
    await body(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("Config.fromObject reads E3DB's snake_case file and normalises the URL", async () => {
  const object = await sodiumObject();
  const config = Config.fromObject(object);
  assert.equal(config.version, 2);
  assert.equal(config.clientId, CLIENT_ID);
  assert.equal(config.apiUrl, "http://127.0.0.1:8000");
  assert.equal(config.cryptoSuite, "Sodium");
  assert.equal(config.publicSigningKey, object.public_signing_key);
  assert.equal(config.hasSigningKeys, true);
});

Deno.test("Config.fromObject accepts version 2 as a number and camelCase keys", async () => {
  const object = await sodiumObject();
  const camel = {
    version: 2,
    clientId: object.client_id,
    apiKeyId: object.api_key_id,
    apiSecret: object.api_secret,
    publicKey: object.public_key,
    privateKey: object.private_key,
    publicSigningKey: object.public_signing_key,
    privateSigningKey: object.private_signing_key,
    apiUrl: object.api_url,
  };
  const config = Config.fromObject(camel);
  assert.equal(config.version, 2);
  assert.equal(config.toJSON().version, "2");
  assert.equal(config.clientEmail, "");
});

Deno.test("Config.fromObject: version 1 ignores signing keys; missing version is inferred", async () => {
  const object = await sodiumObject();
  const v1 = Config.fromObject({ ...object, version: 1 });
  assert.equal(v1.version, 1);
  assert.equal(v1.publicSigningKey, undefined);
  assert.equal(v1.toJSON().version, "1");
  assert.equal("public_signing_key" in v1.toJSON(), false);
  const { version: _drop, ...unversioned } = object;
  assert.equal(Config.fromObject(unversioned).version, 2);
  const { public_signing_key: _a, private_signing_key: _b, ...noSigning } = unversioned;
  assert.equal(Config.fromObject(noSigning).version, 1);
});

Deno.test("Config.fromObject rejects bad input with messages naming the field", async () => {
  const object = await sodiumObject();
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...object, client_id: "not-a-uuid" }, /client_id.*UUID/],
    [{ ...object, api_secret: undefined }, /"api_secret" is missing/],
    [{ ...object, api_url: "ftp://example.com" }, /http or https/],
    [{ ...object, api_url: "http://user:pw@example.com" }, /user name or password/],
    [{ ...object, version: "3" }, /"version" must be "1" or "2"/],
    [{ ...object, public_key: "AAAA" }, /public_key.*32 bytes/],
    [{ ...object, private_signing_key: object.public_signing_key }, /private_signing_key.*64/],
    [{ ...object, public_signing_key: undefined }, /needs "public_signing_key"/],
    [{ ...object, crypto_suite: "NIST" }, /crypto_suite.*Sodium keys/],
    [{ ...object, crypto_suite: "RSA" }, /Unknown crypto suite/],
    [{ ...object, api_key_id: 42 }, /api_key_id" must be a string/],
  ];
  for (const [input, pattern] of cases) {
    assert.throws(() => Config.fromObject(input), (error: unknown) => {
      assert.ok(error instanceof ValidationError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  }
  assert.throws(() => Config.fromObject(null), ValidationError);
  assert.throws(() => Config.fromObject([object]), ValidationError);
});

Deno.test("Config.fromObject refuses mixed Sodium and NIST keys", async () => {
  const object = await sodiumObject();
  const nist = await generateKeyPairText("NIST");
  assert.throws(
    () => Config.fromObject({ ...object, private_key: nist.privateKey }),
    /mixes Sodium and NIST keys/,
  );
  assert.throws(
    () => Config.fromObject({ ...object, public_key: nist.privateKey }),
    /must be a PEM "PUBLIC KEY"/,
  );
});

Deno.test("Config: NIST keys are recognised and crypto_suite is written only for NIST", async () => {
  const keys = await generateKeyPairText("NIST");
  const signing = await generateSigningKeyPairText("NIST");
  const config = Config.fromObject({
    ...(await sodiumObject()),
    public_key: keys.publicKey,
    private_key: keys.privateKey,
    public_signing_key: signing.publicKey,
    private_signing_key: signing.privateKey,
  });
  assert.equal(config.cryptoSuite, "NIST");
  assert.equal(config.toJSON().crypto_suite, "NIST");
  const sodium = Config.fromObject(await sodiumObject());
  assert.equal("crypto_suite" in sodium.toJSON(), false);
});

Deno.test("Config.write then Config.load round-trips a profile in a temporary HOME", async () => {
  await withHome(async (home) => {
    const config = Config.fromObject(await sodiumObject());
    const path = await config.write("work", { home });
    assert.equal(path, join(home, ".tozny", "work", "e3db.json"));
    const text = await Deno.readTextFile(path);
    assert.match(text, /^\{\n {4}"version": "2",\n {4}"client_id": /);
    const json = JSON.parse(text);
    assert.deepEqual(Object.keys(json), [
      "version",
      "client_id",
      "api_key_id",
      "api_secret",
      "client_email",
      "public_key",
      "private_key",
      "public_signing_key",
      "private_signing_key",
      "api_url",
    ]);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(join(home, ".tozny", "work"))).mode! & 0o777, 0o700);
    }
    const loaded = await Config.load("work", { home });
    assert.deepEqual(loaded.toJSON(), config.toJSON());
  });
});

Deno.test("Config.write refuses to overwrite unless asked", async () => {
  await withHome(async (home) => {
    const first = Config.fromObject(await sodiumObject());
    const second = Config.fromObject({ ...(await sodiumObject()), api_key_id: "other" });
    await first.write(undefined, { home });
    await assert.rejects(() => second.write(undefined, { home }), ConflictError);
    assert.equal((await Config.load(undefined, { home })).apiKeyId, "abc123");
    await second.write(undefined, { home, overwrite: true });
    assert.equal((await Config.load(undefined, { home })).apiKeyId, "other");
    const leftovers = [...Deno.readDirSync(join(home, ".tozny"))].map((entry) => entry.name);
    assert.deepEqual(leftovers, ["e3db.json"]);
  });
});

Deno.test("Config.load reads a file written with version as a number", async () => {
  await withHome(async (home) => {
    const object = { ...(await sodiumObject()), version: 2 };
    await Deno.mkdir(join(home, ".tozny"), { recursive: true });
    await Deno.writeTextFile(join(home, ".tozny", "e3db.json"), JSON.stringify(object));
    const config = await Config.load(undefined, { home });
    assert.equal(config.version, 2);
    assert.equal(config.hasSigningKeys, true);
  });
});

Deno.test("Config.load: missing file, bad JSON and bad content fail clearly", async () => {
  await withHome(async (home) => {
    await assert.rejects(() => Config.load("absent", { home }), NotFoundError);
    const path = join(home, ".tozny", "e3db.json");
    await Deno.mkdir(join(home, ".tozny"), { recursive: true });
    await Deno.writeTextFile(path, "{not json");
    await assert.rejects(() => Config.load(undefined, { home }), /is not valid JSON/);
    await Deno.writeTextFile(path, JSON.stringify({ version: "2" }));
    await assert.rejects(
      () => Config.load(undefined, { home }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.match(error.message, /e3db\.json": Config "client_id" is missing/);
        return true;
      },
    );
  });
});

Deno.test("Config.path: default and named profiles; unsafe names are refused", () => {
  assert.equal(Config.path(undefined, { home: "/h" }), join("/h", ".tozny", "e3db.json"));
  assert.equal(
    Config.path("a.b-c_d", { home: "/h" }),
    join("/h", ".tozny", "a.b-c_d", "e3db.json"),
  );
  for (const bad of ["..", ".", "a/b", "a\\b", "x y"]) {
    assert.throws(() => Config.path(bad, { home: "/h" }), ValidationError, bad);
  }
});

Deno.test("Config.fromEnv reads ARCA_* names with E3DB fallbacks", async () => {
  const object = await sodiumObject();
  const env = new Map<string, string>([
    ["ARCA_CLIENT_ID", object.client_id!],
    ["ARCA_API_KEY_ID", object.api_key_id!],
    ["ARCA_API_SECRET", object.api_secret!],
    ["ARCA_PUBLIC_KEY", object.public_key!],
    ["ARCA_PRIVATE_KEY", object.private_key!],
    ["ARCA_PUBLIC_SIGNING_KEY", object.public_signing_key!],
    ["ARCA_PRIVATE_SIGNING_KEY", object.private_signing_key!],
    ["DEFAULT_API_URL", "https://api.example.com"],
    ["CRYPTO_SUITE", "sodium"],
  ]);
  const config = Config.fromEnv(env);
  assert.equal(config.apiUrl, "https://api.example.com");
  assert.equal(config.version, 2);
  env.set("ARCA_API_URL", "https://arca.example.com");
  assert.equal(Config.fromEnv(env).apiUrl, "https://arca.example.com");
  env.set("CRYPTO_SUITE", "NIST");
  assert.throws(() => Config.fromEnv(env), /crypto_suite.*Sodium keys/);
  env.delete("CRYPTO_SUITE");
  env.delete("ARCA_API_SECRET");
  env.delete("ARCA_CLIENT_ID");
  assert.throws(
    () => Config.fromEnv(env),
    /Environment variable ARCA_CLIENT_ID, ARCA_API_SECRET is not set/,
  );
});
