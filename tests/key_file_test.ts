/**
 * Key file format v1 (lib/crypto/key_file.ts) against the independent vectors of
 * tests/vectors/key_file (a Python implementation written from docs/users.md), plus round
 * trips, cost rules, input validation and NFC normalisation.
 */
import assert from "node:assert/strict";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { decodeHex, encodeHex } from "../lib/crypto/encoding.ts";
import {
  KEY_FILE_HEADER_BYTES,
  keyFileChecksum,
  type KeyFileKdf,
  openKeyFile,
  parseKeyFileHeader,
  passphraseProof,
  recoverPassword,
  sealKeyFile,
  unlockWithPassphrase,
  verifierOfProof,
} from "../lib/crypto/key_file.ts";
import { creationCost, joinKeyFile, splitKeyFile } from "../lib/crypto/_key_file_format.ts";
import { deriveKeyFileKey, sealKeyFilePart } from "../lib/crypto/_key_file_crypto.ts";
import { sealKeyFileWith } from "../lib/crypto/_key_file_seal.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { e3dbVectors } from "./_vectors.ts";

interface PositiveCase {
  id: string;
  suite: SuiteName;
  kdf: KeyFileKdf;
  password: string;
  passphrase: string;
  password_nfd?: string;
  passphrase_nfd?: string;
  credentials: string;
  password_salt_hex: string;
  passphrase_salt_hex: string;
  body_nonce_hex: string;
  rescue_nonce_hex: string;
  header_hex: string;
  proof_hex: string;
  verifier_hex: string;
  key_file_hex: string;
  checksum: string;
}

type Operation = "parse" | "open" | "recover";

interface NegativeCase {
  id: string;
  suite: SuiteName;
  kdf: KeyFileKdf;
  key_file_hex: string;
  password: string;
  passphrase: string;
  must_fail: Operation[];
}

const vectors = e3dbVectors<{ positive: PositiveCase[]; negative: NegativeCase[] }>(
  "key_file/key_file_vectors.json",
);
const CHEAP: Record<SuiteName, KeyFileKdf> = {
  Sodium: { opslimit: 1, memlimit: 8 * 1024 * 1024 },
  NIST: { iterations: 1000 },
};
const SUITES: SuiteName[] = ["Sodium", "NIST"];

Deno.test("key file vectors: both suites and both kinds of case are present", () => {
  for (const suite of SUITES) {
    assert.ok(vectors.positive.filter((c) => c.suite === suite).length >= 2, suite);
    assert.ok(vectors.negative.filter((c) => c.suite === suite).length >= 20, suite);
  }
});

for (const v of vectors.positive) {
  Deno.test(`key file vector ${v.id}: Arca reproduces every byte from the fixed salts and nonces`, async () => {
    const sealed = await sealKeyFileWith(
      {
        suite: v.suite,
        credentials: v.credentials,
        password: v.password,
        passphrase: v.passphrase,
        kdf: v.kdf,
      },
      {
        passwordSalt: decodeHex(v.password_salt_hex),
        passphraseSalt: decodeHex(v.passphrase_salt_hex),
        bodyNonce: decodeHex(v.body_nonce_hex),
        rescueNonce: decodeHex(v.rescue_nonce_hex),
      },
    );
    assert.equal(encodeHex(sealed.keyFile), v.key_file_hex);
    assert.equal(encodeHex(sealed.verifier), v.verifier_hex);
    assert.equal(sealed.checksum, v.checksum);
  });

  Deno.test(`key file vector ${v.id}: Arca opens it, derives the proof and recovers the password`, async () => {
    const keyFile = decodeHex(v.key_file_hex);
    const header = parseKeyFileHeader(keyFile);
    assert.equal(header.suite, v.suite);
    assert.equal(encodeHex(header.passwordSalt), v.password_salt_hex);
    assert.equal(encodeHex(header.passphraseSalt), v.passphrase_salt_hex);
    assert.deepEqual(parseKeyFileHeader(decodeHex(v.header_hex)), header);
    assert.equal(await openKeyFile(keyFile, v.password, v.kdf), v.credentials);
    const proof = await passphraseProof(header, v.passphrase, v.kdf);
    assert.equal(encodeHex(proof), v.proof_hex);
    assert.equal(encodeHex(await verifierOfProof(proof)), v.verifier_hex);
    assert.equal(await keyFileChecksum(keyFile), v.checksum);
    assert.equal(await recoverPassword(keyFile, v.passphrase, v.kdf), v.password);
  });
}

