// The v3 large-file stream format: E3DB vectors both ways, round trips and tampering in both
// suites, the checksum stream and the size formula.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { decodeBase64Url as b64, decodeHex } from "../lib/crypto/encoding.ts";
import { ChecksumStream, fileChecksum } from "../lib/crypto/file_checksum.ts";
import {
  decryptFileStream,
  encryptedSize,
  encryptFileStream,
  FILE_CHUNK_BYTES,
} from "../lib/crypto/file_stream.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import type { CryptoSuite } from "../lib/crypto/suite.ts";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { e3dbVectors } from "./_vectors.ts";

const sodium = await sodiumSuite();
const nist = await nistSuite();
const suites: CryptoSuite[] = [sodium, nist];

interface FileVector {
  id: string;
  encoder_form: "canonical" | "alternative";
  ak_b64url: string;
  dk_b64url: string;
  edkN_b64url: string;
  secretstream_header_b64url: string;
  plaintext_length: number;
  plaintext_b64url?: string;
  plaintext_sha256_hex: string;
  expected: {
    ascii_header: string;
    ciphertext_length: number;
    ciphertext_sha256_hex: string;
    size: number;
    checksum_md5_base64: string;
    ciphertext_b64url?: string;
    ciphertext_file?: string;
  };
}
interface Range {
  offset: number;
  length: number;
}
type Transform =
  | { op: "truncate"; length: number }
  | { op: "append"; hex: string }
  | { op: "delete_range"; offset: number; length: number }
  | { op: "swap_ranges"; a: Range; b: Range };
interface MustFail {
  id: string;
  description: string;
  ak_b64url: string;
  base: string;
  ciphertext_b64url?: string;
  transform?: Transform;
  result_length?: number;
  result_sha256_hex?: string;
}
const file = e3dbVectors<{ vectors: FileVector[]; must_fail: MustFail[] }>("files_v3.json");

// ---- helpers ----

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Piece sizes mixing single bytes, odd sizes and pieces larger than a chunk. */
function randomSizes(seed: number): () => number {
  const random = prng(seed);
  return () => {
    const kind = random();
    if (kind < 0.2) return 1 + Math.floor(random() * 16);
    if (kind < 0.7) return 1 + Math.floor(random() * 9000);
    return 1 + Math.floor(random() * 3 * FILE_CHUNK_BYTES);
  };
}

function source(bytes: Uint8Array, nextSize: () => number = () => bytes.length): ReadableStream<
  Uint8Array
> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(bytes.length, offset + Math.max(1, nextSize()));
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  }, { highWaterMark: 0 });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const part of stream) {
    parts.push(part);
    length += part.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function encrypt(
  suite: CryptoSuite,
  ak: Uint8Array,
  plaintext: Uint8Array,
  nextSize?: () => number,
): Promise<Uint8Array> {
  return collect(source(plaintext, nextSize).pipeThrough(encryptFileStream(suite, ak)));
}

function decrypt(
  suite: CryptoSuite,
  ak: Uint8Array,
  ciphertext: Uint8Array,
  nextSize?: () => number,
): Promise<Uint8Array> {
  return collect(source(ciphertext, nextSize).pipeThrough(decryptFileStream(suite, ak)));
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function ruleBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = i % 251;
  return out;
}

function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) {
    crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  }
  return out;
}

function plaintextOf(vector: FileVector): Uint8Array {
  return vector.plaintext_b64url !== undefined
    ? b64(vector.plaintext_b64url)
    : ruleBytes(vector.plaintext_length);
}

function ciphertextOf(vector: FileVector): Uint8Array {
  const { ciphertext_b64url, ciphertext_file } = vector.expected;
  if (ciphertext_b64url !== undefined) return b64(ciphertext_b64url);
  return Deno.readFileSync(new URL(`./vectors/${ciphertext_file}`, import.meta.url));
}

