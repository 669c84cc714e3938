/**
 * The workspace's tab bar: one panel shown at a time; `onShow` refreshes the panel shown.
 *
 * @module
 */
import { byId } from "./dom.ts";

/** The tabs' names, as in the page's `data-tab` attributes. */
export type TabName = "records" | "sharing" | "notes" | "containers";

/** Wires the tab bar; `onShow(name)` runs each time a tab is chosen. */
export function setUpTabs(onShow: (name: TabName) => void): void {
  const bar = byId("tabs", HTMLElement);
  bar.addEventListener("click", (event) => {
    const button = (event.target as Element).closest("button[data-tab]");
    if (!(button instanceof HTMLButtonElement)) return;
    const name = button.dataset.tab as TabName;
    showTab(name);
    onShow(name);
  });
}

/** Shows tab `name` and hides the others. */
export function showTab(name: TabName): void {
  for (const button of byId("tabs", HTMLElement).querySelectorAll("button[data-tab]")) {
    const tab = (button as HTMLButtonElement).dataset.tab;
    button.setAttribute("aria-selected", String(tab === name));
    byId(`tab-${tab}`, HTMLElement).hidden = tab !== name;
  }
}
