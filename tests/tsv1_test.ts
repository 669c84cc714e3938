import assert from "node:assert/strict";
import { IntegrityError, UnauthorizedError, ValidationError } from "../lib/errors.ts";
import { decodeBase64Url, encodeBase64Url } from "../lib/crypto/encoding.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import type { KeyPair } from "../lib/crypto/suite.ts";
import {
  canonicalQueryForms,
  signRequest,
  TSV1_NIST_SCHEME,
  TSV1_SODIUM_SCHEME,
  Tsv1Error,
  verifyRequest,
} from "../lib/crypto/tsv1.ts";
import { isUuid } from "../lib/crypto/uuid.ts";
import { deliberateStatus } from "../lib/server/_error_handler.ts";

interface Tsv1Key {
  ed25519_sk64_b64url: string;
  ed25519_pk_b64url: string;
}
interface Tsv1Signed {
  canonical_query: string;
  authorization: string;
  signature_b64url: string;
}
interface Tsv1Vector {
  id: string;
  method: string;
  path: string;
  query: string;
  url_path_and_query: string;
  client_id: string;
  timestamp: number;
  nonce: string;
  signing_key: string;
  expected: Tsv1Signed;
  canonical_query_by_form: Record<string, string>;
  alternative_forms?: (Tsv1Signed & { forms: string[] })[];
}
interface Tsv1MustFail {
  id: string;
  method: string;
  path: string;
  query: string;
  authorization: string;
}
interface Tsv1File {
  keys: Record<string, Tsv1Key>;
  vectors: Tsv1Vector[];
  must_fail: Tsv1MustFail[];
}

const file: Tsv1File = JSON.parse(
  await Deno.readTextFile(new URL("./vectors/tsv1.json", import.meta.url)),
);
const sodium = await sodiumSuite();
const nist = await nistSuite();
const VECTOR_NOW = new Date(1700000000 * 1000);

function keyPair(reference: string): KeyPair {
  const key = file.keys[reference.replace(/^keys\./, "")];
  assert.ok(key, `unknown key ${reference}`);
  return {
    publicKey: decodeBase64Url(key.ed25519_pk_b64url),
    privateKey: decodeBase64Url(key.ed25519_sk64_b64url),
  };
}

for (const v of file.vectors) {
  Deno.test(`tsv1 vector ${v.id}: signRequest reproduces the authorization`, async () => {
    const input = {
      method: v.method,
      url: v.url_path_and_query,
      signingKeys: keyPair(v.signing_key),
      timestamp: v.timestamp,
      nonce: v.nonce,
      ...(v.client_id === "" ? {} : { clientId: v.client_id }),
    };
    assert.equal(await signRequest(sodium, input), v.expected.authorization);
    const fullUrl = { ...input, url: `https://arca.example${v.url_path_and_query}` };
    assert.equal(await signRequest(sodium, fullUrl), v.expected.authorization);
  });

  Deno.test(`tsv1 vector ${v.id}: canonical query forms`, () => {
    const forms = canonicalQueryForms(v.query);
    assert.equal(forms[0], v.expected.canonical_query);
    assert.deepEqual(
      new Set(forms),
      new Set(Object.values(v.canonical_query_by_form)),
    );
  });

  Deno.test(`tsv1 vector ${v.id}: verifyRequest accepts it and every alternative form`, async () => {
    const authorizations = [
      v.expected.authorization,
      ...(v.alternative_forms ?? []).map((f) => f.authorization),
    ];
    for (const authorization of authorizations) {
      const verified = await verifyRequest({ Sodium: sodium }, {
        authorization,
        method: v.method,
        rawPath: v.path,
        rawQuery: v.query,
        now: VECTOR_NOW,
      });
      assert.equal(verified.suite, "Sodium");
      assert.equal(verified.publicKeyText, file.keys.signer!.ed25519_pk_b64url);
      assert.deepEqual(verified.publicKey, keyPair(v.signing_key).publicKey);
      assert.equal(verified.clientId, v.client_id === "" ? null : v.client_id);
      assert.equal(verified.timestamp, v.timestamp);
      assert.equal(verified.nonce, v.nonce);
    }
  });
}

const MALFORMED = new Set(["wrong-scheme", "five-parts", "separator-without-space"]);

for (const v of file.must_fail) {
  Deno.test(`tsv1 must_fail ${v.id}`, async () => {
    await assert.rejects(
      verifyRequest({ Sodium: sodium }, {
        authorization: v.authorization,
        method: v.method,
        rawPath: v.path,
        rawQuery: v.query,
        now: VECTOR_NOW,
      }),
      MALFORMED.has(v.id) ? ValidationError : IntegrityError,
    );
  });
}

