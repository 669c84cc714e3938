/**
 * Large-file benchmark (`deno task bench:files`): writes and reads a 1 GiB file through a real
 * server on loopback with the SDK, the server in a subprocess so each RSS is its own process's.
 *
 * Prints MB/s (10^6 bytes of plaintext per second) for each direction, the peak RSS of client
 * and server (Linux `VmHWM`), and, when `age` is installed, `age` encrypting and decrypting the
 * same file for comparison. The last line is
 * `summary: upload_mbps=... download_mbps=... client_peak_rss_mb=... server_peak_rss_mb=...`.
 *
 * `ARCA_BENCH_FILE_MIB` changes the size (default 1024); `ARCA_CRYPTO_SUITE` the suite. The task
 * sets `DENO_V8_FLAGS=--max-semi-space-size=1` for both processes, as docs/files.md recommends
 * (V8 then collects dead chunk buffers promptly); unset it to measure V8's defaults.
 *
 * @module
 */
import { join } from "node:path";
import { Client } from "../lib/sdk/client.ts";

const MIB = 1024 * 1024;
const FILE_BYTES = Number(Deno.env.get("ARCA_BENCH_FILE_MIB") ?? "1024") * MIB;
const TOKEN = "files-bench-registration-token";
const SERVER_ENTRY = new URL("../server.ts", import.meta.url).pathname;
/** V8 flags of both processes (the server inherits the environment). */
const V8_FLAGS = Deno.env.get("DENO_V8_FLAGS") ?? "";

/** Megabytes (10^6 bytes) per second. */
function mbps(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

/** Peak resident set size of a process in bytes (`VmHWM`), or `undefined` off Linux. */
function peakRss(pid: number | "self"): number | undefined {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `server.ts` in a subprocess and waits for its "listening" line. */
async function startServerProcess(dataDir: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER_ENTRY],
    env: {
      ARCA_DATA_DIR: dataDir,
      ARCA_HOST: "127.0.0.1",
      ARCA_PORT: "0",
      ARCA_REGISTRATION_TOKEN: TOKEN,
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`Server exited before listening: ${buffered}`);
    buffered += value;
    const match = /Arca listening on (\S+)/.exec(buffered);
    if (match) {
      // Keep draining its output so the child never blocks on a full pipe.
      (async () => {
        while (!(await lines.read()).done) { /* discard */ }
      })();
      return { child, url: match[1]! };
    }
  }
}

/** Writes `bytes` of a repeated random 1 MiB pattern to `path`. */
async function makePlaintext(path: string, bytes: number): Promise<void> {
  const pool = new Uint8Array(MIB);
  for (let i = 0; i < MIB; i += 65536) crypto.getRandomValues(pool.subarray(i, i + 65536));
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    for (let written = 0; written < bytes; written += MIB) {
      const chunk = pool.subarray(0, Math.min(MIB, bytes - written));
      let offset = 0;
      while (offset < chunk.length) offset += await file.write(chunk.subarray(offset));
    }
  } finally {
    file.close();
  }
}

/** Whether two files have the same bytes (read in lockstep, 1 MiB at a time). */
async function sameFiles(a: string, b: string): Promise<boolean> {
  const [left, right] = [await Deno.open(a), await Deno.open(b)];
  try {
    const bufferA = new Uint8Array(MIB);
    const bufferB = new Uint8Array(MIB);
    for (;;) {
      const readA = await readFull(left, bufferA);
      const readB = await readFull(right, bufferB);
      if (readA !== readB) return false;
      if (readA === 0) return true;
      for (let i = 0; i < readA; i++) if (bufferA[i] !== bufferB[i]) return false;
    }
  } finally {
    left.close();
    right.close();
  }
}

async function readFull(file: Deno.FsFile, buffer: Uint8Array): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const read = await file.read(buffer.subarray(filled));
    if (read === null) break;
    filled += read;
  }
  return filled;
}

async function hasCommand(name: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(name, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return success;
  } catch {
    return false;
  }
}

