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
  return await (await importSuite(name))();
}

/** Imports a suite's module; what it gives makes the suite (once its library is ready). */
async function importSuite(name: SuiteName): Promise<() => Promise<CryptoSuite>> {
  if (name === "NIST") return (await import("./nist.ts")).nistSuite;
  return (await import("./sodium.ts")).sodiumSuite;
}

/**
 * Loads a suite's module without waiting for the suite to be ready: for Sodium, libsodium's
 * WebAssembly then compiles on V8's background threads while the caller goes on (the CLI loads
 * the SDK's modules meanwhile); {@linkcode getSuite} waits for it, and reports a failure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getSuite, loadSuiteModule } from "./suites.ts";
 * await loadSuiteModule("Sodium");
 * assert.equal((await getSuite("Sodium")).name, "Sodium");
 * ```
 */
export async function loadSuiteModule(name: SuiteName = "Sodium"): Promise<void> {
  const makeSuite = await importSuite(name);
  // Waited for here, so that a failure to start is not an unhandled rejection; the next
  // getSuite reports it.
  makeSuite().catch(() => {});
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
