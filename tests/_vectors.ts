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

/** What the Wycheproof tests do: run, or be ignored (and why). */
export interface WycheproofPolicy {
  /** Whether the tests are ignored. */
  ignore: boolean;
  /** Why, when they are ignored or must fail. */
  reason?: string;
}

/**
 * Decides whether the Wycheproof tests run. CI (`CI=true`) or an explicit `ARCA_VECTORS_DIR`
 * requires the vectors: a missing folder then FAILS the tests (they run and cannot read their
 * files). Otherwise a missing folder ignores them, with the reason printed once.
 */
export function wycheproofPolicy(
  env: { get(name: string): string | undefined },
  present: boolean,
  folder: string,
): WycheproofPolicy {
  if (present) return { ignore: false };
  const explicit = (env.get("ARCA_VECTORS_DIR") ?? "") !== "";
  const ci = (env.get("CI") ?? "").toLowerCase() === "true";
  if (explicit || ci) {
    const why = explicit ? "ARCA_VECTORS_DIR is set" : "CI=true";
    return { ignore: false, reason: `Wycheproof vectors missing at ${folder} but ${why}` };
  }
  return {
    ignore: true,
    reason: `Wycheproof tests ignored: no vectors at ${folder} ` +
      "(set ARCA_VECTORS_DIR, or CI=true, to require them)",
  };
}

/** Whether the Wycheproof vectors are present. */
export const hasWycheproof: boolean = exists(join(sharedVectorsDir, "wycheproof"));

/** The policy for this run (see {@linkcode wycheproofPolicy}). */
export const wycheproofRun: WycheproofPolicy = wycheproofPolicy(
  Deno.env,
  hasWycheproof,
  join(sharedVectorsDir, "wycheproof"),
);
if (wycheproofRun.ignore) console.warn(wycheproofRun.reason);

/** Reads a Wycheproof file; throws (failing the test) when the vectors are missing. */
export function wycheproof<T = WycheproofFile>(name: string): T {
  if (!hasWycheproof) throw new Error(wycheproofRun.reason ?? "Wycheproof vectors are missing");
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