function applyTransform(base: Uint8Array, transform: Transform): Uint8Array {
  switch (transform.op) {
    case "truncate":
      return base.slice(0, transform.length);
    case "append": {
      const extra = decodeHex(transform.hex);
      const out = new Uint8Array(base.length + extra.length);
      out.set(base);
      out.set(extra, base.length);
      return out;
    }
    case "delete_range": {
      const out = new Uint8Array(base.length - transform.length);
      out.set(base.subarray(0, transform.offset));
      out.set(base.subarray(transform.offset + transform.length), transform.offset);
      return out;
    }
    case "swap_ranges": {
      const { a, b } = transform;
      assert.equal(a.offset + a.length, b.offset, "swap_ranges ranges are adjacent");
      const out = base.slice();
      out.set(base.subarray(b.offset, b.offset + b.length), a.offset);
      out.set(base.subarray(a.offset, a.offset + a.length), a.offset + b.length);
      return out;
    }
  }
}

function mustFailInput(vector: MustFail): Uint8Array {
  if (vector.ciphertext_b64url !== undefined) return b64(vector.ciphertext_b64url);
  const base = file.vectors.find((v) => v.id === vector.base);
  assert.ok(base, `base vector ${vector.base}`);
  assert.ok(vector.transform, `${vector.id} has a ciphertext or a transform`);
  return applyTransform(ciphertextOf(base), vector.transform);
}

async function assertIntegrityFailure(promise: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(promise, IntegrityError, what);
}

// ---- E3DB vectors ----

for (const vector of file.vectors) {
  Deno.test(`files_v3 ${vector.id}: decrypts to the plaintext, whole and in random pieces`, async () => {
    const ak = b64(vector.ak_b64url);
    const ciphertext = ciphertextOf(vector);
    const plaintext = plaintextOf(vector);
    assert.equal(ciphertext.length, vector.expected.ciphertext_length);
    assert.equal(sha256Hex(ciphertext), vector.expected.ciphertext_sha256_hex);
    assert.equal(sha256Hex(plaintext), vector.plaintext_sha256_hex);
    assert.deepEqual(await decrypt(sodium, ak, ciphertext), plaintext);
    for (const seed of [1, 2, 3]) {
      assert.deepEqual(await decrypt(sodium, ak, ciphertext, randomSizes(seed)), plaintext);
    }
    assert.deepEqual(await decrypt(sodium, ak, ciphertext, () => 1), plaintext);
  });

  Deno.test(`files_v3 ${vector.id}: size and MD5 checksum`, async () => {
    const ciphertext = ciphertextOf(vector);
    const checksum = new ChecksumStream();
    const passed = await collect(source(ciphertext, randomSizes(9)).pipeThrough(checksum));
    assert.deepEqual(passed, ciphertext);
    const expected = {
      checksum: vector.expected.checksum_md5_base64,
      size: vector.expected.size,
    };
    assert.deepEqual(checksum.result, expected);
    assert.deepEqual(fileChecksum(ciphertext), expected);
  });

  Deno.test(`files_v3 ${vector.id}: encrypting with the fixed inputs`, async () => {
    const ak = b64(vector.ak_b64url);
    const fixed = {
      dataKey: b64(vector.dk_b64url),
      dataKeyNonce: b64(vector.edkN_b64url),
      streamHeader: b64(vector.secretstream_header_b64url),
    };
    const plaintext = plaintextOf(vector);
    for (const seed of [0, 4, 5]) {
      const sizes = seed === 0 ? undefined : randomSizes(seed);
      const encrypted = await collect(
        source(plaintext, sizes).pipeThrough(encryptFileStream(sodium, ak, fixed)),
      );
      const ascii = new TextDecoder().decode(encrypted.subarray(0, 100));
      assert.equal(ascii, vector.expected.ascii_header);
      if (vector.encoder_form === "canonical") {
        assert.equal(sha256Hex(encrypted), vector.expected.ciphertext_sha256_hex);
        assert.deepEqual(encrypted, ciphertextOf(vector));
        assert.equal(encryptedSize(plaintext.length, sodium), vector.expected.size);
      } else {
        // Arca writes the canonical form: one full FINAL chunk, 17 bytes shorter.
        assert.equal(encrypted.length, vector.expected.size - sodium.streamChunkOverhead);
        assert.equal(encrypted.length, encryptedSize(plaintext.length, sodium));
        assert.deepEqual(await decrypt(sodium, ak, encrypted), plaintext);
      }
    }
  });
}

