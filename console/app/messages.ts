/**
 * The console's status line and error box. Every action runs through {@linkcode run}: it shows
 * what is happening, disables the button that started it, and turns any failure into a clear
 * message in the page (the error's class says what kind of failure it was).
 *
 * @module
 */
import { byId } from "./dom.ts";

const ERROR_TITLES: Record<string, string> = {
  ValidationError: "Invalid input",
  UnauthorizedError: "Not authorized (wrong credentials or expired session)",
  ForbiddenError: "Not allowed",
  NotFoundError: "Not found",
  ConflictError: "Conflict (someone changed it first; reload and retry)",
  IntegrityError: "Integrity check failed (tampered or wrong keys)",
  RateLimitError: "Too many requests; wait and retry",
  SyntaxError: "Not valid JSON",
  TypeError: "Network or input error",
};

/** Shows a status message (and hides the error box). */
export function showStatus(text: string): void {
  byId("status", HTMLParagraphElement).textContent = text;
  byId("error", HTMLParagraphElement).hidden = true;
}

/** Shows `error` in the error box, titled by its kind. */
export function showError(error: unknown): void {
  const box = byId("error", HTMLParagraphElement);
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const title = ERROR_TITLES[name];
  box.textContent = title === undefined ? message : `${title}: ${message}`;
  box.dataset.kind = name;
  box.hidden = false;
  byId("status", HTMLParagraphElement).textContent = "";
}

/**
 * Runs `action`, showing `label` while it runs and `done` (or its own result text) after;
 * failures go to the error box. `button` is disabled meanwhile.
 */
export async function run(
  label: string,
  action: () => Promise<string | void>,
  button?: HTMLButtonElement | null,
): Promise<void> {
  showStatus(`${label}…`);
  if (button) button.disabled = true;
  try {
    const done = await action();
    showStatus(done ?? "Done.");
  } catch (error) {
    showError(error);
  } finally {
    if (button) button.disabled = false;
  }
}
