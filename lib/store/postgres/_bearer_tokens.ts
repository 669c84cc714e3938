/**
 * The PostgreSQL {@linkcode BearerTokenStore}.
 *
 * @module
 */
import type { BearerTokenRow, BearerTokenStore } from "../bearer_tokens.ts";
import type { PostgresSession } from "./_session.ts";

/**
 * Bearer tokens in the `bearer_tokens` table.
 *
 * @example
 * ```ts ignore
 * // Needs a PostgreSQL server (DATABASE_URL).
 * assert.equal(await store.bearerTokens.find("no-such-hash"), undefined);
 * ```
 */
export class PostgresBearerTokens implements BearerTokenStore {
  readonly #sql: PostgresSession;

  /** The bearer tokens of the session's store. */
  constructor(session: PostgresSession) {
    this.#sql = session;
  }

  /** Adds a token. */
  async create(token: BearerTokenRow): Promise<void> {
    await this.#sql.run(
      "INSERT INTO bearer_tokens (token_hash, client_id, expires) VALUES ($1, $2, $3)",
      token.tokenHash,
      token.clientId,
      token.expires,
    );
  }

  /** The token with this hash (expired or not), or `undefined`. */
  async find(tokenHash: string): Promise<BearerTokenRow | undefined> {
    const row = await this.#sql.row(
      "SELECT * FROM bearer_tokens WHERE token_hash = $1",
      tokenHash,
    );
    return row && {
      tokenHash: String(row.token_hash),
      clientId: String(row.client_id),
      expires: Number(row.expires),
    };
  }

  /** Deletes tokens with `expires <= nowMicros`; returns how many. */
  deleteExpired(nowMicros: number): Promise<number> {
    return this.#sql.run("DELETE FROM bearer_tokens WHERE expires <= $1", nowMicros);
  }

  /** Deletes every token of the client; returns how many. */
  deleteByClient(clientId: string): Promise<number> {
    return this.#sql.run("DELETE FROM bearer_tokens WHERE client_id = $1", clientId);
  }
}
