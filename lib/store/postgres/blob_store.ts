/**
 * A {@linkcode BlobStore} in PostgreSQL (`ARCA_BLOB_STORE=postgres`), so that a deployment of
 * many server instances needs nothing but its database. A blob is one row of `arca_blobs` and
 * its bytes are rows of `arca_blob_chunks` of at most {@linkcode BLOB_CHUNK_BYTES} each.
 *
 * - `put` streams: it buffers one chunk, inserts it (each insert commits on its own, so no
 *   transaction grows with the file) and reads on. The blob row says `complete = false` until
 *   the body has ended; only then does the blob become visible. A failed body deletes what was
 *   written; a writer that died leaves an incomplete blob that `removeAbandoned` deletes.
 * - `read` streams: each pull fetches one chunk (or the part of it a range needs), so memory
 *   stays at about one chunk per reader whatever the blob's size.
 * - Keys are unique (the primary key): a second `put` of a key fails with a
 *   {@linkcode ConflictError}, and blobs never change.
 *
 * The tables live in the schema of the connection's `search_path`; {@linkcode PostgresBlobStore.open}
 * creates them if missing (idempotent, under an advisory lock, so instances may start together).
 *
 * @module
 */
import postgres from "postgres";
import { ConflictError, ValidationError } from "../../errors.ts";
import { type BlobStore, type ByteRange, requireBlobKey, requireByteRange } from "../blob_store.ts";

/** Bytes per chunk row (1 MiB). */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

/** The schema of the blob tables (created by {@linkcode PostgresBlobStore.open}). */
export const POSTGRES_BLOBS_SQL = `
CREATE TABLE IF NOT EXISTS arca_blobs (
  key text PRIMARY KEY,
  size bigint NOT NULL DEFAULT 0,
  complete boolean NOT NULL DEFAULT false,
  started bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS arca_blob_chunks (
  key text NOT NULL REFERENCES arca_blobs(key) ON DELETE CASCADE,
  seq integer NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (key, seq)
);
`;

