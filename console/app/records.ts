/**
 * The records tab: list and search (by type and by one clear metadata field, own records and
 * those shared with the user), read one into the editor, write a new one, update or delete the
 * one open. Data is encrypted and decrypted by the SDK in this page; only ciphertext and the
 * clear `type` and plain metadata reach the server.
 *
 * @module
 */
import type { ArcaRecord, QueryOptions } from "../../mod.ts";
import {
  byId,
  el,
  field,
  fieldsText,
  parseFields,
  replaceChildren,
  setField,
  when,
} from "./dom.ts";
import { run } from "./messages.ts";
import type { ConsoleSession } from "./session.ts";

/** Records shown per search. */
const PAGE_SIZE = 100;

/** The records tab of one session. */
export class RecordsTab {
  readonly #session: ConsoleSession;
  readonly #search = byId("record-search", HTMLFormElement);
  readonly #editor = byId("record-editor", HTMLFormElement);
  readonly #list = byId("record-list", HTMLTableElement);
  readonly #update = byId("record-update", HTMLButtonElement);
  readonly #delete = byId("record-delete", HTMLButtonElement);
  /** The record open in the editor. */
  #open: ArcaRecord | undefined;

  /** Wires the tab's forms and buttons to `session`. */
  constructor(session: ConsoleSession, signal: AbortSignal) {
    this.#session = session;
    const on = { signal };
    this.#search.addEventListener("submit", (event) => {
      event.preventDefault();
      void run("Searching", () => this.refresh(), this.#search.querySelector("button"));
    }, on);
    this.#editor.addEventListener("submit", (event) => {
      event.preventDefault();
      void run("Encrypting and writing", () => this.#write(), this.#editor.querySelector("button"));
    }, on);
    this.#update.addEventListener("click", () => {
      void run("Encrypting and updating", () => this.#saveOpen(), this.#update);
    }, on);
    this.#delete.addEventListener("click", () => {
      void run("Deleting", () => this.#deleteOpen(), this.#delete);
    }, on);
    byId("record-clear", HTMLButtonElement).addEventListener("click", () => this.#edit(), on);
  }

  /** Runs the search form's query and shows the records found. */
  async refresh(): Promise<string> {
    const records = await this.#query();
    const rows = records.map((record) => this.#row(record));
    replaceChildren(this.#list.tBodies[0]!, ...rows);
    return `${records.length} record${records.length === 1 ? "" : "s"}.`;
  }

  async #query(): Promise<ArcaRecord[]> {
    const type = field(this.#search, "type");
    const plainName = field(this.#search, "plainName");
    const options: QueryOptions = {
      includeData: false,
      pageSize: PAGE_SIZE,
      allWriters: new FormData(this.#search).get("shared") === "on",
      ...(type === "" ? {} : { types: [type] }),
      ...(plainName === ""
        ? {}
        : { plain: { eq: { name: plainName, value: field(this.#search, "plainValue") } } }),
    };
    for await (const page of this.#session.client.query(options)) return page.records;
    return [];
  }

  #row(record: ArcaRecord): HTMLTableRowElement {
    const open = el("button", { type: "button", class: "link" }, record.meta.recordId);
    open.addEventListener("click", () => {
      void run("Reading and decrypting", () => this.#read(record.meta.recordId), open);
    });
    return el(
      "tr",
      { "data-record-id": record.meta.recordId },
      el("td", {}, record.meta.type),
      el("td", {}, open),
      el("td", {}, el("code", {}, record.meta.writerId)),
      el("td", {}, fieldsText(record.meta.plain)),
      el("td", {}, when(record.meta.lastModified)),
    );
  }

  async #read(recordId: string): Promise<string> {
    const record = await this.#session.client.read(recordId);
    this.#edit(record);
    return `Record ${recordId} decrypted in this page.`;
  }

  /** Shows `record` in the editor (or clears it for a new one). */
  #edit(record?: ArcaRecord): void {
    this.#open = record;
    const own = record !== undefined && record.meta.writerId === this.#session.client.clientId;
    byId("record-editor-title", HTMLHeadingElement).textContent = record === undefined
      ? "New record"
      : `Record ${record.meta.recordId}${own ? "" : " (shared with you, read only)"}`;
    setField(this.#editor, "recordId", record?.meta.recordId ?? "");
    setField(this.#editor, "version", record?.meta.version ?? "");
    setField(this.#editor, "type", record?.meta.type ?? "");
    setField(this.#editor, "data", record === undefined ? "" : fieldsText(record.data));
    setField(this.#editor, "plain", record === undefined ? "" : fieldsText(record.meta.plain));
    this.#update.disabled = !own;
    this.#delete.disabled = !own;
  }

  async #write(): Promise<string> {
    const record = await this.#session.client.write(
      field(this.#editor, "type"),
      parseFields(field(this.#editor, "data"), "Data"),
      parseFields(field(this.#editor, "plain"), "Plain metadata"),
    );
    this.#edit(record);
    await this.refresh();
    return `Wrote record ${record.meta.recordId}.`;
  }

  async #saveOpen(): Promise<string> {
    const open = this.#requireOpen();
    const record = await this.#session.client.update({
      meta: { ...open.meta, plain: parseFields(field(this.#editor, "plain"), "Plain metadata") },
      data: parseFields(field(this.#editor, "data"), "Data"),
    });
    this.#edit(record);
    await this.refresh();
    return `Updated record ${record.meta.recordId}.`;
  }

  async #deleteOpen(): Promise<string> {
    const open = this.#requireOpen();
    await this.#session.client.delete(open.meta.recordId, open.meta.version);
    this.#edit();
    await this.refresh();
    return `Deleted record ${open.meta.recordId}.`;
  }

  #requireOpen(): ArcaRecord {
    if (this.#open === undefined) throw new Error("Open a record first");
    return this.#open;
  }
}
