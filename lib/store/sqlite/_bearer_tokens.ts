/**
 * The SQLite {@linkcode BearerTokenStore}.
 *
 * @module
 */
import type { BearerTokenRow, BearerTokenStore } from "../bearer_tokens.ts";
import type { SqliteSession } from "./_session.ts";

/**
 * Bearer tokens in the `bearer_tokens` table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SqliteBearerTokens } from "./_bearer_tokens.ts";
 * import { openSqliteStore } from "./store.ts";
 * const store = await openSqliteStore(":memory:");
 * assert.ok(store.bearerTokens instanceof SqliteBearerTokens);
 * await store.close();
 * ```
 */
export class SqliteBearerTokens implements BearerTokenStore {
  readonly #sql: SqliteSession;

  /** The bearer tokens of the session's store. */
  constructor(session: SqliteSession) {
    this.#sql = session;
  }

  /** Adds a token. */
  create(token: BearerTokenRow): Promise<void> {
    return this.#sql.exec(() => {
      this.#sql.run(
        "INSERT INTO bearer_tokens (token_hash, client_id, expires) VALUES (?, ?, ?)",
        token.tokenHash,
        token.clientId,
        token.expires,
      );
    });
  }

  /** The token with this hash (expired or not), or `undefined`. */
  find(tokenHash: string): Promise<BearerTokenRow | undefined> {
    return this.#sql.exec(() => {
      const row = this.#sql.get("SELECT * FROM bearer_tokens WHERE token_hash = ?", tokenHash);
      return row && {
        tokenHash: String(row.token_hash),
        clientId: String(row.client_id),
        expires: Number(row.expires),
      };
    });
  }

  /** Deletes tokens with `expires <= nowMicros`; returns how many. */
  deleteExpired(nowMicros: number): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM bearer_tokens WHERE expires <= ?", nowMicros)
    );
  }

  /** Deletes every token of the client; returns how many. */
  deleteByClient(clientId: string): Promise<number> {
    return this.#sql.exec(() =>
      this.#sql.run("DELETE FROM bearer_tokens WHERE client_id = ?", clientId)
    );
  }
}
