/**
 * What every client operation needs, built once per {@linkcode Client}: the transport, the
 * suite, the client's decoded keys, the client directory, the access-key caches and the
 * signature policy.
 *
 * @module
 */
import type { CryptoSuite, KeyPair } from "../crypto/suite.ts";
import { getSuite } from "../crypto/suites.ts";
import { ValidationError } from "../errors.ts";
import { ClientDirectory } from "./client_directory.ts";
import type { Config } from "./config.ts";
import { Transport } from "./_transport.ts";

/** Options shared by the client and registration: injection points for tests. */
export interface ConnectionOptions {
  /** `fetch` to use; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds since the epoch; `Date.now` by default. */
  now?: (() => number) | undefined;
}

/**
 * Whose records must carry a signature (`rec_sig`) for this client to accept them once
 * decrypted; a record that is signed is always verified, whatever the policy.
 *
 * - `"own"` (the default): the client's own records, when it has signing keys (it signs every
 *   record it writes then). Other writers' records may be unsigned: E3DB's SDKs do not sign.
 * - `"all"`: every record.
 * - `"none"`: no record (signatures present are still verified).
 * - `{ writers: [...] }`: the client's own records (as `"own"`) and those of the listed writers.
 */
export type SignaturePolicy = "own" | "all" | "none" | { writers: readonly string[] };

/** Options of a {@linkcode Client}: the connection and the reader's signature policy. */
export interface ClientOptions extends ConnectionOptions {
  /** Whose records must be signed; `"own"` by default (see {@linkcode SignaturePolicy}). */
  requireSignatures?: SignaturePolicy | undefined;
}

/** The state behind a client. */
export interface ClientContext {
  /** The credentials. */
  readonly config: Config;
  /** The client's id. */
  readonly clientId: string;
  /** HTTP with bearer tokens. */
  readonly transport: Transport;
  /** The cipher suite of the client's keys. */
  readonly suite: CryptoSuite;
  /** The encryption key pair, decoded. */
  readonly encryptionKeys: KeyPair;
  /** The signing key pair, decoded, when the config has one. */
  readonly signingKeys: KeyPair | undefined;
  /**
   * The suite of the signing keys: `suite`, except for E3DB's NIST credential files (P-384
   * encryption, Ed25519 signatures), where it is the Sodium suite.
   */
  readonly signingSuite: CryptoSuite;
  /** Other clients' public keys. */
  readonly directory: ClientDirectory;
  /**
   * Access keys of other writers by `[writer, user, type]` (the caller is always the reader), as
   * the server handed them out: used only to read.
   */
  readonly accessKeys: Map<string, Uint8Array>;
  /**
   * The caller's own access keys (writer = user = reader = the caller) by type: only keys this
   * client made or opened with its own key pair. Writes, file uploads and shares use these.
   */
  readonly ownAccessKeys: Map<string, Uint8Array>;
  /** In-flight lookups or creations of the caller's own access keys, by type. */
  readonly ownAccessKeyLookups: Map<string, Promise<Uint8Array>>;
  /** Whether records of this writer must be signed (from the client's signature policy). */
  readonly requiresSignature: (writerId: string) => boolean;
}

/**
 * The signature policy as a test on the writer id; {@linkcode ValidationError} for a policy
 * that is none of the documented forms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { signaturePolicyTest } from "./context.ts";
 * const requires = signaturePolicyTest("own", "me", true);
 * assert.equal(requires("me"), true);
 * assert.equal(requires("someone else"), false);
 * ```
 */
export function signaturePolicyTest(
  policy: SignaturePolicy | undefined,
  clientId: string,
  hasSigningKeys: boolean,
): (writerId: string) => boolean {
  const own = (writerId: string) => hasSigningKeys && writerId === clientId;
  if (policy === undefined || policy === "own") return own;
  if (policy === "all") return () => true;
  if (policy === "none") return () => false;
  const writers = typeof policy === "object" && policy !== null ? policy.writers : undefined;
  if (!Array.isArray(writers) || writers.some((id) => typeof id !== "string")) {
    throw new ValidationError(
      'requireSignatures must be "own", "all", "none" or { writers: [client ids] }',
    );
  }
  const listed = new Set(writers);
  return (writerId) => own(writerId) || listed.has(writerId);
}

function decodeKey(decode: () => Uint8Array, name: string): Uint8Array {
  try {
    return decode();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`Config "${name}" is not a valid key: ${reason}`, { cause: error });
  }
}

/**
 * Builds a client's context from its config: loads the suite and decodes every key up front,
 * while the first bearer token is fetched.
 *
 * @example
 * ```ts ignore
 * // Needs a client's config (see Config.load).
 * const context = await createClientContext(config);
 * ```
 */
export async function createClientContext(
  config: Config,
  options: ClientOptions = {},
): Promise<ClientContext> {
  const transport = new Transport({
    apiUrl: config.apiUrl,
    credentials: { apiKeyId: config.apiKeyId, apiSecret: config.apiSecret },
    fetch: options.fetch,
    now: options.now,
  });
  // The token's round trip overlaps loading the suite (libsodium's WebAssembly, for Sodium).
  transport.prefetchToken();
  const suite = await getSuite(config.cryptoSuite);
  const signingSuite = config.signingSuite === suite.name
    ? suite
    : await getSuite(config.signingSuite);
  const encryptionKeys: KeyPair = {
    publicKey: decodeKey(() => suite.decodePublicKey(config.publicKey), "public_key"),
    privateKey: decodeKey(() => suite.decodePrivateKey(config.privateKey), "private_key"),
  };
  let signingKeys: KeyPair | undefined;
  if (config.publicSigningKey !== undefined && config.privateSigningKey !== undefined) {
    const publicText = config.publicSigningKey;
    const privateText = config.privateSigningKey;
    signingKeys = {
      publicKey: decodeKey(() => signingSuite.decodePublicKey(publicText), "public_signing_key"),
      privateKey: decodeKey(
        () => signingSuite.decodePrivateKey(privateText),
        "private_signing_key",
      ),
    };
  }
  return {
    config,
    clientId: config.clientId,
    transport,
    suite,
    encryptionKeys,
    signingKeys,
    signingSuite,
    directory: new ClientDirectory(transport, suite),
    accessKeys: new Map(),
    ownAccessKeys: new Map(),
    ownAccessKeyLookups: new Map(),
    requiresSignature: signaturePolicyTest(
      options.requireSignatures,
      config.clientId,
      signingKeys !== undefined,
    ),
  };
}
