/**
 * Key pairs for anonymous notes from the CLI (`arca note write|read --anonymous`): a key file as
 * `arca keys generate --json` prints it, or, for a writer without one, fresh keys of the
 * recipient's suite.
 *
 * @module
 */
import type { SuiteName } from "../crypto/suite.ts";
import type { NoteKeysText } from "../sdk/notes.ts";
import { UsageError } from "./_errors.ts";
import { clientModule, keyTextModule } from "./_lazy.ts";

/**
 * Reads a key file written by `arca keys generate --json` (`publicKey`, `privateKey`,
 * `publicSigningKey`, `privateSigningKey`); a missing or malformed file is a usage error.
 *
 * @example
 * ```ts ignore
 * // Reads a file.
 * const keys = await readNoteKeys("./keys.json");
 * ```
 */
export async function readNoteKeys(path: string): Promise<NoteKeysText> {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--keys "${path}" cannot be read as JSON: ${reason}`);
  }
  const text = (name: string): string => {
    const value = json?.[name];
    if (typeof value !== "string" || value === "") {
      throw new UsageError(`--keys "${path}" lacks "${name}" (write it with arca keys generate)`);
    }
    return value;
  };
  return {
    encryption: { publicKey: text("publicKey"), privateKey: text("privateKey") },
    signing: { publicKey: text("publicSigningKey"), privateKey: text("privateSigningKey") },
  };
}

/**
 * The writer's keys of an anonymous note: the key file when given, else fresh key pairs of the
 * recipient key's suite.
 *
 * @example
 * ```ts ignore
 * // Generates keys.
 * const keys = await writerNoteKeys(undefined, recipientPublicKey);
 * ```
 */
export async function writerNoteKeys(
  path: string | undefined,
  recipientKey: string,
): Promise<NoteKeysText> {
  if (path !== undefined) return await readNoteKeys(path);
  const { suiteOfKeyText } = await keyTextModule();
  let suite: SuiteName;
  try {
    suite = suiteOfKeyText(recipientKey, "public", "--to-key");
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { Client } = await clientModule();
  return {
    encryption: await Client.generateKeypair(suite),
    signing: await Client.generateSigningKeypair(suite),
  };
}
