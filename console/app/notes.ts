/**
 * The notes tab: write a note (to the user's own keys or to another client's, looked up by id)
 * and read one by id or name. The note is encrypted and signed in this page.
 *
 * @module
 */
import type { Note } from "../../mod.ts";
import { byId, definitionList, field, fieldsText, parseFields } from "./dom.ts";
import { run } from "./messages.ts";
import type { ConsoleSession } from "./session.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The notes tab of one session. */
export class NotesTab {
  readonly #session: ConsoleSession;
  readonly #view = byId("note-view", HTMLElement);

  /** Wires the tab's forms to `session`. */
  constructor(session: ConsoleSession, signal: AbortSignal) {
    this.#session = session;
    const write = byId("note-write", HTMLFormElement);
    write.addEventListener("submit", (event) => {
      event.preventDefault();
      void run(
        "Encrypting and writing the note",
        () => this.#write(write),
        write.querySelector("button"),
      );
    }, { signal });
    const read = byId("note-read", HTMLFormElement);
    read.addEventListener("submit", (event) => {
      event.preventDefault();
      void run("Reading the note", () => this.#read(read), read.querySelector("button"));
    }, { signal });
  }

  async #write(form: HTMLFormElement): Promise<string> {
    const client = this.#session.client;
    const data = parseFields(field(form, "data"), "Note data");
    const recipient = field(form, "recipient");
    const name = field(form, "name");
    const keys = recipient === ""
      ? ownKeys(this.#session)
      : await recipientKeys(this.#session, recipient);
    const note = await client.writeNote(
      data,
      keys.encryption,
      keys.signing,
      name === "" ? {} : { idString: name },
    );
    this.#show(note);
    form.reset();
    return `Wrote note ${note.noteId}.`;
  }

  async #read(form: HTMLFormElement): Promise<string> {
    const wanted = field(form, "note");
    const client = this.#session.client;
    const note = UUID.test(wanted)
      ? await client.readNote(wanted)
      : await client.readNoteByName(wanted);
    this.#show(note);
    return `Note ${note.noteId} decrypted in this page.`;
  }

  #show(note: Note): void {
    definitionList(this.#view, [
      ["Note id", note.noteId],
      ["Name", note.idString || "—"],
      ["Writer", note.clientId ?? "anonymous"],
      ["Data", fieldsText(note.data)],
      ["Views", `${note.views} of ${note.maxViews === -1 ? "unlimited" : note.maxViews}`],
      ["Created", note.createdAt],
    ]);
  }
}

interface NoteKeys {
  encryption: string;
  signing: string;
}

function ownKeys(session: ConsoleSession): NoteKeys {
  const config = session.client.config;
  if (config.publicSigningKey === undefined) {
    throw new Error(
      "This client has no signing keys (a version 1 credential file): notes need them",
    );
  }
  return { encryption: config.publicKey, signing: config.publicSigningKey };
}

async function recipientKeys(session: ConsoleSession, clientId: string): Promise<NoteKeys> {
  const info = await session.client.clientInfo(clientId);
  if (info.signingKey === null) throw new Error(`Client ${clientId} has no signing key`);
  return { encryption: info.publicKey, signing: info.signingKey };
}
