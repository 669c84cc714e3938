/**
 * Crypto benchmark (`deno task bench`): Arca's formats against the primitive floor, in one run.
 *
 * - record: a 10-field record of ~1 KiB through `encryptRecordData` (data keys, nonces, UTF-8,
 *   base64url, the quads), against the floor: the same 20 `secretbox` calls (value under a data
 *   key, data key under AK) on the same, already-encoded bytes, each with its own
 *   `crypto.getRandomValues` nonce, and nothing else. Short rounds run in the order floor, Arca,
 *   Arca, floor, …; each side's best round counts.
 * - stream: 256 MiB through `encryptFileStream` (Web Streams, 64 KiB input pieces), against raw
 *   libsodium secretstream pushes of the same 64 KiB blocks, best of 4 each (same order rule).
 * - memory: peak RSS (`Deno.memoryUsage().rss`, sampled every 16 chunks) over the RSS before,
 *   while 256 MiB are encrypted and then 256 MiB are encrypted and decrypted in one pipeline.
 *   This is measured first, before the raw pushes leave their garbage behind.
 * - NIST: the same record and stream paths with the NIST suite, beside Sodium's.
 *
 * Prints a table, then one last line `summary: key=value ...`. `ARCA_BENCH_STREAM_MIB` changes
 * the stream size.
 *
 * @module
 */
import sodium from "libsodium-wrappers-sumo";
import { encryptRecordData } from "../lib/crypto/fields.ts";
import { ChecksumStream } from "../lib/crypto/file_checksum.ts";
import {
  decryptFileStream,
  encryptFileStream,
  FILE_CHUNK_BYTES,
} from "../lib/crypto/file_stream.ts";
import { nistSuite } from "../lib/crypto/nist.ts";
import { sodiumSuite } from "../lib/crypto/sodium.ts";
import type { CryptoSuite } from "../lib/crypto/suite.ts";

const MIB = 1024 * 1024;
const STREAM_MIB = Number(Deno.env.get("ARCA_BENCH_STREAM_MIB") ?? "256");
if (!Number.isInteger(STREAM_MIB) || STREAM_MIB < 1) {
  throw new Error(`ARCA_BENCH_STREAM_MIB must be a positive integer, got "${STREAM_MIB}"`);
}
const STREAM_BYTES = STREAM_MIB * MIB;
const RECORDS_PER_ROUND = 500;
const RECORD_ROUNDS = 60;
const POOL_BYTES = 4 * MIB;

interface Row {
  name: string;
  mbps: number;
  note: string;
}
const rows: Row[] = [];

/** Megabytes (10^6 bytes) per second. */
function mbps(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

/**
 * Runs `a` and `b` in the order a b b a, `rounds` times: each side follows itself as often as
 * the other, so neither always pays for the garbage the other left behind.
 */
async function abba(
  rounds: number,
  a: () => unknown | Promise<unknown>,
  b: () => unknown | Promise<unknown>,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [a, b] : [b, a];
    for (const run of order) await run();
  }
}

function randomPool(length: number): Uint8Array {
  const pool = new Uint8Array(length);
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(pool.subarray(i, i + 65536));
  return pool;
}

// ---- records ----

function sampleRecord(): Record<string, string> {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-";
  const data: Record<string, string> = {};
  for (let i = 0; i < 10; i++) {
    let value = "";
    for (let j = 0; j < 100; j++) value += alphabet[(i * 31 + j * 7) % alphabet.length];
    data[`field_${i}`] = value;
  }
  return data;
}

async function timeRecordsArca(
  suite: CryptoSuite,
  ak: Uint8Array,
  data: Record<string, string>,
  records: number,
): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < records; i++) await encryptRecordData(suite, ak, data);
  return performance.now() - start;
}

/** The floor: 2 secretbox calls per field with getRandomValues nonces, on pre-encoded bytes. */
function timeRecordsFloor(
  ak: Uint8Array,
  values: Uint8Array[],
  dataKeys: Uint8Array[],
  records: number,
): number {
  const start = performance.now();
  for (let i = 0; i < records; i++) {
    for (let f = 0; f < values.length; f++) {
      const dataKey = dataKeys[f]!;
      const valueNonce = crypto.getRandomValues(new Uint8Array(24));
      sodium.crypto_secretbox_easy(values[f]!, valueNonce, dataKey);
      const keyNonce = crypto.getRandomValues(new Uint8Array(24));
      sodium.crypto_secretbox_easy(dataKey, keyNonce, ak);
    }
  }
  return performance.now() - start;
}

/**
 * Short rounds, alternating Arca and the floor so both see the same machine state; each side's
 * best round counts (the least disturbed by other processes on a shared machine).
 */