for (const vector of file.must_fail) {
  Deno.test(`files_v3 must fail: ${vector.id}`, async () => {
    const input = mustFailInput(vector);
    if (vector.result_sha256_hex !== undefined) {
      assert.equal(input.length, vector.result_length);
      assert.equal(sha256Hex(input), vector.result_sha256_hex);
    }
    const ak = b64(vector.ak_b64url);
    await assertIntegrityFailure(decrypt(sodium, ak, input), vector.description);
    await assertIntegrityFailure(decrypt(sodium, ak, input, randomSizes(7)), vector.description);
    await assertIntegrityFailure(decrypt(sodium, ak, input, () => 1), vector.description);
  });
}

// ---- round trips in both suites ----

const roundTripSizes = [
  0,
  1,
  FILE_CHUNK_BYTES - 1,
  FILE_CHUNK_BYTES,
  FILE_CHUNK_BYTES + 1,
  2 * FILE_CHUNK_BYTES,
  5 * 1024 * 1024 + 12345,
];

for (const suite of suites) {
  for (const size of roundTripSizes) {
    Deno.test(`${suite.name} file round trip: ${size} bytes`, async () => {
      const ak = suite.randomBytes(32);
      const plaintext = randomBytes(size);
      const expectedSize = encryptedSize(size, suite);
      for (const seed of [11, 12]) {
        const encrypted = await encrypt(suite, ak, plaintext, randomSizes(seed));
        assert.equal(encrypted.length, expectedSize);
        assert.deepEqual(await decrypt(suite, ak, encrypted, randomSizes(seed + 100)), plaintext);
      }
      const whole = await encrypt(suite, ak, plaintext);
      assert.equal(whole.length, expectedSize);
      assert.deepEqual(await decrypt(suite, ak, whole), plaintext);
    });
  }

  Deno.test(`${suite.name} file: two encryptions of one file differ`, async () => {
    const ak = suite.randomBytes(32);
    const plaintext = ruleBytes(1000);
    const one = await encrypt(suite, ak, plaintext);
    const two = await encrypt(suite, ak, plaintext);
    assert.notDeepEqual(one, two);
    assert.deepEqual(await decrypt(suite, ak, two), plaintext);
  });

  Deno.test(`${suite.name} file: the chunk layout is exactly 64 KiB per chunk`, async () => {
    const ak = suite.randomBytes(32);
    const encrypted = await encrypt(suite, ak, ruleBytes(2 * FILE_CHUNK_BYTES + 5), () => 777);
    const headerEnd = encryptedSize(0, suite) - suite.streamChunkOverhead;
    const chunk = FILE_CHUNK_BYTES + suite.streamChunkOverhead;
    assert.equal(encrypted.length, headerEnd + 2 * chunk + 5 + suite.streamChunkOverhead);
    // Cutting the file at either chunk boundary loses the FINAL chunk.
    for (const cut of [headerEnd + chunk, headerEnd + 2 * chunk]) {
      await assertIntegrityFailure(decrypt(suite, ak, encrypted.slice(0, cut)), `cut at ${cut}`);
    }
  });

  Deno.test(`${suite.name} file: flipping any byte of a small file fails`, async () => {
    const ak = suite.randomBytes(32);
    const encrypted = await encrypt(suite, ak, ruleBytes(40));
    for (let i = 0; i < encrypted.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const tampered = encrypted.slice();
        tampered[i]! ^= mask;
        await assertIntegrityFailure(decrypt(suite, ak, tampered), `byte ${i} ^ ${mask}`);
      }
    }
  });

  Deno.test(`${suite.name} file: flipping bytes of a three-chunk file fails`, async () => {
    const ak = suite.randomBytes(32);
    const encrypted = await encrypt(suite, ak, randomBytes(2 * FILE_CHUNK_BYTES + 300));
    const random = prng(21);
    const chunk = FILE_CHUNK_BYTES + suite.streamChunkOverhead;
    const headerEnd = encryptedSize(0, suite) - suite.streamChunkOverhead;
    const positions = [0, 1, 2, headerEnd - 1, headerEnd, headerEnd + chunk - 1, headerEnd + chunk];
    positions.push(headerEnd + 2 * chunk, encrypted.length - 1);
    for (let i = 0; i < 60; i++) positions.push(Math.floor(random() * encrypted.length));
    for (const position of positions) {
      const tampered = encrypted.slice();
      tampered[position]! ^= 1 << Math.floor(random() * 8);
      await assertIntegrityFailure(decrypt(suite, ak, tampered), `byte ${position}`);
    }
  });

  Deno.test(`${suite.name} file: truncation anywhere and trailing bytes fail`, async () => {
    const ak = suite.randomBytes(32);
    const encrypted = await encrypt(suite, ak, ruleBytes(FILE_CHUNK_BYTES + 50));
    const random = prng(31);
    const cuts = [0, 1, 2, 50, encrypted.length - 1];
    for (let i = 0; i < 20; i++) cuts.push(Math.floor(random() * encrypted.length));
    for (const cut of cuts) {
      await assertIntegrityFailure(decrypt(suite, ak, encrypted.slice(0, cut)), `cut ${cut}`);
    }
    for (const extra of [[0], [1, 2, 3], Array(FILE_CHUNK_BYTES + 100).fill(7)]) {
      const longer = new Uint8Array(encrypted.length + extra.length);
      longer.set(encrypted);
      longer.set(extra, encrypted.length);
      await assertIntegrityFailure(decrypt(suite, ak, longer), `${extra.length} extra bytes`);
    }
  });

  Deno.test(`${suite.name} file: the wrong access key fails`, async () => {
    const encrypted = await encrypt(suite, suite.randomBytes(32), ruleBytes(10));
    await assertIntegrityFailure(decrypt(suite, suite.randomBytes(32), encrypted), "wrong AK");
  });

  Deno.test(`${suite.name} file: a header without a third dot in 4 KiB fails`, async () => {
    const ak = suite.randomBytes(32);
    const junk = new Uint8Array(5000).fill(0x41);
    junk.set([0x33, 0x2e, 0x41, 0x2e]);
    await assertIntegrityFailure(decrypt(suite, ak, junk), "no third dot");
    await assertIntegrityFailure(decrypt(suite, ak, junk.slice(0, 300)), "ends in header");
    await assertIntegrityFailure(decrypt(suite, ak, new Uint8Array(0)), "empty");
  });

  Deno.test(`${suite.name} file: bad arguments are refused up front`, async () => {
    assert.throws(() => encryptFileStream(suite, new Uint8Array(31)), ValidationError);
    assert.throws(() => decryptFileStream(suite, new Uint8Array(33)), ValidationError);
    assert.throws(
      () => encryptFileStream(suite, "key" as unknown as Uint8Array),
      /Access key must be a Uint8Array/,
    );
    assert.throws(() => encryptFileStream({} as CryptoSuite, new Uint8Array(32)), ValidationError);
    for (const size of [-1, 1.5, Number.NaN, 2 ** 60]) {
      assert.throws(() => encryptedSize(size, suite), ValidationError);
    }
    const notBytes = new ReadableStream<unknown>({
      start(controller) {
        controller.enqueue("text");
        controller.close();
      },
    }) as ReadableStream<Uint8Array>;
    await assert.rejects(
      collect(notBytes.pipeThrough(encryptFileStream(suite, new Uint8Array(32)))),
      /chunks must be Uint8Array, got string/,
    );
  });
}

