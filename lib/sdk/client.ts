/**
 * The Arca client: encrypted records, queries, sharing and authorizers against an
 * E3DB-compatible server. Data is encrypted before it leaves and decrypted when it returns; the
 * server only ever holds ciphertext and boxed keys.
 *
 * @module
 */
import { parseUuid } from "../protocol/ids.ts";
import {
  addAuthorizer,
  type AuthorizerGrant,
  authorizerProxies,
  authorizersGranted,
  removeAuthorizer,
  revokeOnBehalfOf,
  shareOnBehalfOf,
} from "./authorizers.ts";
import { backupCredentials } from "./backup.ts";
import type { ClientInfo } from "./client_directory.ts";
import { ClientConnection, connection } from "./client_connection.ts";
import {
  type FileDestination,
  type FileSource,
  type FileTransferOptions,
  readFile,
  writeFile,
} from "./files.ts";
import {
  deleteNote,
  type Note,
  type NoteOptions,
  type NoteReadOptions,
  readNote,
  readNoteByName,
  replaceNote,
  writeNote,
} from "./notes.ts";
import { type QueryOptions, QueryResults } from "./query.ts";
import type { ArcaRecord } from "./record.ts";
import {
  deleteRecord,
  readRecord,
  type RecordUpdate,
  updateRecord,
  type WriteOptions,
  writeRecord,
} from "./records.ts";
import type { Search } from "./search.ts";
import { runSearch, type SearchResult } from "./search_result.ts";
import {
  type IncomingShare,
  incomingShares,
  type OutgoingShare,
  outgoingShares,
  revokeType,
  shareType,
} from "./sharing.ts";

/**
 * A registered client, made from its {@linkcode Config}.
 *
 * @example Writing, reading and sharing a record
 * ```ts ignore
 * // Needs a credential file under ~/.tozny and a running Arca server.
 * import { Client, Config } from "@arca/arca";
 * const client = new Client(await Config.load());
 * const record = await client.write("contact", { name: "Jon" }, { house: "Stark" });
 * const again = await client.read(record.meta.recordId);
 * console.log(again.data.name); // "Jon"
 * await client.share("contact", "0e8eb8c6-839f-46ca-9843-801c539e490f");
 * ```
 */
export class Client extends ClientConnection {
  /**
   * Encrypts and writes a record. Signed (`rec_sig`) by default when the client has signing
   * keys.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const record = await client.write("contact", { name: "Jon" }, { house: "Stark" });
   * ```
   */
  async write(
    type: string,
    data: Record<string, string>,
    plain: Record<string, string> = {},
    options: WriteOptions = {},
  ): Promise<ArcaRecord> {
    return await writeRecord(await connection.context(this), type, data, plain, options);
  }

  /**
   * Reads and decrypts a record; verifies its signature when it has one
   * ({@linkcode IntegrityError} otherwise). {@linkcode ForbiddenError} when it is not shared
   * with this client (also after a revoke).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const record = await client.read(recordId);
   * ```
   */
  async read(recordId: string): Promise<ArcaRecord> {
    return await readRecord(await connection.context(this), recordId);
  }

  /**
   * Replaces a record's plain metadata and data if its version is still current
   * ({@linkcode ConflictError} otherwise); returns it with its new version.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const updated = await client.update({ ...record, data: { name: "Jon Snow" } });
   * ```
   */
  async update(record: RecordUpdate, options: WriteOptions = {}): Promise<ArcaRecord> {
    return await updateRecord(await connection.context(this), record, options);
  }

  /**
   * Deletes a record if `version` is still current ({@linkcode ConflictError} otherwise).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.delete(record.meta.recordId, record.meta.version);
   * ```
   */
  async delete(recordId: string, version: string): Promise<void> {
    await deleteRecord(await connection.context(this), recordId, version);
  }