Deno.test("key file vectors: secrets in NFD form open the NFC-sealed files (NFC normalisation)", async () => {
  const cases = vectors.positive.filter((c) => c.password_nfd !== undefined);
  assert.equal(cases.length, 2);
  for (const v of cases) {
    assert.notEqual(v.password_nfd, v.password);
    const keyFile = decodeHex(v.key_file_hex);
    assert.equal(await openKeyFile(keyFile, v.password_nfd!, v.kdf), v.credentials);
    assert.equal(await recoverPassword(keyFile, v.passphrase_nfd!, v.kdf), v.password);
    const proof = await passphraseProof(parseKeyFileHeader(keyFile), v.passphrase_nfd!, v.kdf);
    assert.equal(encodeHex(proof), v.proof_hex);
  }
});

async function outcome(operation: () => unknown): Promise<"ok" | "integrity"> {
  try {
    await operation();
    return "ok";
  } catch (error) {
    if (error instanceof IntegrityError) return "integrity";
    throw error;
  }
}

for (const v of vectors.negative) {
  Deno.test(`key file vector ${v.id}: IntegrityError exactly in ${v.must_fail.join(", ")}`, async () => {
    const keyFile = decodeHex(v.key_file_hex);
    const results: Record<Operation, string> = {
      parse: await outcome(() => splitKeyFile(keyFile)),
      open: await outcome(() => openKeyFile(keyFile, v.password, v.kdf)),
      recover: await outcome(() => recoverPassword(keyFile, v.passphrase, v.kdf)),
    };
    const expected = Object.fromEntries(
      (["parse", "open", "recover"] as const).map((op) => [
        op,
        v.must_fail.includes(op) ? "integrity" : "ok",
      ]),
    );
    assert.deepEqual(results, expected);
  });
}

for (const suite of SUITES) {
  Deno.test(`key file ${suite}: round trip with random salts and nonces`, async () => {
    const input = {
      suite,
      credentials: '{"client_id":"x"}',
      password: "Pass-word-1",
      passphrase: "a passphrase",
      kdf: CHEAP[suite],
    };
    const first = await sealKeyFile(input);
    const second = await sealKeyFile(input);
    const a = splitKeyFile(first.keyFile);
    const b = splitKeyFile(second.keyFile);
    assert.notDeepEqual(a.header.passwordSalt, b.header.passwordSalt);
    assert.notDeepEqual(a.header.passphraseSalt, b.header.passphraseSalt);
    assert.notDeepEqual(a.header.passwordSalt, a.header.passphraseSalt);
    assert.notDeepEqual(a.bodyNonce, b.bodyNonce);
    assert.notDeepEqual(a.rescueNonce, a.bodyNonce);
    assert.notEqual(first.checksum, second.checksum);
    assert.notDeepEqual(first.verifier, second.verifier);
    assert.equal(a.header.suite, suite);
    assert.equal(a.bodyNonce.length, suite === "Sodium" ? 24 : 12);
    for (const sealed of [first, second]) {
      assert.equal(
        await openKeyFile(sealed.keyFile, "Pass-word-1", CHEAP[suite]),
        input.credentials,
      );
      assert.equal(
        await recoverPassword(sealed.keyFile, "a passphrase", CHEAP[suite]),
        "Pass-word-1",
      );
      const header = parseKeyFileHeader(sealed.keyFile);
      const proof = await passphraseProof(header, "a passphrase", CHEAP[suite]);
      assert.deepEqual(await verifierOfProof(proof), sealed.verifier);
      assert.equal(await keyFileChecksum(sealed.keyFile), sealed.checksum);
      await assert.rejects(
        openKeyFile(sealed.keyFile, "Pass-word-2", CHEAP[suite]),
        IntegrityError,
      );
      await assert.rejects(
        recoverPassword(sealed.keyFile, "a passphrasE", CHEAP[suite]),
        IntegrityError,
      );
    }
  });

  Deno.test(`key file ${suite}: one passphrase unlock gives the proof and opens only its own header's rescue`, async () => {
    const seal = (password: string) =>
      sealKeyFile({
        suite,
        credentials: "{}",
        password,
        passphrase: "a passphrase",
        kdf: CHEAP[suite],
      });
    const [first, second] = [await seal("Pass-word-1"), await seal("Pass-word-2")];
    const unlock = await unlockWithPassphrase(
      parseKeyFileHeader(first.keyFile),
      "a passphrase",
      CHEAP[suite],
    );
    assert.deepEqual(await verifierOfProof(unlock.proof), first.verifier);
    assert.equal(await unlock.recoverPassword(first.keyFile), "Pass-word-1");
    // A server answering the KDF header of one key file and the bytes of another: refused.
    await assert.rejects(unlock.recoverPassword(second.keyFile), IntegrityError);
  });

  Deno.test(`key file ${suite}: sealed with an NFD password, opened with the NFC one`, async () => {
    const nfd = "Cafe\u0301-\u212b-1"; // e + combining acute, ANGSTROM SIGN (NFC: Å)
    const nfc = "Caf\u00e9-\u00c5-1";
    assert.notEqual(nfd, nfc);
    assert.equal(nfd.normalize("NFC"), nfc);
    const { keyFile } = await sealKeyFile({
      suite,
      credentials: "{}",
      password: nfd,
      passphrase: "pass\u0301phrase",
      kdf: CHEAP[suite],
    });
    assert.equal(await openKeyFile(keyFile, nfc, CHEAP[suite]), "{}");
    assert.equal(await recoverPassword(keyFile, "pas\u015bphrase", CHEAP[suite]), nfc);
  });

  Deno.test(`key file ${suite}: a header below the caller's minimum is refused before deriving`, async () => {
    const { keyFile } = await sealKeyFile({
      suite,
      credentials: "{}",
      password: "pw",
      passphrase: "pp",
      kdf: CHEAP[suite],
    });
    const header = parseKeyFileHeader(keyFile);
    // Without a minimum, the defaults (3 passes / 256 MiB; 600,000 iterations) apply.
    await assert.rejects(openKeyFile(keyFile, "pw"), /below the accepted minimum/);
    await assert.rejects(openKeyFile(keyFile, "pw"), IntegrityError);
    await assert.rejects(recoverPassword(keyFile, "pp"), IntegrityError);
    await assert.rejects(passphraseProof(header, "pp"), IntegrityError);
    const stricter: KeyFileKdf = suite === "Sodium"
      ? { opslimit: 1, memlimit: 16 * 1024 * 1024 }
      : { iterations: 1001 };
    await assert.rejects(openKeyFile(keyFile, "pw", stricter), IntegrityError);
    assert.equal(await openKeyFile(keyFile, "pw", CHEAP[suite]), "{}");
  });
}

