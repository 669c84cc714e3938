/**
 * How the CLI reports failures: one line on standard error, no stack trace, and an exit code —
 * 0 success, 1 failure, 2 usage error.
 *
 * @module
 */
import { ArcaError, NotFoundError } from "../errors.ts";

/** Exit code of a successful command. */
export const EXIT_OK = 0;
/** Exit code of a command that failed. */
export const EXIT_FAILURE = 1;
/** Exit code of a command line that could not be understood. */
export const EXIT_USAGE = 2;

/**
 * The command line was wrong: a bad option value, malformed JSON, a missing setting.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UsageError } from "./_errors.ts";
 * assert.throws(() => {
 *   throw new UsageError('--data must be a JSON object, got "x"');
 * }, UsageError);
 * ```
 */
export class UsageError extends Error {
  /**
   * Creates a usage error.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { UsageError } from "./_errors.ts";
   * assert.equal(new UsageError("bad").name, "UsageError");
   * ```
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The single line printed for an error: `arca: <message>`, with the HTTP status when a server
 * answered. Whitespace is collapsed so the line never breaks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorLine } from "./_errors.ts";
 * import { NotFoundError } from "../errors.ts";
 * assert.equal(
 *   errorLine(new NotFoundError("Record not found", { status: 404 })),
 *   "arca: Record not found (HTTP 404)",
 * );
 * assert.equal(
 *   errorLine(new NotFoundError("unknown user", { status: 404 })),
 *   "arca: Not found: unknown user (HTTP 404)",
 * );
 * ```
 */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let flat = message.replace(/\s+/g, " ").trim() || "Unknown error";
  // Every command words a missing thing the same way: "... not found ...".
  if (error instanceof NotFoundError && error.status === 404 && !/not found/i.test(flat)) {
    flat = `Not found: ${flat}`;
  }
  const status = error instanceof ArcaError && error.status !== undefined
    ? ` (HTTP ${error.status})`
    : "";
  return `arca: ${flat}${status}`;
}

/**
 * The exit code for an error: 2 for a {@linkcode UsageError}, 1 for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exitCodeFor, UsageError } from "./_errors.ts";
 * assert.equal(exitCodeFor(new UsageError("x")), 2);
 * ```
 */
export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}
