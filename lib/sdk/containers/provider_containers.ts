/**
 * `session.containers` with the application's provider (docs/cache.md, "Providers"):
 * `"server"` is {@linkcode SessionContainers} as it is; `"server_cache_ofs"` reads the local
 * cache first (then the server, filling the cache) and writes to the server, then the cache;
 * `"ofs"` keeps containers only in the local cache, with no server at all.
 *
 * @module
 */
import { IntegrityError, NotFoundError, ValidationError } from "../../errors.ts";
import { Access } from "../../protocol/access.ts";
import { parseUuid } from "../../protocol/ids.ts";
import { Container } from "../container.ts";
import { ContainerContent } from "../container_content.ts";
import type { Provider } from "../users/app_options.ts";
import type { CacheStore } from "../cache/cache_store.ts";
import {
  accessEnded,
  type CachedContainer,
  cachedContainer,
  CONTAINER_KIND,
  containerOfRow,
  servesPortion,
} from "../cache/cached_container.ts";
import type { SessionCache } from "../cache/session_cache.ts";
import { accessGrants } from "./_access_input.ts";
import type {
  ContainerEvent,
  ContainerPage,
  ContentInput,
  CreateOptions,
  EventFilter,
  GetOptions,
  ListOptions,
  Portion,
  UpdateOptions,
} from "./container_types.ts";
import { PORTIONS } from "./container_types.ts";
import {
  checkedContent,
  checkedHeader,
  checkedObject,
  checkedType,
  type ContainerSessionLink,
  SessionContainers,
} from "./session_containers.ts";

/** What the provider needs beside the session link. */
export interface ProviderLink {
  /** The application's provider. */
  provider: Provider;
  /** The session's local cache. */
  cache: SessionCache;
  /** Milliseconds since the epoch (injectable for expiry tests). */
  now: () => number;
}

const OFFLINE_EVENTS = "The ofs provider has no server, so there are no events";

/**
 * The containers API of a session, through its provider.
 *
 * @example
 * ```ts ignore
 * // Needs a logged-in session (provider "ofs" needs no server).
 * const made = await session.containers.create("kept locally", { type: "memo" });
 * const again = await session.containers.get(made.id);
 * const fresh = await session.containers.get(made.id, { forceRefresh: true });
 * ```
 */
export class ProviderContainers extends SessionContainers {
  readonly #session: ContainerSessionLink;
  readonly #local: ProviderLink;

  /**
   * The containers API over a session and its provider (sessions make it).
   *
   * @example
   * ```ts ignore
   * // Sessions make their own.
   * const containers = new ProviderContainers(link, { provider: "ofs", cache, now: Date.now });
   * ```
   */
  constructor(link: ContainerSessionLink, local: ProviderLink) {
    super(link);
    this.#session = link;
    this.#local = local;
  }