Deno.test("files: each suite refuses the other suite's files, naming it", async () => {
  const ak = sodium.randomBytes(32);
  const fromNist = await encrypt(nist, ak, ruleBytes(10));
  const fromSodium = await encrypt(sodium, ak, ruleBytes(10));
  await assert.rejects(decrypt(sodium, ak, fromNist), (error: Error) => {
    return error instanceof IntegrityError && /a NIST file/.test(error.message);
  });
  await assert.rejects(decrypt(nist, ak, fromSodium), (error: Error) => {
    return error instanceof IntegrityError && /a Sodium file/.test(error.message);
  });
});

Deno.test("files: the NIST header is 84 ASCII bytes and the sizes add up", async () => {
  const ak = nist.randomBytes(32);
  const encrypted = await encrypt(nist, ak, ruleBytes(11));
  const ascii = new TextDecoder().decode(encrypted.subarray(0, 84));
  assert.match(ascii, /^3\.[A-Za-z0-9_-]{64}\.[A-Za-z0-9_-]{16}\.$/);
  assert.equal(encryptedSize(11, nist), 84 + nist.streamHeaderBytes + 11 + 16);
  assert.equal(encrypted.length, encryptedSize(11, nist));
});

Deno.test("files: fixed inputs reproduce NIST files; a suite without fixed headers refuses", async () => {
  const fixed = {
    dataKey: new Uint8Array(32).fill(1),
    dataKeyNonce: new Uint8Array(nist.nonceBytes).fill(2),
    streamHeader: new Uint8Array(nist.streamHeaderBytes).fill(3),
  };
  const ak = new Uint8Array(32).fill(4);
  const plaintext = ruleBytes(FILE_CHUNK_BYTES + 3);
  const once = () => collect(source(plaintext).pipeThrough(encryptFileStream(nist, ak, fixed)));
  const first = await once();
  assert.deepEqual(await once(), first);
  assert.deepEqual(await decrypt(nist, ak, first), plaintext);

  const noFixedHeaders: CryptoSuite = { ...sodium, streamPush: (key) => sodium.streamPush(key) };
  const sodiumFixed = { ...fixed, dataKeyNonce: new Uint8Array(24).fill(2) };
  const refused = source(plaintext).pipeThrough(encryptFileStream(noFixedHeaders, ak, sodiumFixed));
  await assert.rejects(collect(refused), /cannot use a fixed stream header/);
  assert.throws(
    () => encryptFileStream(sodium, ak, { ...fixed, dataKeyNonce: fixed.dataKey }),
    /Fixed data key nonce must be 24 bytes, got 32/,
  );
});

