/**
 * The transfer progress bar of `arca file put|get` (cli-progress): bytes done and total, rate
 * and ETA, drawn on standard error and only when it is a terminal and `--json` is off.
 *
 * @module
 */
// @ts-types="npm:@types/cli-progress@^3.11.6"
import cliProgress from "cli-progress";
import process from "node:process";
import type { FileProgress } from "../sdk/files.ts";
import type { CliIo } from "./io.ts";
import { formatBytes } from "./_output.ts";

/** Receives progress updates; `finish` ends the display. */
export interface ProgressDisplay {
  /** Shows an update. */
  update(progress: FileProgress): void;
  /** Ends the display (the bar stays on screen with its final numbers). */
  finish(): void;
}

/** A display that shows nothing (not a terminal, or `--json`). */
const SILENT: ProgressDisplay = { update() {}, finish() {} };

/**
 * A progress display for a transfer: a bar on a terminal, nothing otherwise.
 *
 * @example
 * ```ts ignore
 * // Needs a terminal and a running Arca server.
 * const display = progressDisplay(io, options.json);
 * await client.writeFile(type, path, {}, { onProgress: (p) => display.update(p) });
 * display.finish();
 * ```
 */
export function progressDisplay(io: CliIo, json: boolean): ProgressDisplay {
  if (json || io.stderrIsTerminal?.() !== true) return SILENT;
  return new TerminalBar(process.stderr);
}

/** Where a bar is drawn: a terminal stream (`process.stderr`, or a stand-in in tests). */
export type BarStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * A progress bar drawn on `stream` (cli-progress): `[bar] percent | done of size | rate | ETA`,
 * or `done | rate` when the total is unknown.
 *
 * @example
 * ```ts ignore
 * // Draws on a terminal.
 * const bar = new TerminalBar(process.stderr);
 * bar.update({ phase: "upload", bytes: 500, total: 1000 });
 * bar.finish();
 * ```
 */
export class TerminalBar implements ProgressDisplay {
  readonly #stream: BarStream;
  #bar: cliProgress.SingleBar | undefined;
  #phase: FileProgress["phase"] | undefined;
  #started = 0;

  /**
   * Creates a bar on `stream`; nothing is drawn before the first update.
   *
   * @example
   * ```ts ignore
   * // Draws on a terminal.
   * const bar = new TerminalBar(process.stderr);
   * ```
   */
  constructor(stream: BarStream) {
    this.#stream = stream;
  }

  /**
   * Shows an update (a new phase starts a new bar).
   *
   * @example
   * ```ts ignore
   * // Draws on a terminal.
   * bar.update({ phase: "download", bytes: 10, total: 100 });
   * ```
   */
  update(progress: FileProgress): void {
    if (this.#bar === undefined || progress.phase !== this.#phase) this.#start(progress);
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = seconds > 0 ? `${formatBytes(progress.bytes / seconds)}/s` : "-";
    this.#bar!.update(progress.bytes, { done: formatBytes(progress.bytes), rate });
  }

  /**
   * Stops the bar, leaving its last line on screen.
   *
   * @example
   * ```ts ignore
   * // Draws on a terminal.
   * bar.finish();
   * ```
   */
  finish(): void {
    this.#bar?.stop();
    this.#bar = undefined;
  }

  #start(progress: FileProgress): void {
    this.finish();
    const known = progress.total !== undefined;
    const label = progress.phase === "upload" ? "uploading  " : "downloading";
    const format = known
      ? `${label} [{bar}] {percentage}% | {done} of {size} | {rate} | ETA {eta_formatted}`
      : `${label} {done} | {rate}`;
    this.#bar = new cliProgress.SingleBar({
      format,
      stream: this.#stream,
      hideCursor: true,
      etaBuffer: 100,
      fps: 10,
    }, cliProgress.Presets.shades_classic);
    this.#phase = progress.phase;
    this.#started = performance.now();
    this.#bar.start(progress.total ?? 0, progress.bytes, {
      done: formatBytes(progress.bytes),
      size: formatBytes(progress.total ?? 0),
      rate: "-",
    });
  }
}