Deno.test("key file: the minimum check happens before the KDF runs (an expensive header is refused at once)", async () => {
  const header = {
    version: 1 as const,
    suite: "NIST" as const,
    costA: 9_999_999,
    costB: 0,
    passwordSalt: new Uint8Array(16),
    passphraseSalt: new Uint8Array(16).fill(1),
  };
  const started = performance.now();
  await assert.rejects(
    passphraseProof(header, "pp", { iterations: 10_000_000 }),
    IntegrityError,
  );
  // 10 million PBKDF2-SHA384 iterations take seconds; a refusal before deriving takes none.
  assert.ok(performance.now() - started < 1000, "refused without deriving");
});

Deno.test("key file: creation costs default to Argon2id moderate and PBKDF2 600,000", () => {
  assert.deepEqual(creationCost("Sodium"), { costA: 3, costB: 268_435_456 });
  assert.deepEqual(creationCost("NIST"), { costA: 600_000, costB: 0 });
  assert.deepEqual(creationCost("NIST", { iterations: 1000 }), { costA: 1000, costB: 0 });
  assert.deepEqual(creationCost("Sodium", { opslimit: 4 }), { costA: 4, costB: 268_435_456 });
  // The other suite's fields are ignored.
  assert.deepEqual(creationCost("NIST", { opslimit: 1 }), { costA: 600_000, costB: 0 });
});