Deno.test("files: decrypting a stream written with empty pieces, even first", async () => {
  const ak = sodium.randomBytes(32);
  const plaintext = ruleBytes(FILE_CHUNK_BYTES + 10);
  const encrypted = await encrypt(sodium, ak, plaintext);
  const transform = decryptFileStream(sodium, ak);
  const output = collect(transform.readable);
  const writer = transform.writable.getWriter();
  let offset = 0;
  for (const size of [0, 1, 0, 99, 0, 500, 0, encrypted.length]) {
    await writer.write(encrypted.slice(offset, offset + size));
    offset = Math.min(encrypted.length, offset + size);
  }
  await writer.close();
  assert.deepEqual(await output, plaintext);
});

Deno.test("files: encrypting a stream written in zero-length and reused pieces", async () => {
  // The writer reuses one buffer after each write resolves: the stream must not keep a view of it.
  const ak = sodium.randomBytes(32);
  const plaintext = randomBytes(3 * FILE_CHUNK_BYTES);
  const transform = encryptFileStream(sodium, ak);
  const output = collect(transform.readable);
  const writer = transform.writable.getWriter();
  const buffer = new Uint8Array(FILE_CHUNK_BYTES);
  await writer.write(new Uint8Array(0));
  for (let offset = 0; offset < plaintext.length; offset += FILE_CHUNK_BYTES) {
    buffer.set(plaintext.subarray(offset, offset + FILE_CHUNK_BYTES));
    await writer.write(buffer);
    await writer.write(new Uint8Array(0));
  }
  buffer.fill(0xee);
  await writer.close();
  assert.deepEqual(await decrypt(sodium, ak, await output), plaintext);
});

Deno.test("checksum stream: result before close, bad chunks, one-shot helper", async () => {
  const checksum = new ChecksumStream();
  assert.throws(() => checksum.result, /not known until the stream has closed/);
  await collect(source(new TextEncoder().encode("hello")).pipeThrough(checksum));
  assert.deepEqual(checksum.result, { checksum: "XUFAKrxLKna5cZ2REBfFkg==", size: 5 });
  assert.equal(fileChecksum(new Uint8Array(0)).checksum, "1B2M2Y8AsgTpgAmY7PhCfg==");
  assert.throws(() => fileChecksum("x" as unknown as Uint8Array), ValidationError);
  const bad = new ReadableStream<unknown>({
    start(controller) {
      controller.enqueue(42);
      controller.close();
    },
  }) as ReadableStream<Uint8Array>;
  await assert.rejects(collect(bad.pipeThrough(new ChecksumStream())), ValidationError);
});