async function run(command: string, args: string[]): Promise<number> {
  const start = performance.now();
  const { success, stderr } = await new Deno.Command(command, {
    args,
    stdout: "null",
    stderr: "piped",
  })
    .output();
  if (!success) throw new Error(`${command} failed: ${new TextDecoder().decode(stderr)}`);
  return performance.now() - start;
}

/** `age` with an X25519 recipient on the same file, or `undefined` when it is not installed. */
async function benchAge(dir: string, plain: string) {
  if (!(await hasCommand("age")) || !(await hasCommand("age-keygen"))) return undefined;
  const keyFile = join(dir, "age.key");
  await run("age-keygen", ["-o", keyFile]);
  const recipient = /public key: (age1\S+)/.exec(await Deno.readTextFile(keyFile))?.[1];
  if (recipient === undefined) return undefined;
  const encrypted = join(dir, "plain.age");
  const decrypted = join(dir, "plain.age.out");
  const encryptMs = await run("age", ["-r", recipient, "-o", encrypted, plain]);
  const decryptMs = await run("age", ["-d", "-i", keyFile, "-o", decrypted, encrypted]);
  await Deno.remove(encrypted);
  await Deno.remove(decrypted);
  return { encryptMbps: mbps(FILE_BYTES, encryptMs), decryptMbps: mbps(FILE_BYTES, decryptMs) };
}

async function main(): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "arca-files-bench-" });
  const { child, url } = await startServerProcess(join(dir, "data"));
  try {
    const plain = join(dir, "plain.bin");
    const back = join(dir, "plain.out");
    await makePlaintext(plain, FILE_BYTES);
    const keys = await Client.generateKeypair();
    const { config } = await Client.register(TOKEN, "files-bench", keys, { apiUrl: url });
    const client = new Client(config);
    const clientBaseline = Deno.memoryUsage().rss;
    console.log(
      `files bench: ${FILE_BYTES / MIB} MiB, ${config.cryptoSuite} suite, server ${url}, ` +
        `DENO_V8_FLAGS=${V8_FLAGS === "" ? "(none)" : V8_FLAGS}`,
    );
    console.log(
      `baseline RSS: client ${(clientBaseline / 1e6).toFixed(1)} MB, server ${
        ((peakRss(child.pid) ?? 0) / 1e6).toFixed(1)
      } MB`,
    );

    let start = performance.now();
    const record = await client.writeFile("bench_files", plain);
    const uploadMs = performance.now() - start;
    const serverAfterUpload = peakRss(child.pid);
    const clientAfterUpload = peakRss("self");
    start = performance.now();
    await client.readFile(record.meta.recordId, back);
    const downloadMs = performance.now() - start;
    if (!(await sameFiles(plain, back))) throw new Error("The file read back differs");
    await Deno.remove(back);

    const clientPeak = peakRss("self");
    const serverPeak = peakRss(child.pid);
    const upload = mbps(FILE_BYTES, uploadMs);
    const download = mbps(FILE_BYTES, downloadMs);
    const mb = (bytes: number | undefined) =>
      bytes === undefined ? "n/a" : (bytes / 1e6).toFixed(1);
    console.log(
      `upload   (writeFile): ${upload.toFixed(1)} MB/s  (${(uploadMs / 1000).toFixed(2)} s)`,
    );
    console.log(
      `download (readFile):  ${download.toFixed(1)} MB/s  (${(downloadMs / 1000).toFixed(2)} s)`,
    );
    console.log(
      `peak RSS: client ${mb(clientPeak)} MB (${mb(clientAfterUpload)} MB after the upload), ` +
        `server ${mb(serverPeak)} MB (${mb(serverAfterUpload)} MB after the upload)`,
    );
    const age = await benchAge(dir, plain);
    if (age === undefined) {
      console.log("age: not installed, comparison skipped");
    } else {
      console.log(
        `age (X25519, local files, no network): encrypt ${age.encryptMbps.toFixed(1)} MB/s, ` +
          `decrypt ${age.decryptMbps.toFixed(1)} MB/s`,
      );
    }
    console.log(
      `summary: upload_mbps=${upload.toFixed(1)} download_mbps=${download.toFixed(1)} ` +
        `client_peak_rss_mb=${mb(clientPeak)} server_peak_rss_mb=${mb(serverPeak)}`,
    );
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
