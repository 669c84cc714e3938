/**
 * Client registration: `POST /v1/account/e3db/clients/register` with a registration token,
 * a name and public keys; the reply (201, header `X-Backup-Client`) carries the new client's id
 * and API key pair. The result includes a ready {@linkcode Config}.
 *
 * @module
 */
import type { SuiteName } from "../crypto/suite.ts";
import { getSuite } from "../crypto/suites.ts";
import { type EnvReader, processEnv } from "../env_reader.ts";
import { ArcaError, ValidationError } from "../errors.ts";
import { isUuid } from "../protocol/ids.ts";
import { keyToJson } from "../protocol/key_json.ts";
import type { RegistrationResponse } from "../protocol/responses.ts";
import { MAX_NAME_LENGTH } from "../protocol/name_limits.ts";
import type { RegistrationRequest } from "../protocol/schemas.ts";
import { backupCredentials } from "./backup.ts";
import { Config } from "./config.ts";
import { type ConnectionOptions, createClientContext } from "./context.ts";
import { type KeyPairText, suiteOfKeyText } from "./key_text.ts";
import { normalizeApiUrl, Transport } from "./_transport.ts";
import { wireObject, wireString } from "./_wire_reader.ts";

/** Where Arca's server listens by default (`deno task serve`). */
export const DEFAULT_API_URL = "http://127.0.0.1:8000";

/** Options of {@linkcode registerClient}. */
export interface RegisterOptions extends ConnectionOptions {
  /** Back the credentials up for the account's backup client (E3DB `backup=True`). */
  backup?: boolean | undefined;
  /** API base URL; default {@linkcode defaultApiUrl}. */
  apiUrl?: string | undefined;
  /** A signing key pair; without one the client is a version-1 client. */
  signingKeys?: KeyPairText | undefined;
  /** The suite the keys must belong to (their shape tells it otherwise). */
  suite?: SuiteName | undefined;
}

/** A registered client. */
export interface Registration {
  /** The new client's id. */
  clientId: string;
  /** Its API key id. */
  apiKeyId: string;
  /** Its API secret (shown only once: keep the config). */
  apiSecret: string;
  /** Its name. */
  name: string;
  /** Its encryption public key. */
  publicKey: string;
  /** Its signing public key, or `null`. */
  publicSigningKey: string | null;
  /** The `X-Backup-Client` the server named, if any. */
  backupClientId: string | undefined;
  /** Whether the credentials were backed up. */
  backedUp: boolean;
  /** The API URL it registered with. */
  apiUrl: string;
  /** Its cipher suite. */
  suite: SuiteName;
  /** The complete credentials, ready for `new Client(config)` or `config.write()`. */
  config: Config;
}

/**
 * The API URL to use when none is given: `ARCA_API_URL`, else E3DB's `DEFAULT_API_URL`, else
 * {@linkcode DEFAULT_API_URL}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultApiUrl } from "./registration.ts";
 * assert.equal(defaultApiUrl(new Map()), "http://127.0.0.1:8000");
 * ```
 */
export function defaultApiUrl(env: EnvReader = processEnv()): string {
  for (const name of ["ARCA_API_URL", "DEFAULT_API_URL"]) {
    const value = env.get(name)?.trim();
    if (value !== undefined && value !== "") return value;
  }
  return DEFAULT_API_URL;
}

function checkKeyPair(
  keys: unknown,
  what: string,
  roles: ["public", "private"] | ["public signing", "private signing"],
): { pair: KeyPairText; suite: SuiteName } {
  if (keys === null || typeof keys !== "object") {
    throw new ValidationError(`${what} must be an object { publicKey, privateKey }`);
  }
  const pair = keys as KeyPairText;
  const suite = suiteOfKeyText(pair.publicKey, roles[0], `${what} publicKey`);
  const privateSuite = suiteOfKeyText(pair.privateKey, roles[1], `${what} privateKey`);
  if (privateSuite !== suite) {
    throw new ValidationError(
      `${what} mixes a ${suite} public key and a ${privateSuite} private key`,
    );
  }
  return { pair, suite };
}

/**
 * Registers a client. The keys are checked (and decoded with their suite) before anything is
 * sent; with `backup`, the credentials are then backed up as E3DB does.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const keys = await generateKeyPairText();
 * const signingKeys = await generateSigningKeyPairText();
 * const registration = await registerClient(token, "my-app", keys, { signingKeys });
 * await registration.config.write();
 * ```
 */
