/**
 * Where settings come from: anything with `get(name)`, like `Deno.env`. Both the server's
 * settings and the SDK's config read the environment through it, so tests can pass a `Map`.
 *
 * @module
 */

/**
 * Something with `get(name)`, like `Deno.env` (a `Map<string, string>` fits too).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { EnvReader } from "./env_reader.ts";
 * const env: EnvReader = new Map([["ARCA_PORT", "9000"]]);
 * assert.equal(env.get("ARCA_PORT"), "9000");
 * ```
 */
export interface EnvReader {
  /** The variable's value, or `undefined` when unset. */
  get(name: string): string | undefined;
}

/**
 * The process environment: `Deno.env` under Deno, an empty reader in a browser (which has none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { processEnv } from "./env_reader.ts";
 * Deno.env.set("ARCA_EXAMPLE", "1");
 * assert.equal(processEnv().get("ARCA_EXAMPLE"), "1");
 * ```
 */
export function processEnv(): EnvReader {
  return typeof Deno === "undefined" ? new Map<string, string>() : Deno.env;
}