  /**
   * Creates a container: on the server (then in the cache, `server_cache_ofs`), or only in
   * the cache (`ofs`). See {@linkcode SessionContainers.create}.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session (a running Arca server unless the provider is ofs).
   * const made = await session.containers.create("hello", { type: "memo" });
   * ```
   */
  override async create(content: ContentInput, options?: CreateOptions): Promise<Container> {
    if (this.#local.provider === "server") return await super.create(content, options);
    if (this.#local.provider === "ofs") return await this.#createLocal(content, options);
    return await this.#keep(await super.create(content, options), false);
  }

  /**
   * A container: from the cache first (`server_cache_ofs` unless `forceRefresh`; always for
   * `ofs`), else from the server, filling the cache. A cached copy whose access ended is purged
   * and never served. A damaged cached copy is an `IntegrityError` (`ofs`) or dropped and
   * fetched again (`server_cache_ofs`).
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session (a running Arca server unless the provider is ofs).
   * const fresh = await session.containers.get(id, { forceRefresh: true });
   * ```
   */
  override async get(id: string, options?: GetOptions): Promise<Container> {
    const provider = this.#local.provider;
    const checked = checkedObject(options, "Get options");
    if (provider === "server" || checked.decrypt === false) {
      if (provider === "ofs") {
        throw new ValidationError("The ofs provider keeps containers opened: decrypt: false");
      }
      return await super.get(id, options);
    }
    const containerId = parseUuid(id, "Container id");
    const portion = checked.portion ?? "all";
    if (!PORTIONS.includes(portion)) {
      throw new ValidationError(`portion must be one of ${PORTIONS.join(", ")}`);
    }
    if (provider === "ofs" || checked.forceRefresh !== true) {
      const cached = await this.#cached(containerId, portion);
      if (cached !== undefined) return cached;
      if (provider === "ofs") throw new NotFoundError(`No container ${containerId} in the cache`);
    }
    const fetched = await this.#droppedOnRefusal(containerId, super.get(containerId, options));
    return portion === "all" ? await this.#keep(fetched) : fetched;
  }

  /**
   * Changes a container on the server, then the cache (`server_cache_ofs`), or only in the
   * cache (`ofs`). See {@linkcode SessionContainers.update}.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session (a running Arca server unless the provider is ofs).
   * await session.containers.update(id, { content: "new" });
   * ```
   */
  override async update(id: string, options: UpdateOptions): Promise<Container> {
    if (this.#local.provider === "server") return await super.update(id, options);
    if (this.#local.provider === "ofs") return await this.#updateLocal(id, options);
    const containerId = parseUuid(id, "Container id");
    const updated = await this.#droppedOnRefusal(containerId, super.update(containerId, options));
    if (updated.content !== null) return await this.#keep(updated, false);
    await (await this.#store()).delete(CONTAINER_KIND, containerId); // Stale: read it again.
    return updated;
  }

  /**
   * Removes the caller's access on the server and the cached copy (`ofs`: the copy only).
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session (a running Arca server unless the provider is ofs).
   * await session.containers.delete(id);
   * ```
   */
  override async delete(id: string): Promise<void> {
    const containerId = parseUuid(id, "Container id");
    if (this.#local.provider === "server") return await super.delete(containerId);
    if (this.#local.provider === "ofs") {
      if (!await (await this.#store()).delete(CONTAINER_KIND, containerId)) {
        throw new NotFoundError(`No container ${containerId} in the cache`);
      }
      return;
    }
    await this.#droppedOnRefusal(containerId, super.delete(containerId));
    await (await this.#store()).delete(CONTAINER_KIND, containerId);
  }

  /**
   * One page of containers: the server's, or (`ofs`) the cache's, ordered by id.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session (a running Arca server unless the provider is ofs).
   * const { containers, next } = await session.containers.list({ type: "memo" });
   * ```
   */
  override async list(options?: ListOptions): Promise<ContainerPage> {
    if (this.#local.provider !== "ofs") return await super.list(options);
    const checked = checkedObject(options, "List options");
    const type = checkedType(checked.type);
    const limit = checked.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
      throw new ValidationError("limit must be an integer from 1 to 1000");
    }
    const after = checked.after === undefined ? "" : parseUuid(checked.after, "after");
    const rows = (await (await this.#store()).list<CachedContainer>(CONTAINER_KIND))
      .map((row) => row.value)
      .filter((row) => row.id > after && (type === undefined || row.type === type))
      .sort((a, b) => a.id < b.id ? -1 : 1);
    const page = rows.slice(0, limit);
    return {
      containers: page.map((row) => containerOfRow(row, null, "metadata")),
      next: rows.length > limit ? page.at(-1)!.id : null,
    };
  }

  /**
   * The caller's new events (see {@linkcode SessionContainers.getEvents}); with
   * `server_cache_ofs`, the cached copy of every container they show changed is purged.
   *
   * @example
   * ```ts ignore
   * // Needs a logged-in session (a running Arca server unless the provider is ofs).
   * const events = await session.containers.getEvents(); // purges what changed
   * ```
   */
  override async getEvents(filter?: EventFilter): Promise<ContainerEvent[]> {
    if (this.#local.provider === "ofs") throw new ValidationError(OFFLINE_EVENTS);
    const events = await super.getEvents(filter);
    if (this.#local.provider === "server_cache_ofs") {
      for (const event of events) await this.#local.cache.forget(event);
    }
    return events;
  }

  /** Awaits a server call; a `NotFoundError` (no access, or no container) drops the copy. */
  async #droppedOnRefusal<T>(containerId: string, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof NotFoundError) {
        await (await this.#store()).delete(CONTAINER_KIND, containerId);
      }
      throw error;
    }
  }

  async #store(): Promise<CacheStore> {
    return await this.#local.cache.store();
  }

  /** The cached container, or `undefined` (a damaged row is dropped unless provider is ofs). */
  async #cached(id: string, portion: Portion): Promise<Container | undefined> {
    const store = await this.#store();
    let entry;
    try {
      entry = await store.get<CachedContainer>(CONTAINER_KIND, id);
    } catch (error) {
      if (!(error instanceof IntegrityError) || this.#local.provider === "ofs") throw error;
      await store.delete(CONTAINER_KIND, id);
      return undefined;
    }
    if (entry === undefined) return undefined;
    const userId = (await this.#session.context()).clientId;
    if (accessEnded(entry.value, userId, this.#local.now())) {
      await store.delete(CONTAINER_KIND, id);
      return undefined;
    }
    if (!servesPortion(entry.value, portion)) return undefined;
    return containerOfRow(entry.value, entry.part, portion);
  }

  /** Stores a container just read or written; returns it (its content read into memory). */
  async #keep(container: Container, readStreams = true): Promise<Container> {
    const { row, part } = await cachedContainer(container, readStreams);
    await (await this.#store()).put(CONTAINER_KIND, row.id, row, part);
    return container;
  }

  async #createLocal(content: ContentInput, options?: CreateOptions): Promise<Container> {
    const checked = checkedObject(options, "Create options");
    const bytes = await new ContainerContent(checkedContent(content)).bytes();
    const context = await this.#session.context();
    const self = context.clientId;
    const grants = checked.access === undefined
      ? [new Access(self, { permissions: 127 })]
      : accessGrants(checked.access).map((grant) => new Access(grant.userId, grant));
    const now = new Date(this.#local.now());
    return await this.#keep(
      new Container({
        suite: context.suite.name,
        type: checkedType(checked.type) ?? null,
        createdAt: now,
        createdBy: self,
        modifiedAt: now,
        modifiedBy: self,
        access: grants,
        header: checkedHeader(checked.header) ?? null,
        content: bytes,
      }),
    );
  }

  async #updateLocal(id: string, options: UpdateOptions): Promise<Container> {
    const containerId = parseUuid(id, "Container id");
    const checked = checkedObject(options, "Update options");
    const type = checkedType(checked.type);
    const header = checkedHeader(checked.header);
    const content = checked.content === undefined
      ? undefined
      : await new ContainerContent(checkedContent(checked.content)).bytes();
    const access = checked.access === undefined ? undefined : accessGrants(checked.access);
    if ([type, header, content, access].every((value) => value === undefined)) {
      throw new ValidationError("update needs at least one of access, content, header, type");
    }
    const current = await this.#cached(containerId, "all");
    if (current === undefined) throw new NotFoundError(`No container ${containerId} in the cache`);
    const rekeyed = header !== undefined || content !== undefined;
    const context = await this.#session.context();
    return await this.#keep(
      new Container({
        ...current,
        id: current.id,
        type: type ?? current.type,
        version: current.version + (rekeyed ? 1 : 0),
        modifiedAt: new Date(this.#local.now()),
        modifiedBy: context.clientId,
        access: access?.map((grant) => new Access(grant.userId, grant)) ?? current.access,
        header: header !== undefined ? header : current.header,
        content: content ?? current.content,
        length: content?.length ?? current.length,
        sealed: null,
      }),
    );
  }
}
