/**
 * A session's local cache: the user's {@linkcode CacheStore}, opened on first use with keys
 * derived from the session's private keys; the events cursor kept in it; and the purge that
 * events trigger (docs/cache.md, "Forgetting").
 *
 * @module
 */
import type { ClientContext } from "../context.ts";
import type { ContainerEvent } from "../containers/container_types.ts";
import { removeLocalFiles } from "../_local_files.ts";
import { CacheStore } from "./cache_store.ts";
import { partitionDir } from "./partition.ts";
import { CONTAINER_KIND } from "./cached_container.ts";

const CURSOR_KIND = "cursor";
const CURSOR_ID = "events";

/**
 * The cache of one logged-in user.
 *
 * @example
 * ```ts ignore
 * // Sessions make their own.
 * const cache = new SessionCache(rootDir, userId, () => connection.context(client));
 * const store = await cache.store();
 * ```
 */
export class SessionCache {
  readonly #rootDir: string;
  readonly #userId: string;
  readonly #context: () => Promise<ClientContext>;
  #store: Promise<CacheStore> | undefined;

  /**
   * The cache under `rootDir` of the session whose context `context` gives.
   *
   * @example
   * ```ts ignore
   * // Sessions make their own.
   * const cache = new SessionCache("./data", userId, () => connection.context(client));
   * ```
   */
  constructor(rootDir: string, userId: string, context: () => Promise<ClientContext>) {
    this.#rootDir = rootDir;
    this.#userId = userId;
    this.#context = context;
  }

  /**
   * The store, opened on first use.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session.
   * const stats = await (await session.cache.store()).stats();
   * ```
   */
  store(): Promise<CacheStore> {
    this.#store ??= this.#context().then((context) =>
      CacheStore.open(
        this.#rootDir,
        context.clientId,
        context.suite,
        context.encryptionKeys.privateKey,
        context.signingKeys?.privateKey,
      )
    );
    return this.#store;
  }

  /**
   * The last event id given to the user (0: none), kept sealed in the store.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session.
   * const last = await session.cache.read(session.userId);
   * ```
   */
  async read(_userId: string): Promise<number> {
    const entry = await (await this.store()).get<number>(CURSOR_KIND, CURSOR_ID)
      .catch(() => undefined); // A damaged cursor reads as 0: events are given again, not lost.
    return entry?.value ?? 0;
  }

  /**
   * Moves the cursor forward to `eventId`.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session.
   * await session.cache.advance(session.userId, 42);
   * ```
   */
  async advance(userId: string, eventId: number): Promise<void> {
    if (eventId <= await this.read(userId)) return;
    await (await this.store()).put(CURSOR_KIND, CURSOR_ID, eventId, null);
  }

  /**
   * Drops the cached copy of the container an event is about: any change (`added`, `updated`,
   * `deleted`: new content, lost access, an expiry) makes the copy stale or forbidden. Reads
   * (`accessed`) and key-file events change nothing.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session.
   * for (const event of events) await session.cache.forget(event);
   * ```
   */
  async forget(event: ContainerEvent): Promise<void> {
    if (event.type !== "container" || event.containerId === null) return;
    if (event.action === "accessed") return;
    await (await this.store()).delete(CONTAINER_KIND, event.containerId);
  }

  /**
   * Closes the database (the session logged out).
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session.
   * await session.cache.close();
   * ```
   */
  async close(): Promise<void> {
    const store = this.#store;
    this.#store = undefined;
    if (store !== undefined) (await store.catch(() => undefined))?.close();
  }

  /**
   * Erases the user's whole partition (key file included); no keys needed.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session.
   * await session.cache.purge();
   * ```
   */
  async purge(): Promise<void> {
    await this.close();
    await removeLocalFiles(partitionDir(this.#rootDir, this.#userId));
  }
}
