// Container cryptography, both suites: round trips of the Container value, ContainerKeys bytes
// and key blobs; and every IntegrityError case of the containers contract (swapped parts,
// swapped containers, replayed versions, forged/edited/misaddressed key blobs, truncated,
// flipped, reordered or extended content chunks).
import assert from "node:assert/strict";
import { IntegrityError, ValidationError } from "../lib/errors.ts";
import { ContainerKeys } from "../lib/crypto/container_keys.ts";
import {
  containerPartKey,
  openContainerContent,
  openContainerHeader,
  sealContainerContent,
  sealContainerHeader,
  sealedContentSize,
} from "../lib/crypto/container_parts.ts";
import {
  type KeyBlob,
  keyBlobSignedText,
  openKeyBlob,
  type OpenKeyBlobInput,
  parseKeyBlob,
  sealKeyBlob,
} from "../lib/crypto/container_key_blob.ts";
import { decodeBase64Url, encodeBase64Url, utf8 } from "../lib/crypto/encoding.ts";
import { hmacSha256 } from "../lib/crypto/hmac.ts";
import { FILE_CHUNK_BYTES } from "../lib/crypto/file_stream.ts";
import type { CryptoSuite, SuiteName } from "../lib/crypto/suite.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { Container } from "../lib/sdk/container.ts";
import { ContainerContent } from "../lib/sdk/container_content.ts";

const SUITES: SuiteName[] = ["Sodium", "NIST"];

/** Deterministic pseudo-random bytes (no need for real randomness in test data). */
function testBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** A stream of `bytes` in uneven pieces. */
function pieces(bytes: Uint8Array, size = 10_007): ReadableStream<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.slice(i, i + size));
  return ReadableStream.from(parts);
}

async function sealed(
  name: SuiteName,
  init: { id?: string; version?: number; header?: unknown; content?: Uint8Array | string },
  keys?: ContainerKeys,
): Promise<{ container: Container; keys: ContainerKeys }> {
  const container = new Container({ suite: name, ...init });
  const used = await container.encrypt(keys);
  return { container, keys: used };
}

/** A container value holding the given sealed parts (as the SDK would build from the wire). */
function fromParts(
  name: SuiteName,
  id: string,
  version: number,
  header: Uint8Array | null,
  content: Uint8Array | null,
  length: number | null = null,
): Container {
  return new Container({
    suite: name,
    id,
    version,
    length,
    sealed: { header, content: content === null ? null : new ContainerContent(content) },
  });
}

