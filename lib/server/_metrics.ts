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

/** The counters of one route pattern and method. */
interface RouteSeries {
  /** `method="…",route="…"`, escaped. */
  labels: string;
  /** Requests answered, by status. */
  statuses: Map<number, number>;
  histogram: Histogram;
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
  /** By route pattern, then method. */
  readonly #routes = new Map<string, Map<string, RouteSeries>>();
  /** Event streams open now. */
  openEventStreams = 0;
  /** File and container bytes written to the blob store. */
  blobBytesIn = 0;
  /** File and container bytes read from the blob store. */
  blobBytesOut = 0;

  /** Counts one answered request and its duration (no allocation once its series exist). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const series = this.#series(KNOWN_METHODS.has(method) ? method : "OTHER", route);
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
    const histogram = series.histogram;
    for (let i = 0; i < LATENCY_BOUNDS_SECONDS.length; i++) {
      if (seconds <= LATENCY_BOUNDS_SECONDS[i]!) histogram.buckets[i]!++;
    }
    histogram.sum += seconds;
    histogram.count++;
  }

  #series(method: string, route: string): RouteSeries {
    let byMethod = this.#routes.get(route);
    if (byMethod === undefined) this.#routes.set(route, byMethod = new Map());
    let series = byMethod.get(method);
    if (series === undefined) {
      series = {
        labels: labelText({ method, route }),
        statuses: new Map(),
        histogram: { buckets: LATENCY_BOUNDS_SECONDS.map(() => 0), sum: 0, count: 0 },
      };
      byMethod.set(method, series);
    }
    return series;
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
    const series = [...this.#routes.values()].flatMap((byMethod) => [...byMethod.values()]);
    for (const { labels, statuses } of series) {
      for (const [status, count] of statuses) {
        lines.push(`arca_http_requests_total{${labels},status="${status}"} ${count}`);
      }
    }
    const latency = "arca_http_request_duration_seconds";
    family(latency, "histogram", "Time to answer a request (to the response head), in seconds.");
    for (const { labels, histogram } of series) {
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
