/**
 * The sharing tab: share the user's records of a type with a reader (by client id), revoke it,
 * and list both directions. Sharing wraps the type's access key to the reader's public key in
 * this page; the server stores only the wrapped key.
 *
 * @module
 */
import { byId, el, field, replaceChildren } from "./dom.ts";
import { run } from "./messages.ts";
import type { ConsoleSession } from "./session.ts";

/** The sharing tab of one session. */
export class SharingTab {
  readonly #session: ConsoleSession;
  readonly #form = byId("share-form", HTMLFormElement);

  /** Wires the tab's form and buttons to `session`. */
  constructor(session: ConsoleSession, signal: AbortSignal) {
    this.#session = session;
    this.#form.addEventListener("submit", (event) => {
      event.preventDefault();
      void run("Sharing", () => this.#change("share"), this.#form.querySelector("button"));
    }, { signal });
    const revoke = byId("revoke", HTMLButtonElement);
    revoke.addEventListener("click", () => {
      if (!this.#form.reportValidity()) return;
      void run("Revoking", () => this.#change("revoke"), revoke);
    }, { signal });
  }

  /** Lists what the user shares and what is shared with the user. */
  async refresh(): Promise<string> {
    const client = this.#session.client;
    const [outgoing, incoming] = await Promise.all([
      client.outgoingSharing(),
      client.incomingSharing(),
    ]);
    replaceChildren(
      byId("outgoing-list", HTMLTableElement).tBodies[0]!,
      ...outgoing.map((share) => {
        const revoke = el("button", { type: "button", class: "link" }, "revoke");
        revoke.addEventListener("click", () => {
          void run("Revoking", async () => {
            await client.revoke(share.recordType, share.readerId);
            return await this.refresh();
          }, revoke);
        });
        return el(
          "tr",
          { "data-reader-id": share.readerId, "data-type": share.recordType },
          el("td", {}, share.recordType),
          el("td", {}, el("code", {}, share.readerId), ` ${share.readerName}`),
          el("td", {}, revoke),
        );
      }),
    );
    replaceChildren(
      byId("incoming-list", HTMLTableElement).tBodies[0]!,
      ...incoming.map((share) =>
        el(
          "tr",
          { "data-writer-id": share.writerId, "data-type": share.recordType },
          el("td", {}, share.recordType),
          el("td", {}, el("code", {}, share.writerId), ` ${share.writerName}`),
        )
      ),
    );
    return `You share ${outgoing.length} type(s); ${incoming.length} shared with you.`;
  }

  async #change(action: "share" | "revoke"): Promise<string> {
    const readerId = field(this.#form, "readerId");
    const type = field(this.#form, "type");
    const client = this.#session.client;
    await (action === "share" ? client.share(type, readerId) : client.revoke(type, readerId));
    await this.refresh();
    return action === "share"
      ? `Records of type "${type}" are shared with ${readerId}.`
      : `Records of type "${type}" are no longer shared with ${readerId}.`;
  }
}