for (const name of SUITES) {
  Deno.test(`${name} container: header and content round trip; keys travel as bytes`, async () => {
    const header = { title: "Q3", tags: ["a", "é"], n: 1.5, nested: { ok: true } };
    const content = testBytes(3 * FILE_CHUNK_BYTES + 5);
    const { container, keys } = await sealed(name, { header, content, version: 4 });
    assert.equal(container.isEncrypted, true);
    assert.equal(container.header, null);
    assert.equal(container.content, null);
    assert.equal(container.length, content.length);
    assert.equal(
      container.sealed!.content!.length,
      sealedContentSize(content.length, await getSuite(name)),
    );
    const copy = ContainerKeys.fromBytes(keys.toBytes());
    assert.equal(copy.version, 4);
    const opened = fromParts(
      name,
      container.id,
      4,
      container.sealed!.header,
      container.sealed!.content!.inMemory!,
      content.length,
    );
    await opened.decrypt(copy);
    assert.equal(opened.isEncrypted, false);
    assert.deepEqual(opened.header, header);
    assert.deepEqual(await opened.content!.bytes(), content);
  });

  Deno.test(`${name} container: text, JSON, empty content, header only, content only`, async () => {
    const json = new Container({ suite: name, content: JSON.stringify({ total: 42 }) });
    const keys = await json.encrypt();
    await json.decrypt(keys);
    assert.deepEqual(await json.content!.json(), { total: 42 });
    assert.equal(await json.content!.text(), '{"total":42}');

    const empty = new Container({ suite: name, content: new Uint8Array() });
    await empty.decrypt(await empty.encrypt());
    assert.equal((await empty.content!.bytes()).length, 0);

    const headerOnly = new Container({ suite: name, header: [1, "two"] });
    await headerOnly.decrypt(await headerOnly.encrypt());
    assert.deepEqual(headerOnly.header, [1, "two"]);
    assert.equal(headerOnly.content, null);

    const contentOnly = new Container({ suite: name, content: "x" });
    await contentOnly.decrypt(await contentOnly.encrypt());
    assert.equal(contentOnly.header, null);
    assert.equal(await contentOnly.content!.text(), "x");
  });

  Deno.test(`${name} container: stream content seals and opens as a stream`, async () => {
    const content = testBytes(5 * FILE_CHUNK_BYTES + 123, 7);
    const container = new Container({
      suite: name,
      content: pieces(content),
      length: content.length,
    });
    const keys = await container.encrypt();
    const sealedBytes = await container.sealed!.content!.bytes();
    assert.equal(sealedBytes.length, sealedContentSize(content.length, await getSuite(name)));
    const reader = fromParts(name, container.id, 1, null, null, content.length);
    reader.sealed = { header: null, content: new ContentStreamOf(sealedBytes).content };
    await reader.decrypt(keys);
    assert.equal(reader.content!.length, null, "still a stream until read");
    assert.deepEqual(await new Response(reader.content!.stream()).bytes(), content);
  });

  Deno.test(`${name} container: swapped parts (header ↔ content) raise IntegrityError`, async () => {
    const { container, keys } = await sealed(name, { header: { a: 1 }, content: "body" });
    const { header, content } = container.sealed!;
    const swapped = fromParts(name, container.id, 1, content!.inMemory!, header);
    await assert.rejects(swapped.decrypt(keys), IntegrityError);
    const suite = await getSuite(name);
    // The same bytes sealed as the other part do not open either.
    const asContent = await sealContainerContent(suite, keys, utf8('{"a":1}'));
    await assert.rejects(openContainerHeader(suite, keys, asContent), IntegrityError);
    const asHeader = await sealContainerHeader(suite, keys, "body");
    await assert.rejects(openContainerContent(suite, keys, asHeader), IntegrityError);
    // Part keys differ, so content re-framed under the header's key fails too.
    assert.notDeepEqual(
      await containerPartKey(keys, "header"),
      await containerPartKey(keys, "content"),
    );
  });

  Deno.test(`${name} container: parts moved to another container raise IntegrityError`, async () => {
    const a = await sealed(name, { header: "A", content: "A-body" });
    const b = await sealed(name, { header: "B", content: "B-body" });
    // A's parts under B's id with B's keys.
    const moved = fromParts(
      name,
      b.container.id,
      1,
      a.container.sealed!.header,
      a.container.sealed!.content!.inMemory!,
    );
    await assert.rejects(moved.decrypt(b.keys), IntegrityError);
    // Even with A's very key bytes, relabelled for B: the label binds the id.
    const sameKey = new ContainerKeys(b.container.id, 1, a.keys.key);
    const headerOnly = fromParts(name, b.container.id, 1, a.container.sealed!.header, null);
    await assert.rejects(headerOnly.decrypt(sameKey), IntegrityError);
    const contentOnly = fromParts(
      name,
      b.container.id,
      1,
      null,
      a.container.sealed!.content!.inMemory!,
    );
    await assert.rejects(contentOnly.decrypt(sameKey), IntegrityError);
    // A mix of A's header and B's content fails, and nothing is set.
    const mixed = fromParts(
      name,
      b.container.id,
      1,
      a.container.sealed!.header,
      b.container.sealed!.content!.inMemory!,
    );
    await assert.rejects(mixed.decrypt(b.keys), IntegrityError);
    assert.equal(mixed.header, null);
    assert.equal(mixed.content, null);
    assert.equal(mixed.isEncrypted, true);
  });

  Deno.test(`${name} container: a replayed version raises IntegrityError`, async () => {
    const id = crypto.randomUUID();
    const v1 = await sealed(name, { id, version: 1, header: "old", content: "old body" });
    // The server replays version 1's parts as version 2 while the reader holds version 2's key,
    // even if that key were the same bytes: the version is in every label.
    for (const key of [v1.keys.key, ContainerKeys.generate(id, 2).key]) {
      const v2Keys = new ContainerKeys(id, 2, key);
      const header = fromParts(name, id, 2, v1.container.sealed!.header, null);
      await assert.rejects(header.decrypt(v2Keys), IntegrityError);
      const content = fromParts(name, id, 2, null, v1.container.sealed!.content!.inMemory!);
      await assert.rejects(content.decrypt(v2Keys), IntegrityError);
    }
    // And an old key opens nothing new.
    const v2 = await sealed(name, { id, version: 2, header: "new", content: "new body" });
    const stale = new ContainerKeys(id, 2, v1.keys.key);
    const newParts = fromParts(
      name,
      id,
      2,
      v2.container.sealed!.header,
      v2.container.sealed!.content!.inMemory!,
    );
    await assert.rejects(newParts.decrypt(stale), IntegrityError);
  });

  Deno.test(`${name} container: keys of another container or version are refused before use`, async () => {
    const { container } = await sealed(name, { header: "h" });
    await assert.rejects(
      container.decrypt(ContainerKeys.generate(crypto.randomUUID(), 1)),
      ValidationError,
    );
    await assert.rejects(
      container.decrypt(ContainerKeys.generate(container.id, 2)),
      ValidationError,
    );
    await assert.rejects(container.encrypt(), /already encrypted/);
    await assert.rejects(
      new Container({ suite: name }).decrypt(ContainerKeys.generate(crypto.randomUUID(), 1)),
      /not encrypted/,
    );
  });

  Deno.test(`${name} container: a flipped bit anywhere in the header raises IntegrityError`, async () => {
    const { container, keys } = await sealed(name, { header: { secret: "s" } });
    const header = container.sealed!.header!;
    for (let i = 0; i < header.length; i++) {
      const flipped = header.slice();
      flipped[i]! ^= 0x80;
      await assert.rejects(
        fromParts(name, container.id, 1, flipped, null).decrypt(keys),
        IntegrityError,
        `byte ${i}`,
      );
    }
    for (const length of [0, 10, header.length - 1]) {
      await assert.rejects(
        fromParts(name, container.id, 1, header.subarray(0, length), null).decrypt(keys),
        IntegrityError,
      );
    }
  });

  Deno.test(`${name} container: truncated, flipped, reordered, extended content raises IntegrityError`, async () => {
    const suite = await getSuite(name);
    const plain = testBytes(3 * FILE_CHUNK_BYTES + 100, 3);
    const { container, keys } = await sealed(name, { content: plain });
    const bytes = container.sealed!.content!.inMemory!;
    const chunk = FILE_CHUNK_BYTES + suite.streamChunkOverhead;
    const start = bytes.length - 3 * chunk - (100 + suite.streamChunkOverhead); // first chunk
    const cases: Array<[string, Uint8Array]> = [];
    cases.push(["no final chunk", bytes.subarray(0, start + 3 * chunk)]);
    cases.push(["cut inside the last chunk", bytes.subarray(0, bytes.length - 1)]);
    cases.push(["cut inside a chunk", bytes.subarray(0, start + chunk + 10)]);
    cases.push(["header only", bytes.subarray(0, start)]);
    cases.push(["cut inside the header", bytes.subarray(0, 20)]);
    cases.push(["nothing", new Uint8Array()]);
    cases.push([
      "dropped middle chunk",
      concat(bytes.subarray(0, start + chunk), bytes.subarray(start + 2 * chunk)),
    ]);
    cases.push([
      "swapped chunks",
      concat(
        bytes.subarray(0, start),
        bytes.subarray(start + chunk, start + 2 * chunk),
        bytes.subarray(start, start + chunk),
        bytes.subarray(start + 2 * chunk),
      ),
    ]);
    cases.push(["appended byte", concat(bytes, new Uint8Array([0]))]);
    cases.push(["final chunk twice", concat(bytes, bytes.subarray(start + 3 * chunk))]);
    for (const offset of [0, 5, start - 1, start, start + 1, start + chunk + 7, bytes.length - 1]) {
      const flipped = bytes.slice();
      flipped[offset]! ^= 0x01;
      cases.push([`flipped byte ${offset}`, flipped]);
    }
    for (const [what, sealedBytes] of cases) {
      const inMemory = fromParts(name, container.id, 1, null, sealedBytes, plain.length);
      await assert.rejects(inMemory.decrypt(keys), IntegrityError, `${what} (in memory)`);
      const streamed = fromParts(name, container.id, 1, null, null, plain.length);
      streamed.sealed = { header: null, content: new ContentStreamOf(sealedBytes).content };
      await streamed.decrypt(keys);
      await assert.rejects(streamed.content!.bytes(), IntegrityError, `${what} (stream)`);
    }
    // Untouched, both ways open.
    const good = fromParts(name, container.id, 1, null, bytes, plain.length);
    await good.decrypt(keys);
    assert.deepEqual(await good.content!.bytes(), plain);
  });

  Deno.test(`${name} container: content whose length differs from the declared one is refused`, async () => {
    const { container, keys } = await sealed(name, { content: "12345" });
    const bytes = container.sealed!.content!.inMemory!;
    await assert.rejects(
      fromParts(name, container.id, 1, null, bytes, 6).decrypt(keys),
      /declared length is 6/,
    );
    const streamed = fromParts(name, container.id, 1, null, null, 4);
    streamed.sealed = { header: null, content: new ContentStreamOf(bytes).content };
    await streamed.decrypt(keys);
    await assert.rejects(streamed.content!.text(), IntegrityError);
  });
}

