/**
 * Choosing a cipher suite by name or from the environment.
 *
 * Each suite's module is imported when the suite is first asked for, so using one suite does not
 * load the other's library: @noble/curves' P-384 for NIST, libsodium's WebAssembly for Sodium
 * (about 20 MB resident).
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import type { CryptoSuite, SuiteName } from "./suite.ts";

/**
 * Parses a suite name, case-insensitively (`sodium`, `NIST`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSuiteName } from "./suites.ts";
 * assert.equal(parseSuiteName("nist"), "NIST");
 * ```
 */
export function parseSuiteName(text: string): SuiteName {
  const upper = text.trim().toUpperCase();
  if (upper === "SODIUM") return "Sodium";
  if (upper === "NIST") return "NIST";
  throw new ValidationError(`Unknown crypto suite "${text}" (expected "Sodium" or "NIST")`);
}

/**
 * Returns a cipher suite by name; Sodium when no name is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getSuite } from "./suites.ts";
 * const suite = await getSuite("NIST");
 * assert.equal(suite.name, "NIST");
 * ```
 */
export async function getSuite(name: SuiteName = "Sodium"): Promise<CryptoSuite> {
  if (name === "NIST") return await (await import("./nist.ts")).nistSuite();
  return await (await import("./sodium.ts")).sodiumSuite();
}

/**
 * The suite named by `ARCA_CRYPTO_SUITE` (or E3DB's `CRYPTO_SUITE`), Sodium when neither is set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { suiteNameFromEnv } from "./suites.ts";
 * Deno.env.delete("ARCA_CRYPTO_SUITE");
 * Deno.env.delete("CRYPTO_SUITE");
 * assert.equal(suiteNameFromEnv(), "Sodium");
 * Deno.env.set("ARCA_CRYPTO_SUITE", "NIST");
 * assert.equal(suiteNameFromEnv(), "NIST");
 * ```
 */
export function suiteNameFromEnv(): SuiteName {
  const env = typeof Deno === "undefined" ? undefined : Deno.env; // A browser has no environment.
  const value = env?.get("ARCA_CRYPTO_SUITE") ?? env?.get("CRYPTO_SUITE");
  return value === undefined || value === "" ? "Sodium" : parseSuiteName(value);
}
