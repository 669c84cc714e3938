/**
 * A small HTTP/1.1 load generator for `bench/server_load.ts`: `concurrency` keep-alive TCP
 * connections, each sending one prepared request at a time and reading the whole response.
 *
 * Requests are encoded once, before the clock starts, and responses are read with
 * `Content-Length` framing only (what `Deno.serve` sends for the bodies measured here), so the
 * load generator spends a few microseconds per request. `fetch` costs several times more, and
 * with two cores it, not the server, would set the pace of the fastest route.
 *
 * @module
 */

/** One route under load: its requests are cycled over `urls` × `bodies`. */
export interface LoadTarget {
  /** Short name for the table. */
  name: string;
  /** HTTP method. */
  method: "GET" | "POST";
  /** The status every response must have. */
  expectStatus: number;
  /** Absolute `http://` URLs on one host, cycled. */
  urls: string[];
  /** Request headers (besides `Host` and `Content-Length`). */
  headers: Record<string, string>;
  /** Bodies, cycled (empty for GET). */
  bodies: string[];
}

/** How hard and how long to push. */
export interface LoadOptions {
  /** Requests in flight (one connection each). */
  concurrency: number;
  /** Stop sending after this many seconds. */
  seconds: number;
  /** Stop sending after this many requests. */
  maxRequests: number;
}

/** What one load run measured. */
export interface LoadRun {
  /** Requests completed. */
  requests: number;
  /** Wall-clock seconds from the first request to the last response. */
  seconds: number;
  /** Median latency in milliseconds. */
  p50: number;
  /** 99th-percentile latency in milliseconds. */
  p99: number;
}

const CR = 13;
const LF = 10;
const READ_BUFFER_BYTES = 64 * 1024;
const latin1 = new TextDecoder("latin1");

/**
 * Encodes the target's requests once: one per URL, or one per body for a single URL.
 *
 * @example
 * ```ts ignore
 * const requests = encodeRequests(target);
 * ```
 */
export function encodeRequests(target: LoadTarget): Uint8Array[] {
  const count = Math.max(target.urls.length, target.bodies.length, 1);
  const encoder = new TextEncoder();
  const requests: Uint8Array[] = [];
  for (let n = 0; n < count; n++) {
    const url = new URL(target.urls[n % target.urls.length]!);
    const body = target.bodies.length === 0 ? "" : target.bodies[n % target.bodies.length]!;
    const headers = { ...target.headers, host: url.host };
    let head = `${target.method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    if (target.method !== "GET") head += `content-length: ${encoder.encode(body).length}\r\n`;
    requests.push(encoder.encode(`${head}\r\n${body}`));
  }
  return requests;
}

/** One keep-alive connection: write a request, read its response. */
class HttpConnection {
  readonly #conn: Deno.TcpConn;
  #buffer = new Uint8Array(READ_BUFFER_BYTES);
  #filled = 0;

  constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  static async open(url: URL): Promise<HttpConnection> {
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port || 80) });
    conn.setNoDelay(true);
    return new HttpConnection(conn);
  }

  /** Sends `request` and returns the response's status once its body has arrived. */
  async exchange(request: Uint8Array): Promise<number> {
    for (let sent = 0; sent < request.length;) {
      sent += await this.#conn.write(request.subarray(sent));
    }
    let headEnd = findHeadEnd(this.#buffer, 0, this.#filled);
    while (headEnd < 0) {
      const scanned = Math.max(0, this.#filled - 3);
      await this.#fill();
      headEnd = findHeadEnd(this.#buffer, scanned, this.#filled);
    }
    const head = latin1.decode(this.#buffer.subarray(0, headEnd));
    const status = Number(head.slice(9, 12));
    const total = headEnd + 4 + contentLength(head);
    while (this.#filled < total) await this.#fill();
    this.#buffer.copyWithin(0, total, this.#filled);
    this.#filled -= total;
    return status;
  }

  async #fill(): Promise<void> {
    if (this.#filled === this.#buffer.length) {
      const larger = new Uint8Array(this.#buffer.length * 2);
      larger.set(this.#buffer);
      this.#buffer = larger;
    }
    const read = await this.#conn.read(this.#buffer.subarray(this.#filled));
    if (read === null) throw new Error("the server closed the connection");
    this.#filled += read;
  }

  close(): void {
    try {
      this.#conn.close();
    } catch { /* already closed */ }
  }
}

/** Index of the `\r\n\r\n` ending the head, searching `buffer[from, to)`, or -1. */
function findHeadEnd(buffer: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 3 < to; i++) {
    if (buffer[i] === CR && buffer[i + 1] === LF && buffer[i + 2] === CR && buffer[i + 3] === LF) {
      return i;
    }
  }
  return -1;
}

function contentLength(head: string): number {
  const match = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  if (match) return Number(match[1]);
  if (/\r\ntransfer-encoding:/i.test(head)) {
    throw new Error("chunked responses are not supported by the load generator");
  }
  return 0;
}

/**
 * The value at `fraction` (0–1) of an ascending array, or `NaN` when it is empty.
 *
 * @example
 * ```ts
 * import { percentile } from "./http_load.ts";
 * console.log(percentile(new Float64Array([1, 2, 3, 4]), 0.5)); // 3
 * ```
 */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/**
 * Keeps `concurrency` requests in flight until time or count runs out; throws on the first
 * unexpected status or connection failure.
 *
 * @example
 * ```ts ignore
 * const run = await httpLoad(target, { concurrency: 32, seconds: 5, maxRequests: 100_000 });
 * ```
 */
export async function httpLoad(target: LoadTarget, options: LoadOptions): Promise<LoadRun> {
  const requests = encodeRequests(target);
  const url = new URL(target.urls[0]!);
  const connections = await Promise.all(
    Array.from({ length: options.concurrency }, () => HttpConnection.open(url)),
  );
  // A server that stops answering must not hang the benchmark.
  const guard = setTimeout(
    () => connections.forEach((c) => c.close()),
    (options.seconds + 30) * 1000,
  );
  const latencies = new Float64Array(options.maxRequests);
  let issued = 0;
  let done = 0;
  let failure: string | undefined;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async (connection: HttpConnection) => {
    while (failure === undefined && issued < options.maxRequests && performance.now() < deadline) {
      const request = requests[issued++ % requests.length]!;
      const sent = performance.now();
      try {
        const status = await connection.exchange(request);
        if (status !== target.expectStatus) failure ??= `${target.name}: status ${status}`;
      } catch (error) {
        failure ??= `${target.name}: ${error instanceof Error ? error.message : String(error)}`;
      }
      latencies[done++] = performance.now() - sent;
    }
  };
  try {
    await Promise.all(connections.map(worker));
  } finally {
    clearTimeout(guard);
    connections.forEach((c) => c.close());
  }
  if (failure !== undefined) throw new Error(failure);
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.subarray(0, done).sort();
  return { requests: done, seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}