/** Sealed bytes offered as a stream (as the SDK gets them from the network). */
class ContentStreamOf {
  readonly content: ContainerContent;
  constructor(bytes: Uint8Array) {
    this.content = new ContainerContent(pieces(bytes, 4093));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---- Key blobs ----

interface Party {
  id: string;
  enc: { publicKey: Uint8Array; privateKey: Uint8Array };
  sign: { publicKey: Uint8Array; privateKey: Uint8Array };
}

async function party(suite: CryptoSuite): Promise<Party> {
  return {
    id: crypto.randomUUID(),
    enc: await suite.generateEncryptionKeyPair(),
    sign: await suite.generateSigningKeyPair(),
  };
}

function blobFor(suite: CryptoSuite, keys: ContainerKeys, to: Party, by: Party): Promise<KeyBlob> {
  return sealKeyBlob(suite, keys, { id: to.id, publicKey: to.enc.publicKey }, {
    id: by.id,
    privateKey: by.enc.privateKey,
    signingPrivateKey: by.sign.privateKey,
  });
}

function openInput(keys: ContainerKeys, reader: Party, writer: Party): OpenKeyBlobInput {
  return {
    containerId: keys.containerId,
    version: keys.version,
    recipient: { id: reader.id, privateKey: reader.enc.privateKey },
    writer: { id: writer.id, publicKey: writer.enc.publicKey, signingKey: writer.sign.publicKey },
  };
}

/** The suite with a count of box openings, to prove nothing is decrypted past a failed check. */
function countingBoxes(suite: CryptoSuite): { suite: CryptoSuite; opened: () => number } {
  let count = 0;
  const counted: CryptoSuite = {
    ...suite,
    boxDecrypt(...args) {
      count++;
      return suite.boxDecrypt(...args);
    },
  };
  return { suite: counted, opened: () => count };
}

for (const name of SUITES) {
  Deno.test(`${name} key blob: round trip; the signed text; the wire shape`, async () => {
    const suite = await getSuite(name);
    const [writer, reader] = [await party(suite), await party(suite)];
    const keys = ContainerKeys.generate(crypto.randomUUID(), 3);
    const blob = await blobFor(suite, keys, reader, writer);
    assert.deepEqual(Object.keys(blob).sort(), ["encrypted_key", "signature", "writer_id"]);
    assert.equal(blob.writer_id, writer.id);
    assert.match(blob.encrypted_key, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(parseKeyBlob(JSON.parse(JSON.stringify(blob))), blob);
    const text =
      `arca container key v1|${keys.containerId}|3|${reader.id}|${writer.id}|${blob.encrypted_key}`;
    assert.equal(
      keyBlobSignedText(keys.containerId, 3, reader.id, writer.id, blob.encrypted_key),
      text,
    );
    assert.equal(
      await suite.verify(decodeBase64Url(blob.signature), utf8(text), writer.sign.publicKey),
      true,
    );
    const opened = await openKeyBlob(suite, blob, openInput(keys, reader, writer));
    assert.deepEqual(opened.toBytes(), keys.toBytes());
    // The writer can address a blob to itself.
    const own = await blobFor(suite, keys, writer, writer);
    assert.deepEqual(
      (await openKeyBlob(suite, own, openInput(keys, writer, writer))).key,
      keys.key,
    );
  });

  Deno.test(`${name} key blob: forged, edited and misaddressed blobs raise IntegrityError before any decryption`, async () => {
    const real = await getSuite(name);
    const { suite, opened } = countingBoxes(real);
    const [writer, reader, mallory, carol] = [
      await party(real),
      await party(real),
      await party(real),
      await party(real),
    ];
    const keys = ContainerKeys.generate(crypto.randomUUID(), 2);
    const blob = await blobFor(real, keys, reader, writer);
    const input = openInput(keys, reader, writer);
    const forgedByMallory = await blobFor(real, keys, reader, mallory);
    const malloryEak =
      (await blobFor(real, ContainerKeys.generate(keys.containerId, 2), reader, mallory))
        .encrypted_key;
    const sig = decodeBase64Url(blob.signature);
    sig[0]! ^= 1;
    const [ct, nonce] = blob.encrypted_key.split(".") as [string, string];
    const ctBytes = decodeBase64Url(ct);
    ctBytes[0]! ^= 1;
    const cases: Array<[string, unknown, OpenKeyBlobInput]> = [
      // Mallory signs with her own key but claims to be the writer: the registered key refuses it.
      ["forged: signed by another key", { ...forgedByMallory, writer_id: writer.id }, input],
      ["forged: the writer's key pair swapped for the signer's", forgedByMallory, input],
      ["edited encrypted_key (another valid EAK)", { ...blob, encrypted_key: malloryEak }, input],
      ["edited encrypted_key (flipped ciphertext)", {
        ...blob,
        encrypted_key: `${encodeBase64Url(ctBytes)}.${nonce}`,
      }, input],
      ["edited signature", { ...blob, signature: encodeBase64Url(sig) }, input],
      ["edited writer_id", { ...blob, writer_id: carol.id }, {
        ...input,
        writer: openInput(keys, reader, carol).writer,
      }],
      ["other recipient", blob, openInput(keys, carol, writer)],
      ["other container", blob, { ...input, containerId: crypto.randomUUID() }],
      ["other version (replay)", blob, { ...input, version: 3 }],
      ["older version (replay)", blob, { ...input, version: 1 }],
      ["writer keys of someone else", blob, {
        ...input,
        writer: { ...input.writer, signingKey: mallory.sign.publicKey },
      }],
      ["not an object", "blob", input],
      [
        "missing signature",
        { writer_id: blob.writer_id, encrypted_key: blob.encrypted_key },
        input,
      ],
      ["extra field", { ...blob, signing_key: encodeBase64Url(mallory.sign.publicKey) }, input],
      ["malformed encrypted_key", { ...blob, encrypted_key: "not|base64" }, input],
      ["empty signature", { ...blob, signature: "" }, input],
    ];
    for (const [what, candidate, use] of cases) {
      await assert.rejects(openKeyBlob(suite, candidate, use), IntegrityError, what);
    }
    assert.equal(opened(), 0, "a box was opened past a failed check");
    // A correctly signed blob whose box does not open (boxed by another sender key) fails there.
    const wrongBox = { ...blob };
    const otherSenderInput = {
      ...input,
      writer: { ...input.writer, publicKey: mallory.enc.publicKey },
    };
    await assert.rejects(openKeyBlob(suite, wrongBox, otherSenderInput), IntegrityError);
    assert.equal(opened(), 1);
    assert.deepEqual((await openKeyBlob(suite, blob, input)).key, keys.key);
  });

  Deno.test(`${name} key blob: an old version's blob opens nothing of the new version`, async () => {
    const suite = await getSuite(name);
    const [writer, reader] = [await party(suite), await party(suite)];
    const id = crypto.randomUUID();
    const v1 = await sealed(name, { id, version: 1, content: "v1" }, ContainerKeys.generate(id, 1));
    const v1Blob = await blobFor(suite, v1.keys, reader, writer);
    const v2 = await sealed(name, { id, version: 2, content: "v2" });
    // The v1 blob does not verify as a v2 blob.
    await assert.rejects(
      openKeyBlob(suite, v1Blob, { ...openInput(v1.keys, reader, writer), version: 2 }),
      IntegrityError,
    );
    // Its key, relabelled for v2, opens nothing.
    const v1Key = await openKeyBlob(suite, v1Blob, openInput(v1.keys, reader, writer));
    const relabelled = new ContainerKeys(id, 2, v1Key.key);
    const parts = fromParts(name, id, 2, null, v2.container.sealed!.content!.inMemory!);
    await assert.rejects(parts.decrypt(relabelled), IntegrityError);
  });
}

// ---- ContainerKeys bytes ----

Deno.test("ContainerKeys: exact byte layout and refusals", () => {
  const key = testBytes(32, 9);
  const keys = new ContainerKeys(
    "0123456789ABCDEF0123456789abcdef".replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-"),
    0x01020304,
    key,
  );
  const bytes = keys.toBytes();
  assert.equal(bytes.length, 56);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x41, 0x43, 0x4b, 0x31, 1, 2, 3, 4]);
  assert.equal(encodeHexOf(bytes.subarray(8, 24)), "0123456789abcdef0123456789abcdef");
  assert.deepEqual(bytes.subarray(24), key);
  assert.equal(keys.containerId, "01234567-89ab-cdef-0123-456789abcdef");
  assert.equal(ContainerKeys.fromBytes(bytes).containerId, keys.containerId);
  key.fill(0);
  assert.notDeepEqual(keys.key, key, "the keys keep their own copy");
  assert.throws(() => ContainerKeys.fromBytes(bytes.subarray(0, 55)), /56 bytes/);
  assert.throws(() => ContainerKeys.fromBytes(new Uint8Array([...bytes, 0])), /56 bytes/);
  const badMagic = bytes.slice();
  badMagic[3] = 0x32;
  assert.throws(() => ContainerKeys.fromBytes(badMagic), /ACK1/);
  const zeroVersion = bytes.slice();
  zeroVersion.fill(0, 4, 8);
  assert.throws(() => ContainerKeys.fromBytes(zeroVersion), /version/);
  assert.equal(
    ContainerKeys.fromBytes(Object.assign(bytes.slice(), { 4: 0xff, 5: 0xff, 6: 0xff, 7: 0xff }))
      .version,
    0xffffffff,
  );
  assert.throws(() => new ContainerKeys(keys.containerId, 2 ** 32, key), ValidationError);
  assert.throws(() => new ContainerKeys(keys.containerId, 1, new Uint8Array(31)), ValidationError);
  assert.doesNotMatch(String(keys), /[0-9a-f]{64}/);
});

Deno.test("container parts: labels and part keys are HMAC-SHA256(key, label)", async () => {
  const keys = new ContainerKeys("b2a735c5-9f3a-4c1e-8e0f-0123456789ab", 12, testBytes(32, 5));
  for (const part of ["header", "content"] as const) {
    const label = `arca container v1|b2a735c5-9f3a-4c1e-8e0f-0123456789ab|${part}|12`;
    assert.deepEqual(await containerPartKey(keys, part), await hmacSha256(keys.key, utf8(label)));
  }
  // Header associated data is the label: opening with the primitive and that AD works.
  const suite = await getSuite("Sodium");
  const sealedHeader = await sealContainerHeader(suite, keys, { x: 1 });
  const ad = utf8("arca container v1|b2a735c5-9f3a-4c1e-8e0f-0123456789ab|header|12");
  const plain = await suite.aeadOpen(await containerPartKey(keys, "header"), sealedHeader, ad);
  assert.equal(new TextDecoder().decode(plain), '{"x":1}');
});

Deno.test("container: a header JSON cannot represent is a ValidationError", async () => {
  const suite = await getSuite("Sodium");
  const keys = ContainerKeys.generate(crypto.randomUUID(), 1);
  await assert.rejects(sealContainerHeader(suite, keys, 1n), ValidationError);
  await assert.rejects(sealContainerHeader(suite, keys, () => 1), ValidationError);
  assert.throws(() => new Container({ content: 5 as unknown as string }), ValidationError);
  assert.throws(() => new Container({ id: "nope" }), ValidationError);
  assert.throws(
    () => new Container({ header: "h", sealed: { header: new Uint8Array(40), content: null } }),
    ValidationError,
  );
});

function encodeHexOf(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
