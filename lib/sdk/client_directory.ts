/**
 * Other clients' public keys: `GET /v1/storage/clients/{id}`, cached per id (a client's keys
 * never change). Keys of a suite other than this client's are refused.
 *
 * @module
 */
import type { CryptoSuite, SuiteName } from "../crypto/suite.ts";
import { getSuite } from "../crypto/suites.ts";
import { ArcaError, ValidationError } from "../errors.ts";
import type { ClientInfoResponse } from "../protocol/responses.ts";
import { clientPath } from "./_paths.ts";
import type { Transport } from "./_transport.ts";
import { wireObject, wireString, wireTypedKey } from "./_wire_reader.ts";

/** A client's public information. */
export interface ClientInfo {
  /** The client's id. */
  clientId: string;
  /** Encryption public key (wire text). */
  publicKey: string;
  /** `curve25519` (Sodium) or `p384` (NIST). */
  publicKeyType: string;
  /** Signing public key (wire text), or `null` when the client registered none. */
  signingKey: string | null;
  /** `ed25519`, `p384`, or `null`. */
  signingKeyType: string | null;
  /** Whether the server considers the client validated. */
  validated: boolean;
}

/** A signing public key, decoded, and the suite that verifies with it. */
export interface SigningPublicKey {
  /** The suite of the key (Sodium for `ed25519`, NIST for `p384`). */
  suite: CryptoSuite;
  /** The decoded public key. */
  key: Uint8Array;
}

const SUITE_OF_SIGNING_KEY_TYPE: Record<string, SuiteName | undefined> = {
  ed25519: "Sodium",
  p384: "NIST",
};

/**
 * Reads a client-info reply.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clientInfoFromWire } from "./client_directory.ts";
 * const info = clientInfoFromWire({
 *   client_id: "c", public_key: { curve25519: "k" }, signing_key: null, validated: true,
 * });
 * assert.equal(info.publicKeyType, "curve25519");
 * assert.equal(info.signingKey, null);
 * ```
 */
export function clientInfoFromWire(value: unknown): ClientInfo {
  const json = wireObject<ClientInfoResponse>(value, "client info");
  const publicKey = wireTypedKey(json.public_key, "client public_key");
  const signing = json.signing_key === undefined || json.signing_key === null
    ? null
    : wireTypedKey(json.signing_key, "client signing_key");
  return {
    clientId: wireString(json, "client_id", "client info"),
    publicKey: publicKey.value,
    publicKeyType: publicKey.type,
    signingKey: signing?.value ?? null,
    signingKeyType: signing?.type ?? null,
    validated: json.validated === true,
  };
}

/**
 * Looks up and caches client information and decoded public keys.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const directory = new ClientDirectory(transport, suite);
 * const readerKey = await directory.publicKey(readerId);
 * ```
 */
export class ClientDirectory {
  readonly #transport: Transport;
  readonly #suite: CryptoSuite;
  readonly #cache = new Map<string, Promise<ClientInfo>>();

  /**
   * Creates a directory that fetches through `transport` and decodes keys with `suite`.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const directory = new ClientDirectory(transport, await sodiumSuite());
   * ```
   */
  constructor(transport: Transport, suite: CryptoSuite) {
    this.#transport = transport;
    this.#suite = suite;
  }

  /**
   * A client's public information (cached after the first successful lookup).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const info = await directory.info(clientId);
   * ```
   */
  info(clientId: string): Promise<ClientInfo> {
    const cached = this.#cache.get(clientId);
    if (cached !== undefined) return cached;
    const pending = this.#fetch(clientId);
    this.#cache.set(clientId, pending);
    pending.catch(() => this.#cache.delete(clientId));
    return pending;
  }

  async #fetch(clientId: string): Promise<ClientInfo> {
    const reply = await this.#transport.request("GET", clientPath(clientId));
    return clientInfoFromWire(reply.json);
  }

  /**
   * A client's encryption public key, decoded; refuses keys of another suite.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const key = await directory.publicKey(readerId);
   * ```
   */
  async publicKey(clientId: string): Promise<Uint8Array> {
    const info = await this.info(clientId);
    return decodeTypedPublicKey(this.#suite, info.publicKeyType, info.publicKey, clientId);
  }

  /**
   * A client's signing public key, decoded, or `undefined` when it registered none.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const key = await directory.signingKey(writerId);
   * ```
   */
  async signingKey(clientId: string): Promise<Uint8Array | undefined> {
    const signer = await this.anySigningKey(clientId);
    if (signer === undefined) return undefined;
    if (signer.suite.name !== this.#suite.name) {
      throw new ValidationError(
        `Client "${clientId}" has a ${signer.suite.signingKeyType} signing key, but this client uses the ${this.#suite.name} suite`,
      );
    }
    return signer.key;
  }

  /**
   * A client's signing public key, decoded, with the suite it belongs to (read from its wire
   * type, `ed25519` or `p384`), or `undefined` when it registered none. Records are verified
   * this way: E3DB's NIST clients sign with Ed25519 while Arca's sign with ECDSA P-384.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const signer = await directory.anySigningKey(writerId);
   * ```
   */
  async anySigningKey(clientId: string): Promise<SigningPublicKey | undefined> {
    const info = await this.info(clientId);
    if (info.signingKey === null || info.signingKeyType === null) return undefined;
    const suiteName = SUITE_OF_SIGNING_KEY_TYPE[info.signingKeyType];
    if (suiteName === undefined) {
      throw new ArcaError(
        `Client "${clientId}" has a signing key of unknown type "${info.signingKeyType}"`,
      );
    }
    const suite = suiteName === this.#suite.name ? this.#suite : await getSuite(suiteName);
    try {
      return { suite, key: suite.decodePublicKey(info.signingKey) };
    } catch (error) {
      throw new ArcaError(`Client "${clientId}" has a malformed signing key`, { cause: error });
    }
  }
}

/**
 * Decodes a `{type: text}` encryption public key for `suite`; refuses another suite's key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeTypedPublicKey } from "./client_directory.ts";
 * import { sodiumSuite } from "../crypto/sodium.ts";
 * const suite = await sodiumSuite();
 * const text = suite.encodePublicKey((await suite.generateEncryptionKeyPair()).publicKey);
 * assert.equal(decodeTypedPublicKey(suite, "curve25519", text, "writer").length, 32);
 * assert.throws(() => decodeTypedPublicKey(suite, "p384", text, "writer"));
 * ```
 */
export function decodeTypedPublicKey(
  suite: CryptoSuite,
  type: string,
  text: string,
  owner: string,
): Uint8Array {
  if (type !== suite.publicKeyType) {
    throw new ValidationError(
      `Client "${owner}" has a ${type} key, but this client uses the ${suite.name} suite`,
    );
  }
  try {
    return suite.decodePublicKey(text);
  } catch (error) {
    throw new ArcaError(`Client "${owner}" has a malformed public key`, { cause: error });
  }
}
