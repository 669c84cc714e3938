/**
 * What the containers API does on every call: the endpoint, sealing and uploading content,
 * opening the caller's key blob against its writer's registered keys, fetching sealed content,
 * and making `Container` values of the server's answers.
 *
 * @module
 */
import { join } from "node:path";
import { ConflictError, IntegrityError } from "../../errors.ts";
import { Access } from "../../protocol/access.ts";
import type { ClientContext } from "../context.ts";
import { Container, type ContainerInit } from "../container.ts";
import { ContainerContent } from "../container_content.ts";
import {
  type ContainerMetadata,
  type ContainerReply,
  type Endpoint,
  getContent,
  putContent,
} from "./_container_requests.ts";
import { sealContentInput, type SealedContent } from "./_container_writer.ts";
import { streamedContent } from "./_content.ts";
import type { ContentInput, CreateOptions, TransferProgress } from "./container_types.ts";
import type { ContainerSessionLink } from "./session_containers.ts";
import { type KeyScope, openContent, openKeyBlob } from "./_sealing.ts";
import { progressCounter } from "../_transfer_progress.ts";
import { pumpThrough, releaseSent, watchErrors } from "./_transfer.ts";

/**
 * The shared steps of one session's container calls.
 *
 * @example
 * ```ts ignore
 * // Made by SessionContainers.
 * const io = new ContainerIo(link);
 * const key = await io.containerKey(context, reply);
 * ```
 */
export class ContainerIo {
  readonly #link: ContainerSessionLink;

  /**
   * Steps over a session link.
   *
   * @example
   * ```ts ignore
   * // Made by SessionContainers.
   * const io = new ContainerIo(link);
   * ```
   */
  constructor(link: ContainerSessionLink) {
    this.#link = link;
  }