  /**
   * Encrypts a file (a path or a stream) into the v3 format as it uploads it, and stores it
   * as a file record of `type`; nothing is held whole in memory. `onProgress` reports the
   * plaintext bytes sent. Delete it like any record (its bytes go with it).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const record = await client.writeFile("documents", "./report.pdf", { name: "report.pdf" });
   * console.log(record.meta.fileMeta?.size);
   * ```
   */
  async writeFile(
    type: string,
    source: FileSource,
    plain: Record<string, string> = {},
    options: FileTransferOptions = {},
  ): Promise<ArcaRecord> {
    return await writeFile(
      await connection.context(this),
      type,
      source,
      plain,
      options,
      connection.fetch(this),
    );
  }

  /**
   * Downloads a file record's bytes, checks their size and MD5, decrypts them and writes the
   * plaintext to a path (written under a temporary name, renamed when complete) or a stream.
   * A failed check is an {@linkcode IntegrityError}; an unshared or revoked file a
   * {@linkcode ForbiddenError}.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.readFile(record.meta.recordId, "./report-copy.pdf");
   * ```
   */
  async readFile(
    recordId: string,
    destination: FileDestination,
    options: FileTransferOptions = {},
  ): Promise<ArcaRecord> {
    return await readFile(
      await connection.context(this),
      recordId,
      destination,
      options,
      connection.fetch(this),
    );
  }

  /**
   * Searches records (the v1 query). Iterate pages with `for await`, records with
   * `.records()`, or gather them with `.collect(limit?)`.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const contacts = await client.query({
   *   types: ["contact"],
   *   plain: { eq: { name: "house", value: "Stark" } },
   * }).collect();
   * ```
   */
  query(options: QueryOptions = {}): QueryResults {
    return new QueryResults(() => connection.context(this), options);
  }

  /**
   * Runs a v2 search (boolean clauses, four matching strategies, time ranges). Resolves to the
   * first page; `for await` over the result yields every page.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * import { Search } from "@arca/arca";
   * const result = await client.search(
   *   new Search().match({ strategy: "FUZZY", values: ["bummer"] }).range({ start: "2026-01-01" }),
   * );
   * console.log(result.totalResults, result.records.map((r) => r.meta.plain));
   * ```
   */
  async search(search: Search): Promise<SearchResult> {
    return await runSearch(await connection.context(this), search);
  }

  /**
   * Shares this client's records of `type` with `readerId`.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.share("contact", readerId);
   * ```
   */
  async share(type: string, readerId: string): Promise<void> {
    await shareType(await connection.context(this), type, readerId);
  }

  /**
   * Stops sharing this client's records of `type` with `readerId`.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.revoke("contact", readerId);
   * ```
   */
  async revoke(type: string, readerId: string): Promise<void> {
    await revokeType(await connection.context(this), type, readerId);
  }

  /**
   * The types this client shares, and with whom.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for (const s of await client.outgoingSharing()) console.log(s.recordType, s.readerName);
   * ```
   */
  async outgoingSharing(): Promise<OutgoingShare[]> {
    return await outgoingShares(await connection.context(this));
  }

  /**
   * The types other writers share with this client.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for (const s of await client.incomingSharing()) console.log(s.recordType, s.writerName);
   * ```
   */
  async incomingSharing(): Promise<IncomingShare[]> {
    return await incomingShares(await connection.context(this));
  }

  /**
   * Lets `authorizerId` share this client's records of `type` on its behalf.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.addAuthorizer(authorizerId, "contact");
   * ```
   */
  async addAuthorizer(authorizerId: string, type: string): Promise<void> {
    await addAuthorizer(await connection.context(this), authorizerId, type);
  }

  /**
   * Removes an authorizer for `type`, or for every type when `type` is omitted.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.removeAuthorizer(authorizerId);
   * ```
   */
  async removeAuthorizer(authorizerId: string, type?: string): Promise<void> {
    await removeAuthorizer(await connection.context(this), authorizerId, type);
  }

