/**
 * The Arca web console's entry (bundled into `console/dist/console.js` by
 * `deno task build:browser`, with the SDK as the separate `arca.js`). It wires the login forms;
 * after a login, the four tabs work on that session until "Log out" (or a reload) drops it from
 * memory. Everything sensitive stays in this page: see docs/console.md, "Security model".
 *
 * @module
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { ContainersTab } from "./containers.ts";
import { byId, replaceChildren } from "./dom.ts";
import { LiveEvents } from "./events.ts";
import { setUpLogin } from "./login.ts";
import { run, showStatus } from "./messages.ts";
import { NotesTab } from "./notes.ts";
import { RecordsTab } from "./records.ts";
import type { ConsoleSession } from "./session.ts";
import { SharingTab } from "./sharing.ts";
import { setUpTabs, showTab, type TabName } from "./tabs.ts";

/** The tabs of the logged-in session, and what ends them. */
interface Workspace {
  session: ConsoleSession;
  records: RecordsTab;
  sharing: SharingTab;
  containers: ContainersTab;
  /** Removes every listener the tabs added. */
  end: AbortController;
}

let workspace: Workspace | undefined;

/** Opens the workspace on `session`; answers the records listing's status. */
async function enter(session: ConsoleSession): Promise<string> {
  leave();
  const end = new AbortController();
  workspace = {
    session,
    records: new RecordsTab(session, end.signal),
    sharing: new SharingTab(session, end.signal),
    containers: new ContainersTab(session, end.signal),
    end,
  };
  new NotesTab(session, end.signal);
  new LiveEvents(session, end.signal);
  byId("login", HTMLElement).hidden = true;
  byId("workspace", HTMLElement).hidden = false;
  const who = byId("who", HTMLParagraphElement);
  who.textContent = session.label;
  who.hidden = false;
  byId("logout", HTMLButtonElement).hidden = false;
  showTab("records");
  return await workspace.records.refresh();
}

/** Drops the session: keys and decrypted data leave memory with the page's references. */
function leave(): void {
  if (workspace === undefined) return;
  workspace.end.abort();
  workspace = undefined;
  for (const table of document.querySelectorAll("#workspace tbody")) replaceChildren(table);
  for (const form of document.querySelectorAll("#workspace form")) {
    (form as HTMLFormElement).reset();
  }
  for (const id of ["note-view", "container-details", "event-list"]) {
    replaceChildren(byId(id, HTMLElement));
  }
  byId("container-view", HTMLDivElement).hidden = true;
  byId("workspace", HTMLElement).hidden = true;
  byId("login", HTMLElement).hidden = false;
  byId("who", HTMLParagraphElement).hidden = true;
  byId("logout", HTMLButtonElement).hidden = true;
}

function refreshTab(name: TabName): void {
  const current = workspace;
  if (current === undefined) return;
  if (name === "records") void run("Listing records", () => current.records.refresh());
  if (name === "sharing") void run("Listing shares", () => current.sharing.refresh());
  if (name === "containers") void run("Listing containers", () => current.containers.refresh());
}

setUpLogin(enter);
setUpTabs(refreshTab);
byId("logout", HTMLButtonElement).addEventListener("click", () => {
  leave();
  showStatus("Logged out: the keys are gone from this page.");
});
document.body.dataset.ready = "true";
performance.mark("arca-console-ready"); // bench/console_load.ts: navigation start → this
