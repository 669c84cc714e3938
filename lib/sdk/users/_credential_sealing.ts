/**
 * A user's credentials (the E3DB credential-file JSON of its client) in and out of a key file:
 * sealing them under a password and passphrase, opening them with the password, and fetching
 * the server copy with a proof of the passphrase.
 *
 * @module
 */
import {
  type KeyFileKdf,
  openKeyFile,
  parseKeyFileHeader,
  type PassphraseUnlock,
  sealKeyFile,
  unlockWithPassphrase,
} from "../../crypto/key_file.ts";
import { IntegrityError } from "../../errors.ts";
import { Config } from "../config.ts";
import type { Transport } from "../_transport.ts";
import { downloadKeyFile, fetchKeyFileHeader } from "./_user_requests.ts";

/** A sealed key file with what the server keeps beside it. */
export interface SealedCredentials {
  /** The key file bytes. */
  keyFile: Uint8Array;
  /** SHA-256 of the passphrase proof (the server's verifier). */
  verifier: Uint8Array;
  /** Lower-case hex SHA-256 of the key file. */
  checksum: string;
}

/**
 * Seals a client's credentials into a key file (compact credential-file JSON as the body).
 *
 * @example
 * ```ts ignore
 * // Runs the KDF at the given cost.
 * const sealed = await sealCredentials(config, "Tr0ub4dor!", "correct Horse 1", kdf);
 * ```
 */
export async function sealCredentials(
  config: Config,
  password: string,
  passphrase: string,
  kdf: KeyFileKdf | undefined,
): Promise<SealedCredentials> {
  return await sealKeyFile({
    suite: config.cryptoSuite,
    credentials: JSON.stringify(config.toJSON()),
    password,
    passphrase,
    ...(kdf === undefined ? {} : { kdf }),
  });
}

/**
 * Opens a key file with the password and reads the credentials in it; they must be `userId`'s
 * ({@linkcode IntegrityError} otherwise, as for a wrong password or a tampered file).
 *
 * @example
 * ```ts ignore
 * // Runs the KDF at the key file's cost.
 * const config = await openCredentials(keyFile, "Tr0ub4dor!", userId, minimum);
 * ```
 */
export async function openCredentials(
  keyFile: Uint8Array,
  password: string,
  userId: string,
  minimum: KeyFileKdf | undefined,
): Promise<Config> {
  const text = await openKeyFile(keyFile, password, minimum);
  let config: Config;
  try {
    config = Config.fromObject(JSON.parse(text));
  } catch (error) {
    throw new IntegrityError("key file: the credentials inside are malformed", { cause: error });
  }
  if (config.clientId !== userId.toLowerCase()) {
    throw new IntegrityError(`key file: it holds the credentials of ${config.clientId}`);
  }
  return config;
}

/**
 * Downloads a user's key file from the server with a proof of the passphrase, derived from the
 * key file's header at no less than `minimum`'s cost. Returns the key file and the passphrase
 * unlock, which recovers the password from the rescue without a second KDF run.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const { keyFile, unlock } = await downloadWithPassphrase(transport, userId, "correct Horse 1", minimum);
 * const password = await unlock.recoverPassword(keyFile);
 * ```
 */
export async function downloadWithPassphrase(
  transport: Transport,
  userId: string,
  passphrase: string,
  minimum: KeyFileKdf | undefined,
): Promise<{ keyFile: Uint8Array; unlock: PassphraseUnlock }> {
  const header = parseKeyFileHeader(await fetchKeyFileHeader(transport, userId));
  const unlock = await unlockWithPassphrase(header, passphrase, minimum);
  const { keyFile } = await downloadKeyFile(transport, userId, unlock.proof);
  return { keyFile, unlock };
}