async function benchRecords(sodiumS: CryptoSuite, nist: CryptoSuite) {
  const data = sampleRecord();
  const encoder = new TextEncoder();
  const values = Object.values(data).map((value) => encoder.encode(value));
  const recordBytes = values.reduce((n, v) => n + v.length, 0);
  const dataKeys = values.map(() => crypto.getRandomValues(new Uint8Array(32)));
  const ak = crypto.getRandomValues(new Uint8Array(32));
  await timeRecordsArca(sodiumS, ak, data, RECORDS_PER_ROUND);
  timeRecordsFloor(ak, values, dataKeys, RECORDS_PER_ROUND);
  let arca = Infinity;
  let floor = Infinity;
  const timeArca = async () => {
    arca = Math.min(arca, await timeRecordsArca(sodiumS, ak, data, RECORDS_PER_ROUND));
  };
  const timeFloor = () => {
    floor = Math.min(floor, timeRecordsFloor(ak, values, dataKeys, RECORDS_PER_ROUND));
  };
  await abba(RECORD_ROUNDS, timeFloor, timeArca);
  const nistRecords = RECORDS_PER_ROUND / 10;
  await timeRecordsArca(nist, ak, data, nistRecords);
  let nistTime = Infinity;
  for (let round = 0; round < 10; round++) {
    nistTime = Math.min(nistTime, await timeRecordsArca(nist, ak, data, nistRecords));
  }
  const arcaMbps = mbps(recordBytes * RECORDS_PER_ROUND, arca);
  const floorMbps = mbps(recordBytes * RECORDS_PER_ROUND, floor);
  const nistMbps = mbps(recordBytes * nistRecords, nistTime);
  const perRecord = (ms: number, records: number) =>
    `${((ms * 1000) / records).toFixed(1)} µs/record`;
  rows.push({
    name: "record floor: 20 secretbox (Sodium)",
    mbps: floorMbps,
    note: perRecord(floor, RECORDS_PER_ROUND),
  });
  rows.push({
    name: "record: encryptRecordData Sodium",
    mbps: arcaMbps,
    note: perRecord(arca, RECORDS_PER_ROUND),
  });
  rows.push({
    name: "record: encryptRecordData NIST",
    mbps: nistMbps,
    note: perRecord(nistTime, nistRecords),
  });
  return { ratio: arcaMbps / floorMbps, sodiumMbps: arcaMbps, nistMbps };
}

// ---- streams ----

/** 64 KiB-aligned (or `piece`-sized) views of a random pool, `total` bytes in all. */
function poolSource(pool: Uint8Array, total: number, piece: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const length = Math.min(piece, total - sent);
      const offset = sent % (pool.length - piece);
      controller.enqueue(pool.subarray(offset, offset + length));
      sent += length;
    },
  }, { highWaterMark: 0 });
}

class RssSampler {
  readonly baseline = Deno.memoryUsage().rss;
  peak = this.baseline;
  sample(): void {
    const rss = Deno.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
  }
  get growthMib(): number {
    return (this.peak - this.baseline) / MIB;
  }
}

function countingSink(sampler: RssSampler | undefined, counter: { bytes: number }) {
  let writes = 0;
  return new WritableStream<Uint8Array>({
    write(chunk) {
      counter.bytes += chunk.length;
      if (sampler !== undefined && ++writes % 16 === 0) sampler.sample();
    },
  });
}

function timeRawPush(pool: Uint8Array): number {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const start = performance.now();
  const { state } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const blocks = STREAM_BYTES / FILE_CHUNK_BYTES;
  for (let i = 0; i < blocks; i++) {
    const offset = (i * FILE_CHUNK_BYTES) % (pool.length - FILE_CHUNK_BYTES);
    const tag = i === blocks - 1
      ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
      : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    sodium.crypto_secretstream_xchacha20poly1305_push(
      state,
      pool.subarray(offset, offset + FILE_CHUNK_BYTES),
      null,
      tag,
    );
  }
  return performance.now() - start;
}

async function timeEncryptStream(
  suite: CryptoSuite,
  pool: Uint8Array,
  piece: number,
  total = STREAM_BYTES,
  sampler?: RssSampler,
): Promise<number> {
  const ak = crypto.getRandomValues(new Uint8Array(32));
  const counter = { bytes: 0 };
  const start = performance.now();
  await poolSource(pool, total, piece)
    .pipeThrough(encryptFileStream(suite, ak))
    .pipeTo(countingSink(sampler, counter));
  return performance.now() - start;
}

/** Encrypts and decrypts `STREAM_BYTES` in one pipeline; checks the byte count. */
async function timeRoundTrip(
  suite: CryptoSuite,
  pool: Uint8Array,
  sampler?: RssSampler,
): Promise<number> {
  const ak = crypto.getRandomValues(new Uint8Array(32));
  const counter = { bytes: 0 };
  const start = performance.now();
  await poolSource(pool, STREAM_BYTES, FILE_CHUNK_BYTES)
    .pipeThrough(encryptFileStream(suite, ak))
    .pipeThrough(decryptFileStream(suite, ak))
    .pipeTo(countingSink(sampler, counter));
  if (counter.bytes !== STREAM_BYTES) throw new Error("Round trip lost bytes");
  return performance.now() - start;
}