/** Options of {@linkcode PostgresBlobStore.open}. */
export interface PostgresBlobStoreOptions {
  /** Schema of the tables (created if missing; default `public`). */
  schema?: string;
  /** Connections in the blob store's own pool (default 4). */
  poolSize?: number;
  /** Bytes per chunk (default {@linkcode BLOB_CHUNK_BYTES}); smaller for tests. */
  chunkBytes?: number;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Blobs in PostgreSQL.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * import { PostgresBlobStore } from "./blob_store.ts";
 * const blobs = await PostgresBlobStore.open(Deno.env.get("DATABASE_URL")!);
 * await blobs.put("ab12", new Blob([new Uint8Array([1, 2, 3])]).stream());
 * console.log(await blobs.size("ab12")); // 3
 * await blobs.close();
 * ```
 */
export class PostgresBlobStore implements BlobStore {
  readonly #sql: postgres.Sql;
  readonly #chunkBytes: number;

  private constructor(sql: postgres.Sql, chunkBytes: number) {
    this.#sql = sql;
    this.#chunkBytes = chunkBytes;
  }

  /**
   * Connects to `url` (its own pool) and creates the blob tables if missing.
   *
   * @example
   * ```ts ignore
   * // Needs a PostgreSQL server (DATABASE_URL).
   * const blobs = await PostgresBlobStore.open(Deno.env.get("DATABASE_URL")!, { schema: "arca" });
   * ```
   */
  static async open(
    url: string,
    options: PostgresBlobStoreOptions = {},
  ): Promise<PostgresBlobStore> {
    const schema = options.schema ?? "public";
    if (!SCHEMA_PATTERN.test(schema)) {
      throw new ValidationError(`PostgreSQL schema must match ${SCHEMA_PATTERN}, got "${schema}"`);
    }
    const chunkBytes = options.chunkBytes ?? BLOB_CHUNK_BYTES;
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
      throw new ValidationError(`Blob chunk size must be a positive integer, got ${chunkBytes}`);
    }
    const sql = postgres(url, {
      max: options.poolSize ?? 4,
      onnotice: () => {},
      connection: { search_path: `${schema}, public` },
    });
    try {
      await sql.begin(async (tx) => {
        await tx.unsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`arca blobs ${schema}`]);
        await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await tx.unsafe(POSTGRES_BLOBS_SQL);
      });
    } catch (error) {
      await sql.end();
      throw error;
    }
    return new PostgresBlobStore(sql, chunkBytes);
  }

  /** Streams `body` into the new blob `key`; visible only once the body has ended. */
  async put(key: string, body: ReadableStream<Uint8Array>): Promise<number> {
    requireBlobKey(key);
    if (!(body instanceof ReadableStream)) {
      throw new ValidationError("Blob body must be a ReadableStream");
    }
    const claimed = await this.#sql.unsafe(
      `INSERT INTO arca_blobs (key, started) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [key, Date.now()],
    );
    if (claimed.count !== 1) {
      await body.cancel().catch(() => {});
      throw new ConflictError(`Blob "${key}" already exists`);
    }
    try {
      const size = await this.#writeChunks(key, body);
      await this.#sql.unsafe(`UPDATE arca_blobs SET size = $2, complete = true WHERE key = $1`, [
        key,
        size,
      ]);
      return size;
    } catch (error) {
      await this.#sql.unsafe(`DELETE FROM arca_blobs WHERE key = $1`, [key]).catch(() => {});
      throw error;
    }
  }

  async #writeChunks(key: string, body: ReadableStream<Uint8Array>): Promise<number> {
    const buffer = new Uint8Array(this.#chunkBytes);
    let filled = 0;
    let seq = 0;
    let size = 0;
    const flush = async () => {
      if (filled === 0) return;
      await this.#sql.unsafe(
        `INSERT INTO arca_blob_chunks (key, seq, bytes) VALUES ($1, $2, $3)`,
        [key, seq, buffer.subarray(0, filled)] as never,
      );
      seq++;
      filled = 0;
    };
    for await (const piece of body) {
      if (!(piece instanceof Uint8Array)) {
        throw new ValidationError("Blob chunks must be Uint8Array");
      }
      let offset = 0;
      while (offset < piece.length) {
        const take = Math.min(piece.length - offset, buffer.length - filled);
        buffer.set(piece.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled === buffer.length) await flush();
      }
      size += piece.length;
    }
    await flush();
    return size;
  }

  /** The size of a complete blob, or `undefined`. */
  async size(key: string): Promise<number | undefined> {
    requireBlobKey(key);
    const [row] = await this.#sql.unsafe(
      `SELECT size FROM arca_blobs WHERE key = $1 AND complete`,
      [key],
    );
    return row === undefined ? undefined : Number(row.size);
  }

  /** A stream of the blob's bytes (or of `range`), one chunk fetched per pull. */
  async read(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array> | undefined> {
    const size = await this.size(key);
    if (size === undefined) return undefined;
    const wanted = range ?? { start: 0, end: size };
    requireByteRange(wanted, size);
    const chunk = this.#chunkBytes;
    let position = wanted.start;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (position >= wanted.end) return controller.close();
        const seq = Math.floor(position / chunk);
        const from = position - seq * chunk;
        const length = Math.min(chunk - from, wanted.end - position);
        const [row] = await this.#sql.unsafe(
          `SELECT substring(bytes FROM $3 FOR $4) AS part FROM arca_blob_chunks
           WHERE key = $1 AND seq = $2`,
          [key, seq, from + 1, length],
        );
        const part = row?.part as Uint8Array | undefined;
        if (part === undefined || part.length !== length) {
          throw new Error(`Blob "${key}" ended before its recorded size`);
        }
        position += length;
        controller.enqueue(new Uint8Array(part));
      },
    }, { highWaterMark: 0 });
  }

  /** Deletes a blob (its chunks go with it); false when there was none. */
  async delete(key: string): Promise<boolean> {
    requireBlobKey(key);
    const deleted = await this.#sql.unsafe(`DELETE FROM arca_blobs WHERE key = $1`, [key]);
    return deleted.count === 1;
  }

  /** Deletes incomplete blobs whose writes started before `beforeMillis`; returns how many. */
  async removeAbandoned(beforeMillis: number): Promise<number> {
    if (!Number.isFinite(beforeMillis)) {
      throw new ValidationError("removeAbandoned needs a time in epoch milliseconds");
    }
    const removed = await this.#sql.unsafe(
      `DELETE FROM arca_blobs WHERE NOT complete AND started < $1`,
      [Math.floor(beforeMillis)],
    );
    return removed.count;
  }

  /** Closes the blob store's pool. */
  async close(): Promise<void> {
    await this.#sql.end();
  }
}