Deno.test("key file: caller mistakes are ValidationErrors, raised before any derivation", async () => {
  const base = {
    suite: "NIST" as SuiteName,
    credentials: "{}",
    password: "pw",
    passphrase: "pp",
    kdf: CHEAP.NIST,
  };
  const bad: Array<[string, Record<string, unknown>]> = [
    ["empty password", { password: "" }],
    ["empty passphrase", { passphrase: "" }],
    ["non-string password", { password: 42 }],
    ["lone surrogate", { password: "pw\ud800" }],
    ["empty credentials", { credentials: "" }],
    ["unknown suite", { suite: "sodium" }],
    ["opslimit 11", { suite: "Sodium", kdf: { opslimit: 11, memlimit: 8192 } }],
    ["opslimit 0", { suite: "Sodium", kdf: { opslimit: 0 } }],
    ["memlimit 8191", { suite: "Sodium", kdf: { opslimit: 1, memlimit: 8191 } }],
    ["memlimit over 1 GiB", { suite: "Sodium", kdf: { opslimit: 1, memlimit: 2 ** 30 + 1 } }],
    ["iterations 0", { kdf: { iterations: 0 } }],
    ["iterations 10,000,001", { kdf: { iterations: 10_000_001 } }],
    ["fractional iterations", { kdf: { iterations: 1000.5 } }],
  ];
  for (const [what, change] of bad) {
    await assert.rejects(
      sealKeyFile({ ...base, ...change } as Parameters<typeof sealKeyFile>[0]),
      ValidationError,
      what,
    );
  }
  const { keyFile } = await sealKeyFile(base);
  await assert.rejects(openKeyFile(keyFile, "", CHEAP.NIST), ValidationError);
  await assert.rejects(recoverPassword(keyFile, "", CHEAP.NIST), ValidationError);
  await assert.rejects(openKeyFile(keyFile, "pw", { iterations: 0 }), ValidationError);
  await assert.rejects(
    openKeyFile("not bytes" as unknown as Uint8Array, "pw", CHEAP.NIST),
    ValidationError,
  );
  await assert.rejects(verifierOfProof(new Uint8Array(31)), ValidationError);
  await assert.rejects(
    passphraseProof({ ...parseKeyFileHeader(keyFile), passphraseSalt: new Uint8Array(15) }, "pp"),
    ValidationError,
  );
});

Deno.test("key file: the header is 48 bytes and parses from a header alone", async () => {
  assert.equal(KEY_FILE_HEADER_BYTES, 48);
  const { keyFile } = await sealKeyFile({
    suite: "Sodium",
    credentials: "{}",
    password: "pw",
    passphrase: "pp",
    kdf: CHEAP.Sodium,
  });
  const header = parseKeyFileHeader(keyFile.slice(0, 48));
  assert.deepEqual(header, parseKeyFileHeader(keyFile));
  assert.deepEqual(
    { version: header.version, suite: header.suite, costA: header.costA, costB: header.costB },
    { version: 1, suite: "Sodium", costA: 1, costB: 8 * 1024 * 1024 },
  );
  assert.throws(() => parseKeyFileHeader(keyFile.slice(0, 47)), IntegrityError);
});

Deno.test("key file: a body that authenticates but is not UTF-8 is an IntegrityError", async () => {
  const { keyFile } = await sealKeyFile({
    suite: "NIST",
    credentials: "{}",
    password: "pw",
    passphrase: "pp",
    kdf: CHEAP.NIST,
  });
  const parts = splitKeyFile(keyFile);
  const key = await deriveKeyFileKey(
    parts.header,
    new TextEncoder().encode("pw"),
    parts.header.passwordSalt,
  );
  const body = await sealKeyFilePart(
    "NIST",
    "body",
    parts.headerBytes,
    key,
    parts.bodyNonce,
    new Uint8Array([0xff, 0xfe]),
  );
  const forged = joinKeyFile(
    parts.headerBytes,
    parts.bodyNonce,
    body,
    parts.rescueNonce,
    parts.rescue,
  );
  await assert.rejects(openKeyFile(forged, "pw", CHEAP.NIST), /not UTF-8/);
  await assert.rejects(openKeyFile(forged, "pw", CHEAP.NIST), IntegrityError);
});

Deno.test("key file: the body and the rescue cannot be swapped (distinct associated data)", async () => {
  const { keyFile } = await sealKeyFile({
    suite: "Sodium",
    credentials: "{}",
    password: "pw",
    passphrase: "pp",
    kdf: CHEAP.Sodium,
  });
  const parts = splitKeyFile(keyFile);
  const swapped = joinKeyFile(
    parts.headerBytes,
    parts.rescueNonce,
    parts.rescue,
    parts.bodyNonce,
    parts.body,
  );
  await assert.rejects(openKeyFile(swapped, "pw", CHEAP.Sodium), IntegrityError);
  await assert.rejects(recoverPassword(swapped, "pp", CHEAP.Sodium), IntegrityError);
});
