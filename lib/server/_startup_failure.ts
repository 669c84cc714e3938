/**
 * A failed start as one line that names the setting to change, for the process entry point
 * (`server.ts`), which prints it and exits non-zero instead of dumping a stack trace.
 *
 * @module
 */
import { ArcaError, ConflictError, ValidationError } from "../errors.ts";

/** Where the failed server was to listen and keep its data (for the line's wording). */
export interface StartupContext {
  /** The data directory (`ARCA_DATA_DIR`). */
  dataDir?: string | undefined;
  /** The interface (`ARCA_HOST`). */
  hostname?: string | undefined;
  /** The port (`ARCA_PORT`). */
  port?: number | undefined;
}

/**
 * The line that explains why the server could not start.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startupFailureLine } from "./_startup_failure.ts";
 * const line = startupFailureLine(new Deno.errors.AddrInUse("busy"), { port: 8000 });
 * assert.match(line, /127\.0\.0\.1:8000 is already in use; set ARCA_PORT/);
 * ```
 */
export function startupFailureLine(error: unknown, context: StartupContext): string {
  const address = `${context.hostname ?? "127.0.0.1"}:${context.port ?? 8000}`;
  const dataDir = context.dataDir ?? "./arca-data";
  const prefix = "Arca could not start: ";
  if (error instanceof Deno.errors.AddrInUse) {
    return `${prefix}${address} is already in use; set ARCA_PORT (or ARCA_HOST) to a free address`;
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return `${prefix}${address} is not an address of this machine; set ARCA_HOST`;
  }
  if (error instanceof ConflictError && /in use by another Arca store/.test(error.message)) {
    return `${prefix}the data directory ${dataDir} is in use by another Arca server; ` +
      "stop that server or set ARCA_DATA_DIR to another folder";
  }
  if (error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable) {
    return `${prefix}permission denied (${firstLine(error.message)}); ` +
      `check ARCA_DATA_DIR (${dataDir}) is writable and ARCA_PORT is allowed`;
  }
  if (error instanceof ValidationError) return `${prefix}${firstLine(error.message)}`;
  if (error instanceof ArcaError) return `${prefix}${error.name}: ${firstLine(error.message)}`;
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? firstLine(error.message) : "";
  return `${prefix}${name}${message === "" ? "" : `: ${message}`}` +
    " (check ARCA_DATA_DIR and ARCA_DATABASE_URL)";
}

/** The first line of `text`, without a URL's user and password. */
function firstLine(text: string): string {
  return text.split("\n")[0]!.trim().replace(/\/\/[^\s/@]*@/g, "//");
}