Deno.test("tsv1 spec §1.3 vector: signature and verification", async () => {
  const signingKeys = {
    privateKey: decodeBase64Url(
      "d55u6bLR9tkMVA4OwYIPepOOeXVSHHEit8VoXGRMQiaf5wKRk9gooP9pN3LBJ28BIW9fZ9-ZZPLVsHtuPqkRSQ",
    ),
    publicKey: decodeBase64Url("n-cCkZPYKKD_aTdywSdvASFvX2ffmWTy1bB7bj6pEUk"),
  };
  const authorization = await signRequest(sodium, {
    method: "POST",
    url: "/x/y%2Fz?bar=baz&foo=quux",
    signingKeys,
    clientId: "0e8eb8c6-839f-46ca-9843-801c539e490f",
    timestamp: 1000000000,
    nonce: "59a7d5b6-35d2-41fd-99b2-066a07bd1632",
  });
  assert.equal(
    authorization,
    "TSV1-ED25519-BLAKE2B; n-cCkZPYKKD_aTdywSdvASFvX2ffmWTy1bB7bj6pEUk; 1000000000; " +
      "59a7d5b6-35d2-41fd-99b2-066a07bd1632; uid:0e8eb8c6-839f-46ca-9843-801c539e490f; " +
      "Gz2ONHJF6kcUX-2yZdveMuSShDf709wciDhbifNBQeAaGqqMW7B6DbQYlZ7KykvIX1DHZ7tolTH6u-gXq_n5CQ",
  );
  const verified = await verifyRequest({ Sodium: sodium }, {
    authorization,
    method: "POST",
    rawPath: "/x/y%2Fz",
    rawQuery: "foo=quux&bar=baz",
    now: new Date(1000000000 * 1000),
  });
  assert.equal(verified.clientId, "0e8eb8c6-839f-46ca-9843-801c539e490f");
});

// ---- canonical query details (expected values computed with CPython 3.11 urllib.parse) ------

Deno.test("tsv1 canonicalQueryForms: Python's parse_qsl/urlencode corner cases", () => {
  const python = (query: string) => canonicalQueryForms(query)[0];
  assert.equal(python(""), "");
  assert.equal(python("a"), "a=");
  assert.equal(python("a=%zz&b"), "a=%25zz&b=");
  assert.equal(python("x=%C3%A9&y=%ef%bb%bfz"), "x=%C3%A9&y=%EF%BB%BFz");
  assert.equal(python("k=a+b%2B"), "k=a+b%2B");
  assert.equal(python("=v&k="), "=v&k=");
  assert.equal(python("a=1;b=2"), "a=1%3Bb%3D2");
  assert.equal(python("z=%FF"), "z=%EF%BF%BD");
  assert.equal(python("?b=1&a=2"), "a=2&b=1");
  assert.equal(python("b=1&&a=2&"), "a=2&b=1");
});

Deno.test("tsv1 canonicalQueryForms: Go keeps value order, JS keeps raw pieces", () => {
  assert.deepEqual(canonicalQueryForms("k=2&k=1&a=x%20y"), [
    "a=x+y&k=1&k=2",
    "a=x+y&k=2&k=1",
    "a=x%20y&k=2&k=1",
  ]);
  assert.deepEqual(canonicalQueryForms("b=1&a=2"), ["a=2&b=1"]);
  assert.throws(() => canonicalQueryForms(42 as unknown as string), ValidationError);
});

// ---- verification policy ----------------------------------------------------------------------

const signer = keyPair("keys.signer");
const TS = 1700000000;

async function signedGet(
  timestamp = TS,
  suite = sodium,
  keys = signer,
): Promise<string> {
  return await signRequest(suite, {
    method: "GET",
    url: "/v2/storage/notes?note_id=abc",
    signingKeys: keys,
    clientId: "11111111-2222-4333-8444-555555555555",
    timestamp,
    nonce: "00000000-0000-4000-8000-000000000001",
  });
}

function verifyGet(authorization: string, now: Date, windowSeconds?: number) {
  return verifyRequest({ Sodium: sodium, NIST: nist }, {
    authorization,
    method: "GET",
    rawPath: "/v2/storage/notes",
    rawQuery: "note_id=abc",
    now,
    ...(windowSeconds === undefined ? {} : { windowSeconds }),
  });
}

