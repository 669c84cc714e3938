/**
 * What every {@linkcode Client} is made of: its credentials ({@linkcode Config}), the connection
 * opened from them on first use, and the static helpers that make new clients (key pairs,
 * registration). `client.ts` adds the operations.
 *
 * @module
 */
import type { SuiteName } from "../crypto/suite.ts";
import { ValidationError } from "../errors.ts";
import { Config } from "./config.ts";
import {
  type ClientContext,
  type ClientOptions,
  createClientContext,
  signaturePolicyTest,
} from "./context.ts";
import { generateKeyPairText, generateSigningKeyPairText, type KeyPairText } from "./key_text.ts";
import type { NoteParty } from "./notes.ts";
import { registerClient, type RegisterOptions, type Registration } from "./registration.ts";

/** What {@linkcode Client} reads of its connection; `mod.ts` does not export it. */
export interface ConnectionInternals {
  /** The client's context (keys decoded, transport ready), made on first use. */
  context(client: ClientConnection): Promise<ClientContext>;
  /** The `fetch` that requests go through. */
  fetch(client: ClientConnection): typeof fetch;
  /** The client as a note party: notes are TSV1-signed with its signing keys (`notes.ts`). */
  noteParty(client: ClientConnection): Promise<NoteParty>;
}

/** Filled in by {@linkcode ClientConnection}'s static block, which may read its private state. */
export const connection = {} as ConnectionInternals;

/**
 * A registered client's credentials and connection: the base of {@linkcode Client}, which is
 * what applications use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Client, ClientConnection } from "@arca/arca";
 * const keys = await Client.generateKeypair();
 * assert.ok(keys.publicKey.length > 0);
 * assert.ok(Object.getPrototypeOf(Client) === ClientConnection);
 * ```
 */
export class ClientConnection {
  /** The client's credentials. */
  readonly config: Config;
  readonly #options: ClientOptions;
  #context: Promise<ClientContext> | undefined;

  /**
   * Creates a client. Keys are decoded on first use (an invalid key then throws
   * {@linkcode ValidationError}). `options.requireSignatures` says whose records must be signed
   * (a `SignaturePolicy`; `"own"` by default).
   *
   * @example
   * ```ts ignore
   * // Needs ARCA_* credentials in the environment.
   * const client = new Client(Config.fromEnv(), { requireSignatures: "all" });
   * ```
   */
  constructor(config: Config, options: ClientOptions = {}) {
    if (!(config instanceof Config)) {
      throw new ValidationError("Client needs a Config (use Config.fromObject or Config.load)");
    }
    if (options === null || typeof options !== "object") {
      throw new ValidationError("Client options must be an object");
    }
    signaturePolicyTest(options.requireSignatures, config.clientId, false); // throws when malformed
    this.config = config;
    this.#options = options;
  }

  /** This client's id. */
  get clientId(): string {
    return this.config.clientId;
  }

  #contextOnce(): Promise<ClientContext> {
    this.#context ??= createClientContext(this.config, this.#options);
    return this.#context;
  }

  /**
   * Registers a new client with a registration token; see {@linkcode registerClient}.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const keys = await Client.generateKeypair();
   * const signingKeys = await Client.generateSigningKeypair();
   * const { config } = await Client.register(token, "my-app", keys, { signingKeys, apiUrl });
   * await config.write();
   * ```
   */
  static register(
    registrationToken: string,
    name: string,
    keys: KeyPairText,
    options: RegisterOptions = {},
  ): Promise<Registration> {
    return registerClient(registrationToken, name, keys, options);
  }

  /**
   * A fresh encryption key pair as wire text (suite: the argument, else `ARCA_CRYPTO_SUITE` /
   * `CRYPTO_SUITE`, else Sodium).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Client } from "@arca/arca";
   * const { publicKey, privateKey } = await Client.generateKeypair("NIST");
   * assert.ok(publicKey.length > 0 && privateKey.length > 0);
   * ```
   */
  static generateKeypair(suite?: SuiteName): Promise<KeyPairText> {
    return generateKeyPairText(suite);
  }

  /**
   * A fresh signing key pair as wire text.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Client } from "@arca/arca";
   * const { publicKey, privateKey } = await Client.generateSigningKeypair();
   * assert.ok(publicKey.length > 0 && privateKey.length > 0);
   * ```
   */
  static generateSigningKeypair(suite?: SuiteName): Promise<KeyPairText> {
    return generateSigningKeyPairText(suite);
  }

  #fetch(): typeof fetch {
    return this.#options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async #noteParty(): Promise<NoteParty> {
    const context = await this.#contextOnce();
    if (context.signingKeys === undefined) {
      throw new ValidationError("Notes need a client with signing keys (a version 2 config)");
    }
    if (context.signingSuite !== context.suite) {
      throw new ValidationError(
        "Notes need signing keys of the encryption keys' suite; this config pairs NIST " +
          "encryption keys with Ed25519 signing keys (an E3DB NIST credential file)",
      );
    }
    return {
      apiUrl: context.transport.apiUrl,
      suite: context.suite,
      clientId: context.clientId,
      encryptionKeys: context.encryptionKeys,
      signingKeys: context.signingKeys,
      fetch: this.#options.fetch,
      now: this.#options.now,
    };
  }

  static {
    connection.context = (client) => client.#contextOnce();
    connection.fetch = (client) => client.#fetch();
    connection.noteParty = (client) => client.#noteParty();
  }
}