  /**
   * The endpoint of the calls (transport and `Arca-App-Name`).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * const reply = await getContainer(io.endpoint(context), id, true);
   * ```
   */
  endpoint(context: ClientContext): Endpoint {
    return { transport: context.transport, appName: this.#link.appName };
  }

  /**
   * Seals content for a version (inline when small; see `sealContentInput`), temporary files under `<rootDir>/arca/tmp`.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * const sealed = await io.sealContent(context, key, scope, "hello", {});
   * ```
   */
  async sealContent(
    context: ClientContext,
    key: Uint8Array,
    scope: KeyScope,
    input: ContentInput,
    options: { length?: number | undefined; onProgress?: CreateOptions["onProgress"] },
  ): Promise<SealedContent> {
    return await sealContentInput(context, key, scope, input, {
      length: options.length,
      onProgress: options.onProgress,
      tempDir: join(this.#link.rootDir, "arca", "tmp"),
    });
  }

  /**
   * Uploads streamed content of a version (nothing for inline content); a failing source is reported as itself.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * await io.upload(context, scope, sealed);
   * ```
   */
  async upload(context: ClientContext, scope: KeyScope, sealed: SealedContent): Promise<void> {
    if (sealed.upload === undefined) return;
    // A failure of the source (a short stream, a read error) is reported as itself, not as the
    // failed request it causes.
    let sourceError: unknown;
    // The sealed chunks are this upload's own: each is freed once fetch has taken it.
    const watched = watchErrors(releaseSent(sealed.upload()), (error) => sourceError = error);
    try {
      await putContent(this.endpoint(context), scope.containerId, scope.version, watched);
    } catch (error) {
      throw sourceError ?? error;
    }
  }

  /**
   * The container key of a reply, from the caller's key blob, checked against its writer's
   * registered signing key.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * const key = await io.containerKey(context, reply);
   * ```
   */
  async containerKey(context: ClientContext, reply: ContainerReply): Promise<Uint8Array> {
    const blob = reply.keyBlob!;
    const writerId = blob.writerId;
    const self = writerId === context.clientId;
    const signingKey = self ? context.signingKeys?.publicKey : await context.directory.signingKey(
      writerId,
    );
    if (signingKey === undefined) {
      throw new IntegrityError(`Key blob writer ${writerId} has no registered signing key`);
    }
    const publicKey = self
      ? context.encryptionKeys.publicKey
      : await context.directory.publicKey(writerId);
    return await openKeyBlob(
      context.suite,
      blob,
      { ...this.scope(reply), recipientId: context.clientId, writerId },
      context.encryptionKeys.privateKey,
      { publicKey, signingKey },
    );
  }

  /**
   * The container and version of a reply.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * const { containerId, version } = io.scope(reply);
   * ```
   */
  scope(reply: ContainerReply): KeyScope {
    return { containerId: reply.metadata.id, version: reply.metadata.version };
  }

  /**
   * The caller's own permission bits in a reply (0 when absent).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * const canDownload = (io.ownBits(context, reply) & 1) !== 0;
   * ```
   */
  ownBits(context: ClientContext, reply: ContainerReply): number {
    return reply.metadata.access.find((entry) => entry.userId === context.clientId)
      ?.permissions ?? 0;
  }

  /**
   * A `Container` value of a reply's metadata and the given parts.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * const container = io.container(context, reply.metadata, { header });
   * ```
   */
  container(
    context: ClientContext,
    metadata: ContainerMetadata,
    parts: Pick<ContainerInit, "header" | "content" | "sealed">,
  ): Container {
    return new Container({
      id: metadata.id,
      suite: context.suite.name,
      type: metadata.type,
      version: metadata.version,
      createdAt: metadata.createdAt,
      createdBy: metadata.createdBy,
      modifiedAt: metadata.modifiedAt,
      modifiedBy: metadata.modifiedBy,
      length: metadata.length,
      access: metadata.access.map((entry) =>
        new Access(entry.userId, { permissions: entry.permissions, expiration: entry.expiration })
      ),
      ...parts,
    });
  }

  /**
   * Fetches streamed content and opens it as it arrives (progress in sealed bytes).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * const plaintext = await io.openRemote(context, key, scope, size, undefined);
   * ```
   */
  async openRemote(
    context: ClientContext,
    key: Uint8Array,
    scope: KeyScope,
    size: number,
    onProgress: ((progress: TransferProgress) => void) | undefined,
  ): Promise<ReadableStream<Uint8Array>> {
    const sealed = await this.fetchSealed(context, scope);
    const opener = await openContent(context.suite, key, scope);
    const count = progressCounter("download", size, onProgress);
    return pumpThrough(sealed, opener, (chunk) => count(chunk.length));
  }

  /**
   * The sealed content stream of a version; `ConflictError` when another version is current.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server and a session's ContainerIo.
   * const sealed = await io.fetchSealed(context, scope);
   * ```
   */
  async fetchSealed(context: ClientContext, scope: KeyScope): Promise<ReadableStream<Uint8Array>> {
    const fetched = await getContent(this.endpoint(context), scope.containerId);
    if (fetched.version !== scope.version) {
      await fetched.body.cancel();
      throw new ConflictError(
        `Container ${scope.containerId} changed while it was read (version ${fetched.version}, ` +
          `expected ${scope.version}): get it again`,
      );
    }
    return fetched.body;
  }

  /**
   * The container just written, without fetching it back. An uploaded version became current
   * only with its upload, after the answer describing the container was sent.
   */
  written(
    context: ClientContext,
    reply: ContainerReply,
    key: Uint8Array,
    scope: KeyScope,
    header: unknown,
    sealed: SealedContent,
  ): Container {
    const content = sealed.plaintext !== undefined
      ? new ContainerContent(sealed.plaintext)
      : streamedContent(
        sealed.length,
        () => this.openRemote(context, key, scope, sealed.size, undefined),
      );
    const metadata = { ...reply.metadata, version: scope.version, length: sealed.length };
    return this.container(context, metadata, { header: header ?? null, content });
  }
}
