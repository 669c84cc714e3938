/**
 * First-start setup: the default account, and registration tokens the operator configured or
 * that the server prints once.
 *
 * @module
 */
import { hashSecret, randomSecret } from "../crypto/secrets.ts";
import { randomUuid } from "../crypto/uuid.ts";
import type { AccountRow } from "../store/accounts.ts";
import type { RegistrationTokenRow } from "../store/registration_tokens.ts";
import type { Store } from "../store/store.ts";

/** Name of the account created on first start. */
export const DEFAULT_ACCOUNT_NAME = "default";

/**
 * Returns the first account, creating the default one when there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensureDefaultAccount } from "./_bootstrap.ts";
 * import { openDataDir } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { store } = await openDataDir(dataDir);
 * const account = await ensureDefaultAccount(store, Date.now() * 1000);
 * assert.equal((await ensureDefaultAccount(store, Date.now() * 1000)).accountId, account.accountId);
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function ensureDefaultAccount(store: Store, nowMicros: number): Promise<AccountRow> {
  return await store.transaction(async (tx) => {
    const [first] = await tx.accounts.list();
    if (first !== undefined) return first;
    const account = { accountId: randomUuid(), name: DEFAULT_ACCOUNT_NAME, created: nowMicros };
    await tx.accounts.create(account);
    return account;
  });
}

/**
 * Creates a registration token for the default account. `token` defaults to a fresh random one.
 * Returns the stored row and the token itself (only its hash is stored).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRegistrationToken, ensureDefaultAccount } from "./_bootstrap.ts";
 * import { openDataDir } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { store } = await openDataDir(dataDir);
 * const now = Date.now() * 1000;
 * await ensureDefaultAccount(store, now);
 * const { token, row } = await createRegistrationToken(store, { oneTime: true, name: "laptop" }, now);
 * assert.ok(token.length >= 43);
 * assert.equal(row.name, "laptop");
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function createRegistrationToken(
  store: Store,
  options: { oneTime: boolean; name: string; token?: string },
  nowMicros: number,
): Promise<{ row: RegistrationTokenRow; token: string }> {
  const account = await ensureDefaultAccount(store, nowMicros);
  const token = options.token ?? randomSecret(32);
  const row: RegistrationTokenRow = {
    tokenId: randomUuid(),
    tokenHash: await hashSecret(token),
    accountId: account.accountId,
    name: options.name,
    oneTime: options.oneTime,
    uses: 0,
    revoked: false,
    created: nowMicros,
  };
  await store.registrationTokens.create(row);
  return { row, token };
}

/** What {@linkcode bootstrapStore} did. */
export interface BootstrapResult {
  /** A reusable token generated on first start, to print once; `undefined` otherwise. */
  generatedToken: string | undefined;
  /** Whether the store had no account yet (this is its first start). */
  firstStart: boolean;
}

/**
 * Prepares a store for serving. On first start (no account yet) it creates the default account
 * and, unless `configuredToken` is given, a reusable registration token it returns to be
 * printed once. A `configuredToken` (`ARCA_REGISTRATION_TOKEN`) is stored as a reusable token
 * if its hash is not there yet (a token an admin revoked stays revoked).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bootstrapStore } from "./_bootstrap.ts";
 * import { openDataDir } from "./start_server.ts";
 * const dataDir = await Deno.makeTempDir();
 * const { store } = await openDataDir(dataDir);
 * const now = Date.now() * 1000;
 * const first = await bootstrapStore(store, { configuredToken: undefined }, now);
 * assert.equal(typeof first.generatedToken, "string"); // printed once
 * const again = await bootstrapStore(store, { configuredToken: undefined }, now);
 * assert.equal(again.generatedToken, undefined);
 * await store.close();
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function bootstrapStore(
  store: Store,
  options: { configuredToken: string | undefined },
  nowMicros: number,
): Promise<BootstrapResult> {
  // One transaction: server instances starting together on one database bootstrap it once.
  return await store.transaction(async (tx) => {
    const firstStart = (await tx.accounts.list()).length === 0;
    await ensureDefaultAccount(tx, nowMicros);
    const configured = options.configuredToken;
    if (configured !== undefined && configured !== "") {
      if (await tx.registrationTokens.findByHash(await hashSecret(configured)) === undefined) {
        await createRegistrationToken(
          tx,
          { oneTime: false, name: "ARCA_REGISTRATION_TOKEN", token: configured },
          nowMicros,
        );
      }
      return { generatedToken: undefined, firstStart };
    }
    if (!firstStart) return { generatedToken: undefined, firstStart };
    const { token } = await createRegistrationToken(
      tx,
      { oneTime: false, name: "first start" },
      nowMicros,
    );
    return { generatedToken: token, firstStart };
  });
}
