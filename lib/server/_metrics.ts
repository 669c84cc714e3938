/**
 * The server's metrics, written in the Prometheus text exposition format (version 0.0.4) by
 * {@linkcode ServerMetrics.render}: requests by route pattern, method and status, a latency
 * histogram per route pattern and method, open event streams, blob bytes in and out, and what the
 * store reports of its queue, write batches and record cache (`Store.runtimeStats`). The metric
 * names and their meaning are listed in docs/server.md, Metrics.
 *
 * @module
 */
import type { StoreRuntimeStats } from "../store/runtime_stats.ts";

/** Upper bounds (seconds) of the request latency histogram's buckets. */
export const LATENCY_BOUNDS_SECONDS = [
  0.001,
  0.0025,
  0.005,
  0.01,
  0.025,
  0.05,
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  10,
];

/** Methods counted by name; any other becomes `OTHER` (labels stay a small, fixed set). */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * Counters and gauges of one app, and their rendering.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ServerMetrics } from "./_metrics.ts";
 * const metrics = new ServerMetrics();
 * metrics.observeRequest("GET", "/healthz", 200, 0.002);
 * metrics.blobBytesIn += 10;
 * const text = metrics.render({ queueDepth: 0 });
 * assert.match(text, /^arca_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1$/m);
 * assert.match(text, /^arca_blob_bytes_in_total 10$/m);
 * assert.match(text, /^arca_store_queue_depth 0$/m);
 * ```
 */
export class ServerMetrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Histogram>();
  /** Event streams open now. */
  openEventStreams = 0;
  /** File and container bytes written to the blob store. */
  blobBytesIn = 0;
  /** File and container bytes read from the blob store. */
  blobBytesOut = 0;

  /** Counts one answered request and its duration. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method: KNOWN_METHODS.has(method) ? method : "OTHER", route };
    const counted = labelText({ ...labels, status: String(status) });
    this.#requests.set(counted, (this.#requests.get(counted) ?? 0) + 1);
    const key = labelText(labels);
    let histogram = this.#latency.get(key);
    if (histogram === undefined) {
      histogram = { buckets: LATENCY_BOUNDS_SECONDS.map(() => 0), sum: 0, count: 0 };
      this.#latency.set(key, histogram);
    }
    LATENCY_BOUNDS_SECONDS.forEach((le, i) => {
      if (seconds <= le) histogram.buckets[i]!++;
    });
    histogram.sum += seconds;
    histogram.count++;
  }

  /** The metrics in the Prometheus text format, with `store`'s figures. */
  render(store: StoreRuntimeStats = {}): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string) =>
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    family(
      "arca_http_requests_total",
      "counter",
      "Requests answered, by method, route and status.",
    );
    for (const [labels, count] of this.#requests) {
      lines.push(`arca_http_requests_total{${labels}} ${count}`);
    }
    const latency = "arca_http_request_duration_seconds";
    family(latency, "histogram", "Time to answer a request (to the response head), in seconds.");
    for (const [labels, histogram] of this.#latency) {
      LATENCY_BOUNDS_SECONDS.forEach((le, i) => {
        lines.push(`${latency}_bucket{${labels},le="${le}"} ${histogram.buckets[i]}`);
      });
      lines.push(`${latency}_bucket{${labels},le="+Inf"} ${histogram.count}`);
      lines.push(`${latency}_sum{${labels}} ${histogram.sum}`);
      lines.push(`${latency}_count{${labels}} ${histogram.count}`);
    }
    family("arca_event_streams_open", "gauge", "Event streams open now.");
    lines.push(`arca_event_streams_open ${this.openEventStreams}`);
    family("arca_blob_bytes_in_total", "counter", "Bytes written to the blob store.");
    lines.push(`arca_blob_bytes_in_total ${this.blobBytesIn}`);
    family("arca_blob_bytes_out_total", "counter", "Bytes read from the blob store.");
    lines.push(`arca_blob_bytes_out_total ${this.blobBytesOut}`);
    renderStore(store, lines, family);
    return lines.join("\n") + "\n";
  }
}

function renderStore(
  store: StoreRuntimeStats,
  lines: string[],
  family: (name: string, type: string, help: string) => void,
): void {
  const single = (name: string, type: string, help: string, value: number | undefined) => {
    if (value === undefined) return;
    family(name, type, help);
    lines.push(`${name} ${value}`);
  };
  single("arca_store_queue_depth", "gauge", "Store calls queued or running.", store.queueDepth);
  const buckets = store.batchSizeBuckets;
  if (buckets !== undefined && store.writeBatches !== undefined) {
    const name = "arca_store_write_batch_size";
    family(name, "histogram", "Writes per store write batch (group commit).");
    for (const { le, count } of buckets) lines.push(`${name}_bucket{le="${le}"} ${count}`);
    lines.push(`${name}_bucket{le="+Inf"} ${store.writeBatches}`);
    lines.push(`${name}_sum ${store.batchedWrites ?? 0}`);
    lines.push(`${name}_count ${store.writeBatches}`);
  }
  single(
    "arca_record_cache_hits_total",
    "counter",
    "Record reads from the record cache.",
    store.recordCacheHits,
  );
  single(
    "arca_record_cache_misses_total",
    "counter",
    "Record reads the cache missed.",
    store.recordCacheMisses,
  );
  single(
    "arca_store_pool_connections",
    "gauge",
    "Connections of the store's pool.",
    store.poolSize,
  );
}

/** `name="value",...` with the format's escapes (backslash, double quote, newline). */
function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([name, value]) =>
      `${name}="${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`
    )
    .join(",");
}
