/**
 * What commander needs from Node, written on Deno's own APIs for the bundled CLI (build/cli.ts).
 *
 * commander imports `node:events`, `node:process`, `node:util`, `node:fs`, `node:path` and
 * `node:child_process`. Loading those makes Deno start its Node layer, about a third of
 * `arca --help`'s time. The CLI uses none of what needs them beyond events, the environment and
 * the terminal's width: the others serve commander's executable subcommands (a separate program
 * per command), which Arca does not define. The bundle therefore gives commander:
 *
 * - an `EventEmitter` with the three methods commander calls (`on`, `emit`, `listenerCount`);
 * - a `process` whose environment, terminal and exit are Deno's;
 * - `stripVTControlCharacters`;
 * - for `node:fs`, `node:path` and `node:child_process`, a module whose every use throws a clear
 *   error: reaching one means an executable subcommand, a bug in the CLI.
 *
 * tests/cli_bundle_test.ts checks that the bundled CLI's help and errors equal the source's.
 *
 * @module
 */
import type * as esbuild from "esbuild";

/** commander's events: listeners per event name, called in order. */
export class EventEmitter {
  #listeners = new Map<string | symbol, ((...args: unknown[]) => void)[]>();

  /** Adds `listener` for `event`. */
  on(event: string | symbol, listener: (...args: unknown[]) => void): this {
    const listeners = this.#listeners.get(event) ?? [];
    listeners.push(listener);
    this.#listeners.set(event, listeners);
    return this;
  }

  /** Calls every listener of `event` with `args`; whether there was one. */
  emit(event: string | symbol, ...args: unknown[]): boolean {
    const listeners = this.#listeners.get(event);
    if (listeners === undefined || listeners.length === 0) return false;
    for (const listener of [...listeners]) listener.apply(this, args);
    return true;
  }

  /** How many listeners `event` has. */
  listenerCount(event: string | symbol): number {
    return this.#listeners.get(event)?.length ?? 0;
  }
}

/** A terminal stream as commander reads it (width and colours); writes go through Deno. */
function terminalStream(stream: typeof Deno.stdout | typeof Deno.stderr) {
  const encoder = new TextEncoder();
  return {
    write(text: string): boolean {
      stream.writeSync(encoder.encode(text));
      return true;
    },
    get isTTY(): boolean {
      return stream.isTerminal();
    },
    get columns(): number | undefined {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return undefined;
      }
    },
    hasColors(): boolean {
      return !Deno.noColor && stream.isTerminal();
    },
  };
}

/** The environment as an object, read through `Deno.env` (commander reads and tests keys). */
const environment = new Proxy({} as Record<string, string | undefined>, {
  get: (_, key) => typeof key === "string" ? Deno.env.get(key) : undefined,
  has: (_, key) => typeof key === "string" && Deno.env.get(key) !== undefined,
});

/** The part of Node's `process` that commander uses, on Deno's APIs. */
export const process = {
  argv: ["deno", "arca", ...Deno.args],
  execArgv: [] as string[],
  env: environment,
  platform: Deno.build.os,
  versions: {} as Record<string, string>,
  exitCode: undefined as number | undefined,
  stdout: terminalStream(Deno.stdout),
  stderr: terminalStream(Deno.stderr),
  exit(code?: number): never {
    Deno.exit(code ?? 0);
  },
};

/** Removes ANSI escape sequences (colours, cursor moves) from `text`. */
export function stripVTControlCharacters(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g, "");
}

/** Any use of `node:fs`, `node:path` or `node:child_process` by commander. */
export const executableSubcommands = new Proxy({}, {
  get(_, name) {
    throw new Error(
      `the bundled arca CLI has no executable subcommands (commander called ${String(name)})`,
    );
  },
});

/** What each of commander's `node:` imports becomes: the names it imports, from this module. */
const SHIMS: Readonly<Record<string, string>> = {
  "node:events": "export { EventEmitter } from HOST;",
  "node:process": "export { process as default } from HOST;",
  "node:util": "export { stripVTControlCharacters } from HOST;",
  "node:fs": "export { executableSubcommands as default } from HOST;",
  "node:path": "export { executableSubcommands as default } from HOST;",
  "node:child_process": "export { executableSubcommands as default } from HOST;",
};

/**
 * An esbuild plugin that resolves commander's `node:` imports to this module, and refuses any
 * it does not know (a new commander version would fail the build, not the CLI).
 *
 * @example
 * ```ts ignore
 * // Used by build/cli.ts.
 * await esbuild.build({ entryPoints: ["cli.ts"], plugins: [commanderHostPlugin()] });
 * ```
 */
export function commanderHostPlugin(): esbuild.Plugin {
  const host = JSON.stringify(new URL(import.meta.url).pathname);
  return {
    name: "arca-commander-host",
    setup(build) {
      build.onResolve({ filter: /^node:/ }, (args) => {
        if (!/[\\/]commander[\\/]/.test(args.importer)) return undefined;
        if (SHIMS[args.path] !== undefined) {
          return { path: args.path, namespace: "arca-commander-host" };
        }
        return { errors: [{ text: `commander imports ${args.path}, which has no shim` }] };
      });
      build.onLoad({ filter: /.*/, namespace: "arca-commander-host" }, (args) => ({
        contents: SHIMS[args.path]!.replace("HOST", host),
        loader: "js",
        resolveDir: new URL(".", import.meta.url).pathname,
      }));
    },
  };
}
