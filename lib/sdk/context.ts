/**
 * What every client operation needs, built once per {@linkcode Client}: the transport, the
 * suite, the client's decoded keys, the client directory and the access-key cache.
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
 * Builds a client's context from its config: loads the suite and decodes every key up front.
 *
 * @example
 * ```ts ignore
 * // Needs a client's config (see Config.load).
 * const context = await createClientContext(config);
 * ```
 */
export async function createClientContext(
  config: Config,
  options: ConnectionOptions = {},
): Promise<ClientContext> {
  const suite = await getSuite(config.cryptoSuite);
  const encryptionKeys: KeyPair = {
    publicKey: decodeKey(() => suite.decodePublicKey(config.publicKey), "public_key"),
    privateKey: decodeKey(() => suite.decodePrivateKey(config.privateKey), "private_key"),
  };
  let signingKeys: KeyPair | undefined;
  if (config.publicSigningKey !== undefined && config.privateSigningKey !== undefined) {
    const publicText = config.publicSigningKey;
    const privateText = config.privateSigningKey;
    signingKeys = {
      publicKey: decodeKey(() => suite.decodePublicKey(publicText), "public_signing_key"),
      privateKey: decodeKey(() => suite.decodePrivateKey(privateText), "private_signing_key"),
    };
  }
  const transport = new Transport({
    apiUrl: config.apiUrl,
    credentials: { apiKeyId: config.apiKeyId, apiSecret: config.apiSecret },
    fetch: options.fetch,
    now: options.now,
  });
  return {
    config,
    clientId: config.clientId,
    transport,
    suite,
    encryptionKeys,
    signingKeys,
    directory: new ClientDirectory(transport, suite),
    accessKeys: new Map(),
    ownAccessKeys: new Map(),
    ownAccessKeyLookups: new Map(),
  };
}
