/**
 * The bundled CLI's `node:crypto` (build/_cli_modules.ts maps the import to this file). The SDK
 * hashes small inputs with SHA-256 (cache keys, shared-key ids, secrets) and HMAC-SHA-256 on most
 * commands: those run in JavaScript (@noble/hashes, the browser build's `_node_crypto_browser.ts`),
 * so a command does not start Deno's Node layer (about 30 ms) for a few hundred bytes. MD5 hashes
 * whole files (E3DB's file checksum), where native speed matters and 30 ms does not: it is Node's
 * own, loaded on first use.
 *
 * @module
 */
import {
  createHash as hashInJs,
  createHmac,
  type Hash,
} from "../lib/crypto/_node_crypto_browser.ts";

export { createHmac };
export type { Hash };

interface NodeProcess {
  getBuiltinModule(id: "node:crypto"): { createHash(algorithm: string): Hash };
}

/**
 * A running hash: SHA-256 in JavaScript, MD5 by Node's native code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHash } from "./_cli_node_crypto.ts";
 * assert.equal(createHash("sha256").update("abc").digest("hex").slice(0, 8), "ba7816bf");
 * assert.equal(createHash("md5").update("abc").digest("hex"), "900150983cd24fb0d6963f7d28e17f72");
 * ```
 */
export function createHash(algorithm: "sha256" | "md5"): Hash {
  if (algorithm === "sha256") return hashInJs(algorithm);
  const process = (globalThis as unknown as { process: NodeProcess }).process;
  return process.getBuiltinModule("node:crypto").createHash(algorithm);
}
