/**
 * The containers tab: list the user's containers, open one (its header and content are opened
 * in this page with keys unwrapped here), and see its access list with each user's permission
 * names and bits.
 *
 * @module
 */
import type { Access, Container } from "../../mod.ts";
import { byId, definitionList, el, replaceChildren, when } from "./dom.ts";
import { run } from "./messages.ts";
import type { ConsoleSession } from "./session.ts";

/** Containers listed at once. */
const LIST_LIMIT = 100;
/** Content longer than this is summarised, not shown. */
const SHOWN_CONTENT_BYTES = 64 * 1024;

/** The containers tab of one session. */
export class ContainersTab {
  readonly #session: ConsoleSession;

  /** Wires the tab's buttons to `session`. */
  constructor(session: ConsoleSession, signal: AbortSignal) {
    this.#session = session;
    const refresh = byId("containers-refresh", HTMLButtonElement);
    refresh.addEventListener("click", () => {
      void run("Listing containers", () => this.refresh(), refresh);
    }, { signal });
  }

  /** Lists the user's containers. */
  async refresh(): Promise<string> {
    const page = await this.#session.session.containers.list({ limit: LIST_LIMIT });
    replaceChildren(
      byId("container-list", HTMLTableElement).tBodies[0]!,
      ...page.containers.map((container) => this.#row(container)),
    );
    return `${page.containers.length} container(s).`;
  }

  #row(container: Container): HTMLTableRowElement {
    const open = el("button", { type: "button", class: "link" }, container.id);
    open.addEventListener("click", () => {
      void run("Opening the container", () => this.open(container.id), open);
    });
    return el(
      "tr",
      { "data-container-id": container.id },
      el("td", {}, container.type ?? "—"),
      el("td", {}, open),
      el("td", {}, container.version),
      el("td", {}, el("code", {}, container.createdBy ?? "—")),
      el("td", {}, when(container.modifiedAt)),
    );
  }

  /** Opens container `id`: details, decrypted header and content, access list. */
  async open(id: string): Promise<string> {
    const container = await this.#session.session.containers.get(id);
    byId("container-view", HTMLDivElement).hidden = false;
    byId("container-title", HTMLHeadingElement).textContent = `Container ${container.id}`;
    definitionList(byId("container-details", HTMLElement), [
      ["Type", container.type ?? "—"],
      ["Version", container.version],
      ["Suite", container.suite],
      ["Created", `${when(container.createdAt)} by ${container.createdBy ?? "—"}`],
      ["Modified", `${when(container.modifiedAt)} by ${container.modifiedBy ?? "—"}`],
      ["Header", container.header === null ? "—" : JSON.stringify(container.header)],
      ["Content", await contentText(container)],
    ]);
    replaceChildren(
      byId("access-list", HTMLTableElement).tBodies[0]!,
      ...(container.access ?? []).map(accessRow),
    );
    return `Container ${container.id} opened in this page.`;
  }
}

async function contentText(container: Container): Promise<string> {
  if (container.content === null) return "— (none, or not yours to decrypt)";
  if ((container.length ?? 0) > SHOWN_CONTENT_BYTES) return `${container.length} bytes`;
  return await container.content.text();
}

function accessRow(access: Access): HTMLTableRowElement {
  const expiration = access.expiration;
  return el(
    "tr",
    { "data-user-id": access.userId },
    el("td", {}, el("code", {}, access.userId)),
    el("td", {}, access.permissions.toString()),
    el("td", { class: "bits" }, access.permissions.bits),
    el("td", {}, expiration === null ? "never" : when(new Date(expiration / 1000))),
  );
}
