/** Loading test vectors: the E3DB ones from tests/vectors, Wycheproof from ../shared/vectors. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Reads a JSON file of tests/vectors. */
export function e3dbVectors<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(Deno.readTextFileSync(new URL(`./vectors/${name}`, import.meta.url))) as T;
}

/** The folder holding the shared vectors (`ARCA_VECTORS_DIR` or ../shared/vectors). */
export const sharedVectorsDir: string = Deno.env.get("ARCA_VECTORS_DIR") ??
  fileURLToPath(new URL("../../shared/vectors", import.meta.url));

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether the Wycheproof vectors are present (tests are ignored when not). */
export const hasWycheproof: boolean = exists(join(sharedVectorsDir, "wycheproof"));

/** Reads a Wycheproof file; call only when {@linkcode hasWycheproof}. */
export function wycheproof<T = WycheproofFile>(name: string): T {
  return JSON.parse(Deno.readTextFileSync(join(sharedVectorsDir, "wycheproof", name))) as T;
}

/** The common shape of a Wycheproof file. */
export interface WycheproofFile {
  numberOfTests: number;
  testGroups: Array<Record<string, unknown> & { tests: WycheproofTest[] }>;
}

/** One Wycheproof test case. */
export interface WycheproofTest extends Record<string, unknown> {
  tcId: number;
  result: "valid" | "invalid" | "acceptable";
  flags: string[];
}