Deno.test("tsv1 timestamp window: ±300 s accepted, beyond refused with a stale_timestamp reason", async () => {
  const authorization = await signedGet();
  await verifyGet(authorization, new Date((TS + 300) * 1000));
  await verifyGet(authorization, new Date((TS - 300) * 1000));
  for (const now of [TS + 301, TS - 301]) {
    const error = await verifyGet(authorization, new Date(now * 1000)).then(
      () => assert.fail("accepted a stale request"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof Tsv1Error);
    assert.ok(error instanceof UnauthorizedError);
    assert.equal(error.reason, "stale_timestamp");
    // The crypto layer knows no HTTP status; the server's error mapping answers 401.
    assert.equal(error.status, undefined);
    assert.equal(deliberateStatus(error), 401);
  }
});

Deno.test("tsv1 timestamp window: custom window and bad window", async () => {
  const authorization = await signedGet();
  await verifyGet(authorization, new Date((TS + 10) * 1000), 10);
  await assert.rejects(verifyGet(authorization, new Date((TS + 11) * 1000), 10), Tsv1Error);
  await assert.rejects(verifyGet(authorization, new Date(TS * 1000), -1), ValidationError);
});

Deno.test("tsv1 a stale but forged header is an IntegrityError, not a stale one", async () => {
  const authorization = (await signedGet()).replace("; 1700000000; ", "; 1600000000; ");
  await assert.rejects(verifyGet(authorization, new Date(TS * 1000)), IntegrityError);
});

Deno.test("tsv1 malformed headers are ValidationErrors", async () => {
  const good = await signedGet();
  const parts = good.split("; ");
  const bad = [
    parts.slice(0, 5).join("; "), // 5 parts
    [...parts, "extra"].join("; "), // 7 parts
    ["TSV1-ED25519-SHA512", ...parts.slice(1)].join("; "), // wrong scheme
    [...parts.slice(0, 5), "!!!not-base64!!!"].join("; "), // bad signature base64
    [parts[0], "AAAA", ...parts.slice(2)].join("; "), // public key of 3 bytes
    [parts[0], "%%%", ...parts.slice(2)].join("; "), // public key not base64
    [...parts.slice(0, 2), "17e8", ...parts.slice(3)].join("; "), // timestamp not a number
    [...parts.slice(0, 2), "-1", ...parts.slice(3)].join("; "), // negative timestamp
    [...parts.slice(0, 3), "", ...parts.slice(4)].join("; "), // empty nonce
    [...parts.slice(0, 3), "a b", ...parts.slice(4)].join("; "), // nonce with a space
    [...parts.slice(0, 4), "11111111-2222-4333-8444-555555555555", parts[5]].join("; "), // no uid:
    "",
    "Bearer abc",
  ];
  for (const authorization of bad) {
    await assert.rejects(verifyGet(authorization, new Date(TS * 1000)), ValidationError);
  }
  await assert.rejects(
    verifyRequest({ Sodium: sodium }, {
      authorization: undefined as unknown as string,
      method: "GET",
      rawPath: "/",
      rawQuery: "",
    }),
    ValidationError,
  );
});

Deno.test("tsv1 a signature of the wrong length fails as IntegrityError", async () => {
  const parts = (await signedGet()).split("; ");
  const short = [...parts.slice(0, 5), encodeBase64Url(new Uint8Array(63))].join("; ");
  await assert.rejects(verifyGet(short, new Date(TS * 1000)), IntegrityError);
});

Deno.test("tsv1 verifyRequest validates the request side", async () => {
  const authorization = await signedGet();
  const base = { authorization, rawQuery: "note_id=abc", now: new Date(TS * 1000) };
  await assert.rejects(
    verifyRequest({ Sodium: sodium }, { ...base, method: "GET", rawPath: "v2/storage/notes" }),
    ValidationError,
  );
  await assert.rejects(
    verifyRequest({ Sodium: sodium }, { ...base, method: "G;T", rawPath: "/v2/storage/notes" }),
    ValidationError,
  );
  // The method is compared upper-cased.
  const ok = await verifyRequest({ Sodium: sodium }, {
    ...base,
    method: "get",
    rawPath: "/v2/storage/notes",
  });
  assert.equal(ok.nonce, "00000000-0000-4000-8000-000000000001");
});

Deno.test("tsv1 a scheme whose suite is not configured is refused as suite_unavailable", async () => {
  const sodiumHeader = await signedGet();
  const nistKeys = await nist.generateSigningKeyPair();
  const nistHeader = await signedGet(TS, nist, nistKeys);
  for (
    const [suites, authorization] of [
      [{ NIST: nist }, sodiumHeader],
      [{ Sodium: sodium }, nistHeader],
      [{}, sodiumHeader],
    ] as const
  ) {
    const error = await verifyRequest(suites, {
      authorization,
      method: "GET",
      rawPath: "/v2/storage/notes",
      rawQuery: "note_id=abc",
      now: new Date(TS * 1000),
    }).then(() => assert.fail("accepted"), (e: unknown) => e);
    assert.ok(error instanceof Tsv1Error);
    assert.equal(error.reason, "suite_unavailable");
  }
});

// ---- signing inputs ---------------------------------------------------------------------------

Deno.test("tsv1 signRequest defaults: current time and a random UUID nonce", async () => {
  const before = Math.floor(Date.now() / 1000);
  const a = await signRequest(sodium, {
    method: "post",
    url: "/v2/storage/notes",
    signingKeys: signer,
  });
  const b = await signRequest(sodium, {
    method: "POST",
    url: "/v2/storage/notes",
    signingKeys: signer,
  });
  const [, , ts, nonce, uid] = a.split("; ");
  assert.ok(Number(ts) >= before && Number(ts) <= before + 5);
  assert.ok(isUuid(nonce!));
  assert.equal(uid, "uid:");
  assert.notEqual(a.split("; ")[3], b.split("; ")[3]);
  const verified = await verifyRequest({ Sodium: sodium }, {
    authorization: a,
    method: "POST",
    rawPath: "/v2/storage/notes",
    rawQuery: "",
  });
  assert.equal(verified.clientId, null);
});

Deno.test("tsv1 signRequest signs the path as fetch sends it", async () => {
  const authorization = await signRequest(sodium, {
    method: "GET",
    url: "https://arca.example/files/a b/./c?q=1#fragment",
    signingKeys: signer,
    timestamp: TS,
  });
  await verifyRequest({ Sodium: sodium }, {
    authorization,
    method: "GET",
    rawPath: "/files/a%20b/c",
    rawQuery: "q=1",
    now: new Date(TS * 1000),
  });
});

Deno.test("tsv1 signRequest rejects bad inputs", async () => {
  const base = { method: "GET", url: "/v1/x", signingKeys: signer };
  const bad = [
    { ...base, url: "v1/x" },
    { ...base, url: "ftp://arca.example/v1/x" },
    { ...base, method: "GE T" },
    { ...base, method: "" },
    { ...base, clientId: "a; b" },
    { ...base, clientId: "a b" },
    { ...base, timestamp: -1 },
    { ...base, timestamp: 1.5 },
    { ...base, nonce: "with space" },
    { ...base, nonce: "" },
    { ...base, signingKeys: { publicKey: new Uint8Array(31), privateKey: signer.privateKey } },
    { ...base, signingKeys: { publicKey: signer.publicKey, privateKey: new Uint8Array(10) } },
  ];
  for (const input of bad) await assert.rejects(signRequest(sodium, input), ValidationError);
});

// ---- NIST (Arca's own scheme) -----------------------------------------------------------------

Deno.test("tsv1 NIST: round trip with the TSV1-ECDSA-P384-SHA384 scheme", async () => {
  const keys = await nist.generateSigningKeyPair();
  const authorization = await signedGet(TS, nist, keys);
  assert.ok(
    authorization.startsWith(`${TSV1_NIST_SCHEME}; ${nist.encodePublicKey(keys.publicKey)}; `),
  );
  const verified = await verifyGet(authorization, new Date(TS * 1000));
  assert.equal(verified.suite, "NIST");
  assert.deepEqual(verified.publicKey, nist.decodePublicKey(nist.encodePublicKey(keys.publicKey)));
  assert.equal(verified.clientId, "11111111-2222-4333-8444-555555555555");
  assert.equal(decodeBase64Url(authorization.split("; ")[5]!).length, 96);
});

Deno.test("tsv1 NIST: tampering is detected", async () => {
  const keys = await nist.generateSigningKeyPair();
  const other = await nist.generateSigningKeyPair();
  const authorization = await signedGet(TS, nist, keys);
  const now = new Date(TS * 1000);
  const parts = authorization.split("; ");
  const verify = (header: string, method = "GET", rawQuery = "note_id=abc") =>
    verifyRequest({ NIST: nist }, {
      authorization: header,
      method,
      rawPath: "/v2/storage/notes",
      rawQuery,
      now,
    });
  await assert.rejects(verify(authorization, "POST"), IntegrityError);
  await assert.rejects(verify(authorization, "GET", "note_id=abd"), IntegrityError);
  const swappedKey = [parts[0], nist.encodePublicKey(other.publicKey), ...parts.slice(2)].join(
    "; ",
  );
  await assert.rejects(verify(swappedKey), IntegrityError);
  const sig = decodeBase64Url(parts[5]!);
  sig[10]! ^= 1;
  await assert.rejects(
    verify([...parts.slice(0, 5), encodeBase64Url(sig)].join("; ")),
    IntegrityError,
  );
  // The same key bytes under the Sodium scheme name are not accepted.
  const renamed = [TSV1_SODIUM_SCHEME, ...parts.slice(1)].join("; ");
  await assert.rejects(
    verifyRequest({ Sodium: sodium, NIST: nist }, {
      authorization: renamed,
      method: "GET",
      rawPath: "/v2/storage/notes",
      rawQuery: "note_id=abc",
      now,
    }),
    ValidationError,
  );
});
