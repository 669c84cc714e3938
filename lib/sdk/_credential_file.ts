/**
 * Credential files: where a profile's file is, reading one as JSON, and writing one (mode 0600,
 * its folder 0700, never replacing a file unless asked). `Config` builds on these. On disk under
 * Deno; in a browser they are IndexedDB entries under the same paths (`_local_files.ts`), the
 * home folder being `/`.
 *
 * @module
 */
import { join } from "node:path";
import { fromUtf8, utf8 } from "../crypto/encoding.ts";
import { processEnv } from "../env_reader.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { readLocalFile, writeLocalFile } from "./_local_files.ts";

/** Profile names: letters, digits, `.`, `_` and `-`; not `.` or `..`. */
const PROFILE_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The credential file of `profile` under `home` (`$HOME` or `%USERPROFILE%` by default; `/` in a
 * browser), or `path` when one is given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { credentialFilePath } from "./_credential_file.ts";
 * assert.equal(credentialFilePath(undefined, { home: "/h" }), "/h/.tozny/e3db.json");
 * ```
 */
export function credentialFilePath(
  profile: string | undefined,
  options: { home?: string | undefined; path?: string | undefined },
): string {
  if (options.path !== undefined) {
    if (typeof options.path !== "string" || options.path.trim() === "") {
      throw new ValidationError("Credential file path must be a non-empty string");
    }
    return options.path;
  }
  const env = processEnv();
  const home = options.home ?? env.get("HOME") ?? env.get("USERPROFILE") ??
    (typeof Deno === "undefined" ? "/" : undefined);
  if (typeof home !== "string" || home === "") {
    throw new ValidationError("Cannot find the home folder: set HOME or pass { home }");
  }
  if (profile === undefined || profile === "") return join(home, ".tozny", "e3db.json");
  if (typeof profile !== "string" || !PROFILE_PATTERN.test(profile) || /^\.+$/.test(profile)) {
    throw new ValidationError(
      `Profile name "${profile}" must be 1-100 letters, digits, ".", "_" or "-"`,
    );
  }
  return join(home, ".tozny", profile, "e3db.json");
}

/**
 * The JSON value of the credential file at `path` ({@linkcode NotFoundError} when there is none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotFoundError } from "../errors.ts";
 * import { readCredentialJson } from "./_credential_file.ts";
 * await assert.rejects(readCredentialJson("/nonexistent/e3db.json"), NotFoundError);
 * ```
 */
export async function readCredentialJson(path: string): Promise<unknown> {
  const bytes = await readLocalFile(path);
  if (bytes === undefined) throw new NotFoundError(`No credential file at "${path}"`);
  try {
    return JSON.parse(fromUtf8(bytes, "credential file"));
  } catch {
    throw new ValidationError(`Credential file "${path}" is not valid JSON`);
  }
}

/**
 * Writes `text` to the credential file at `path` (mode 0600, its folder 0700). Refuses to replace
 * an existing file ({@linkcode ConflictError}) unless `overwrite`, which replaces it atomically.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConflictError } from "../errors.ts";
 * import { writeCredentialText } from "./_credential_file.ts";
 * const path = `${await Deno.makeTempDir()}/e3db.json`;
 * await writeCredentialText(path, "{}\n", false);
 * await assert.rejects(writeCredentialText(path, "{}\n", false), ConflictError);
 * await writeCredentialText(path, "{ }\n", true);
 * assert.equal(await Deno.readTextFile(path), "{ }\n");
 * ```
 */
export async function writeCredentialText(
  path: string,
  text: string,
  overwrite: boolean,
): Promise<void> {
  if (!await writeLocalFile(path, utf8(text), { replace: overwrite })) {
    throw new ConflictError(
      `Credential file "${path}" already exists; pass overwrite to replace it`,
    );
  }
}
