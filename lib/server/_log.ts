/**
 * The server's log: one JSON object per line, `{"time", "level", ...fields}`, at or above a level
 * (`ARCA_LOG_LEVEL`: `debug`, `info`, `warn`, `error` or `off`). `debug` and `info` lines go to
 * stdout, `warn` and `error` lines to stderr. Callers pass only fields that are safe to keep: never
 * a secret, a token, a key, a body or a concrete path (see docs/server.md, Logs).
 *
 * @module
 */

/** The log levels, most verbose first; `off` writes nothing. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "off"] as const;

/** A log level. */
export type LogLevel = typeof LOG_LEVELS[number];

/** The level of one line. */
export type LineLevel = Exclude<LogLevel, "off">;

/** Where the lines of each level go. */
export interface LogSinks {
  /** `debug` and `info` lines (default: stdout, buffered; {@linkcode flushLog}). */
  out: (line: string) => void;
  /** `warn` and `error` lines (default `console.error`). */
  err: (line: string) => void;
}

/** Writes JSON log lines at or above its level. */
export interface Log {
  /** The level below which lines are dropped. */
  readonly level: LogLevel;
  /** Whether a line of `level` would be written. */
  enabled(level: LineLevel): boolean;
  /** Writes one line of `level` with `fields` (after `time` and `level`). */
  write(level: LineLevel, fields: Record<string, unknown>): void;
}

const stdoutLines: string[] = [];
let isoMillis = 0;
let isoText = "";

/** The time as ISO 8601 text, made once per millisecond. */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoMillis) {
    isoMillis = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}
let stdoutFlushQueued = false;

/**
 * Keeps `line` for stdout (`console.log`) until the event loop's next timer turn, so that the
 * request lines of a busy server cost one synchronous console write per turn instead of one each.
 */
function bufferStdoutLine(line: string): void {
  stdoutLines.push(line);
  if (stdoutFlushQueued) return;
  stdoutFlushQueued = true;
  setTimeout(flushLog, 0);
}

/**
 * Writes the buffered stdout lines now. The process entry points call it before they exit.
 *
 * @example
 * ```ts
 * import { flushLog } from "./_log.ts";
 * flushLog(); // nothing buffered: nothing written
 * ```
 */
export function flushLog(): void {
  stdoutFlushQueued = false;
  if (stdoutLines.length === 0) return;
  const text = stdoutLines.join("\n");
  stdoutLines.length = 0;
  console.log(text);
}

/**
 * A log at `level` writing to `sinks`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLog } from "./_log.ts";
 * const lines: string[] = [];
 * const log = createLog("warn", { out: (l) => lines.push(l), err: (l) => lines.push(l) });
 * log.write("info", { message: "dropped" });
 * log.write("error", { message: "kept" });
 * assert.equal(lines.length, 1);
 * assert.equal(JSON.parse(lines[0]!).message, "kept");
 * ```
 */
export function createLog(level: LogLevel, sinks: Partial<LogSinks> = {}): Log {
  const rank = LOG_LEVELS.indexOf(level);
  if (rank === -1) throw new RangeError(`Unknown log level "${level}"`);
  const out = sinks.out ?? bufferStdoutLine;
  const err = sinks.err ?? ((line: string) => console.error(line));
  const enabled = (lineLevel: LineLevel) => LOG_LEVELS.indexOf(lineLevel) >= rank;
  return {
    level,
    enabled,
    write(lineLevel, fields) {
      if (!enabled(lineLevel)) return;
      const head = `{"time":"${isoNow()}","level":"${lineLevel}"`;
      const rest = JSON.stringify(fields).slice(1); // "}" for no fields, else `"name":…}`
      const line = head + (rest === "}" ? rest : "," + rest);
      (lineLevel === "debug" || lineLevel === "info" ? out : err)(line);
    },
  };
}

/**
 * The log line of a failed background task: its name and the error's name and stack frames, never
 * the error's message (it may carry stored values).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorFields } from "./_log.ts";
 * const fields = errorFields(new TypeError("secret value"));
 * assert.equal(fields.error, "TypeError");
 * assert.ok(!JSON.stringify(fields).includes("secret value"));
 * ```
 */
export function errorFields(error: unknown): { error: string; stack: string[] } {
  const stack = error instanceof Error ? error.stack ?? "" : "";
  return {
    error: error instanceof Error ? error.name : typeof error,
    stack: stack.split("\n").map((line) => line.trim()).filter((line) => line.startsWith("at "))
      .slice(0, LOGGED_FRAMES),
  };
}

/** How many stack frames an error's log line keeps. */
const LOGGED_FRAMES = 8;

/** The log of code that was given none: errors only, to stderr. */
const ERRORS_ONLY = createLog("error");

/**
 * Logs a failed background task (a sweep, a deletion to retry) at `error`: `message` and the
 * error's name and stack frames ({@linkcode errorFields}); to stderr when `log` is not given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLog, logFailure } from "./_log.ts";
 * const lines: string[] = [];
 * logFailure(createLog("info", { err: (l) => lines.push(l) }), "Sweep failed", new Error("x"));
 * assert.equal(JSON.parse(lines[0]!).message, "Sweep failed");
 * ```
 */
export function logFailure(log: Log | undefined, message: string, error: unknown): void {
  (log ?? ERRORS_ONLY).write("error", { message, ...errorFields(error) });
}