export async function registerClient(
  registrationToken: string,
  name: string,
  keys: KeyPairText,
  options: RegisterOptions = {},
): Promise<Registration> {
  if (typeof registrationToken !== "string" || registrationToken.trim() === "") {
    throw new ValidationError("Registration token must be a non-empty string");
  }
  if (typeof name !== "string" || name.trim() === "" || name.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`Client name must be 1-${MAX_NAME_LENGTH} characters`);
  }
  if (options === null || typeof options !== "object") {
    throw new ValidationError("Registration options must be an object");
  }
  const encryption = checkKeyPair(keys, "Keys", ["public", "private"]);
  const suiteName = encryption.suite;
  if (options.suite !== undefined && options.suite !== suiteName) {
    throw new ValidationError(`Suite is "${options.suite}", but the keys are ${suiteName} keys`);
  }
  const signing = options.signingKeys === undefined
    ? undefined
    : checkKeyPair(options.signingKeys, "Signing keys", ["public signing", "private signing"]);
  // E3DB's NIST clients pair P-384 encryption keys with Ed25519 signing keys (spec §3.8).
  const mixedAllowed = suiteName === "NIST" && signing?.suite === "Sodium";
  if (signing !== undefined && signing.suite !== suiteName && !mixedAllowed) {
    throw new ValidationError(`Signing keys are ${signing.suite} keys, the others ${suiteName}`);
  }
  const suite = await getSuite(suiteName);
  const signingSuite = signing === undefined ? suite : await getSuite(signing.suite);
  // Decode once so malformed keys fail here, not at the server.
  suite.decodePublicKey(encryption.pair.publicKey);
  suite.decodePrivateKey(encryption.pair.privateKey);
  if (signing !== undefined) {
    signingSuite.decodePublicKey(signing.pair.publicKey);
    signingSuite.decodePrivateKey(signing.pair.privateKey);
  }
  const apiUrl = normalizeApiUrl(options.apiUrl ?? defaultApiUrl());

  const transport = new Transport({ apiUrl, fetch: options.fetch, now: options.now });
  const reply = await transport.request("POST", "/v1/account/e3db/clients/register", {
    auth: "none",
    body: {
      token: registrationToken,
      client: {
        name,
        public_key: keyToJson({ type: suite.publicKeyType, value: encryption.pair.publicKey }),
        ...(signing === undefined ? {} : {
          signing_key: keyToJson({
            type: signingSuite.signingKeyType,
            value: signing.pair.publicKey,
          }),
        }),
      },
    } satisfies RegistrationRequest,
  });
  const json = wireObject<RegistrationResponse>(reply.json, "registration reply");
  const clientId = wireString(json, "client_id", "registration reply");
  if (!isUuid(clientId)) throw new ArcaError("Server sent a client_id that is not a UUID");
  const backupHeader = reply.headers.get("x-backup-client")?.trim();
  const backupClientId = backupHeader === undefined || backupHeader === ""
    ? undefined
    : backupHeader.toLowerCase();

  const config = Config.fromObject({
    version: signing === undefined ? "1" : "2",
    client_id: clientId,
    api_key_id: wireString(json, "api_key_id", "registration reply"),
    api_secret: wireString(json, "api_secret", "registration reply"),
    client_email: "",
    public_key: encryption.pair.publicKey,
    private_key: encryption.pair.privateKey,
    public_signing_key: signing?.pair.publicKey,
    private_signing_key: signing?.pair.privateKey,
    api_url: apiUrl,
    crypto_suite: suiteName,
  });

  let backedUp = false;
  if (options.backup === true) {
    if (backupClientId === undefined) {
      throw new ArcaError("Server named no backup client (X-Backup-Client), cannot back up");
    }
    const context = await createClientContext(config, options);
    await backupCredentials(context, backupClientId, registrationToken);
    backedUp = true;
  }
  return {
    clientId: config.clientId,
    apiKeyId: config.apiKeyId,
    apiSecret: config.apiSecret,
    name: typeof json.name === "string" ? json.name : name,
    publicKey: config.publicKey,
    publicSigningKey: config.publicSigningKey ?? null,
    backupClientId,
    backedUp,
    apiUrl,
    suite: suiteName,
    config,
  };
}