async function md5Mbps(pool: Uint8Array): Promise<number> {
  const checksum = new ChecksumStream();
  const start = performance.now();
  await poolSource(pool, 64 * MIB, FILE_CHUNK_BYTES).pipeThrough(checksum).pipeTo(
    countingSink(undefined, { bytes: 0 }),
  );
  return mbps(64 * MIB, performance.now() - start);
}

/** RSS growth while one suite encrypts, then encrypts and decrypts, `STREAM_BYTES`. */
async function streamMemory(suite: CryptoSuite, pool: Uint8Array) {
  await timeEncryptStream(suite, pool, FILE_CHUNK_BYTES, 32 * MIB);
  const sampler = new RssSampler();
  await timeEncryptStream(suite, pool, FILE_CHUNK_BYTES, STREAM_BYTES, sampler);
  const roundTripMs = await timeRoundTrip(suite, pool, sampler);
  return { growthMib: sampler.growthMib, roundTripMbps: mbps(STREAM_BYTES, roundTripMs) };
}

async function benchStreams(sodiumS: CryptoSuite, nist: CryptoSuite) {
  const pool = randomPool(POOL_BYTES);
  const mib = `${STREAM_BYTES / MIB} MiB`;
  // Memory first, before the raw pushes below leave their garbage on the heap.
  const sodiumMemory = await streamMemory(sodiumS, pool);
  const nistMemory = await streamMemory(nist, pool);
  let raw = Infinity;
  let v3 = Infinity;
  await abba(
    4,
    () => raw = Math.min(raw, timeRawPush(pool)),
    async () => v3 = Math.min(v3, await timeEncryptStream(sodiumS, pool, FILE_CHUNK_BYTES)),
  );
  let nistTime = Infinity;
  for (let round = 0; round < 2; round++) {
    nistTime = Math.min(nistTime, await timeEncryptStream(nist, pool, FILE_CHUNK_BYTES));
  }
  const rawMbps = mbps(STREAM_BYTES, raw);
  const v3Mbps = mbps(STREAM_BYTES, v3);
  const nistMbps = mbps(STREAM_BYTES, nistTime);
  const oddMbps = mbps(STREAM_BYTES, await timeEncryptStream(sodiumS, pool, 100_000));
  const growth = (memory: { growthMib: number }) =>
    `RSS +${memory.growthMib.toFixed(1)} MiB over encrypt and round trip`;
  rows.push({ name: "stream floor: raw secretstream push", mbps: rawMbps, note: mib });
  rows.push({ name: "stream: v3 encrypt Sodium, 64 KiB pieces", mbps: v3Mbps, note: mib });
  rows.push({ name: "stream: v3 encrypt Sodium, 100,000 B pieces", mbps: oddMbps, note: mib });
  rows.push({ name: "stream: v3 encrypt NIST, 64 KiB pieces", mbps: nistMbps, note: mib });
  rows.push({
    name: "stream: v3 encrypt+decrypt Sodium",
    mbps: sodiumMemory.roundTripMbps,
    note: growth(sodiumMemory),
  });
  rows.push({
    name: "stream: v3 encrypt+decrypt NIST",
    mbps: nistMemory.roundTripMbps,
    note: growth(nistMemory),
  });
  rows.push({ name: "checksum: MD5 stream", mbps: await md5Mbps(pool), note: "64 MiB" });
  return {
    ratio: v3Mbps / rawMbps,
    sodiumMbps: v3Mbps,
    nistMbps,
    rssGrowth: sodiumMemory.growthMib,
    nistRssGrowth: nistMemory.growthMib,
  };
}

function printTable(): void {
  const width = Math.max(...rows.map((row) => row.name.length));
  console.log(`${"benchmark".padEnd(width)}  ${"MB/s".padStart(9)}  note`);
  for (const row of rows) {
    console.log(`${row.name.padEnd(width)}  ${row.mbps.toFixed(1).padStart(9)}  ${row.note}`);
  }
}

const sodiumS = await sodiumSuite();
const nist = await nistSuite();
const records = await benchRecords(sodiumS, nist);
const streams = await benchStreams(sodiumS, nist);
printTable();
const summary = {
  record_ratio: records.ratio.toFixed(3),
  stream_ratio: streams.ratio.toFixed(3),
  stream_peak_rss_growth_mib: streams.rssGrowth.toFixed(1),
  nist_stream_peak_rss_growth_mib: streams.nistRssGrowth.toFixed(1),
  sodium_record_mbps: records.sodiumMbps.toFixed(1),
  nist_record_mbps: records.nistMbps.toFixed(1),
  sodium_stream_mbps: streams.sodiumMbps.toFixed(1),
  nist_stream_mbps: streams.nistMbps.toFixed(1),
};
console.log(`summary: ${Object.entries(summary).map(([k, v]) => `${k}=${v}`).join(" ")}`);