  /**
   * The authorizers this client has granted (E3DB "proxies").
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const grants = await client.proxies();
   * ```
   */
  async proxies(): Promise<AuthorizerGrant[]> {
    return await authorizerProxies(await connection.context(this));
  }

  /**
   * The writers that made this client an authorizer (E3DB "granted").
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for (const g of await client.authorizersGranted()) console.log(g.writerId, g.recordType);
   * ```
   */
  async authorizersGranted(): Promise<AuthorizerGrant[]> {
    return await authorizersGranted(await connection.context(this));
  }

  /**
   * As an authorizer, shares `writerId`'s records of `type` with `readerId`.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.shareOnBehalfOf(writerId, "contact", readerId);
   * ```
   */
  async shareOnBehalfOf(writerId: string, type: string, readerId: string): Promise<void> {
    await shareOnBehalfOf(await connection.context(this), writerId, type, readerId);
  }

  /**
   * As an authorizer, stops sharing `writerId`'s records of `type` with `readerId`.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.revokeOnBehalfOf(writerId, "contact", readerId);
   * ```
   */
  async revokeOnBehalfOf(writerId: string, type: string, readerId: string): Promise<void> {
    await revokeOnBehalfOf(await connection.context(this), writerId, type, readerId);
  }

  /**
   * A client's public keys (`GET /v1/storage/clients/{id}`).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const info = await client.clientInfo(otherId);
   * console.log(info.publicKeyType); // "curve25519"
   * ```
   */
  async clientInfo(clientId: string): Promise<ClientInfo> {
    const id = parseUuid(clientId, "Client id");
    return await (await connection.context(this)).directory.info(id);
  }

  /**
   * Backs up this client's credentials for `backupClientId` (E3DB's credential backup).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.backup(registration.backupClientId!, registrationToken);
   * ```
   */
  async backup(backupClientId: string, registrationToken: string): Promise<void> {
    await backupCredentials(await connection.context(this), backupClientId, registrationToken);
  }

  /**
   * Encrypts, signs and writes a note for the holder of the recipient's keys (wire text).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const note = await client.writeNote({ secret: "hi" }, bobPublicKey, bobSigningKey, {
   *   maxViews: 1,
   * });
   * ```
   */
  async writeNote(
    data: Record<string, string>,
    recipientEncryptionKey: string,
    recipientSigningKey: string,
    options: NoteOptions = {},
  ): Promise<Note> {
    const party = await connection.noteParty(this);
    return await writeNote(party, data, recipientEncryptionKey, recipientSigningKey, options);
  }

  /**
   * Replaces this client's note named `options.idString` in one step (or creates it).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.replaceNote({ v: "2" }, bobPublicKey, bobSigningKey, { idString: "doc" });
   * ```
   */
  async replaceNote(
    data: Record<string, string>,
    recipientEncryptionKey: string,
    recipientSigningKey: string,
    options: NoteOptions & { idString: string },
  ): Promise<Note> {
    const party = await connection.noteParty(this);
    return await replaceNote(party, data, recipientEncryptionKey, recipientSigningKey, options);
  }

  /**
   * Reads a note sent to this client's keys (counting one view), verifying every signature.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const note = await client.readNote(noteId);
   * console.log(note.data);
   * ```
   */
  async readNote(noteId: string, options: NoteReadOptions = {}): Promise<Note> {
    return await readNote(await connection.noteParty(this), noteId, options);
  }

  /**
   * Reads a note by name (`id_string`), verifying every signature.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const note = await client.readNoteByName("drop-42");
   * ```
   */
  async readNoteByName(name: string, options: NoteReadOptions = {}): Promise<Note> {
    return await readNoteByName(await connection.noteParty(this), name, options);
  }

  /**
   * Deletes a note this client wrote or received.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await client.deleteNote(noteId);
   * ```
   */
  async deleteNote(noteId: string): Promise<void> {
    await deleteNote(await connection.noteParty(this), noteId);
  }
}
