/**
 * Realm administration for identity login, with the server's admin token: create and list
 * realms, and register identities. Registration happens here, on the administrator's machine:
 * the password derives the identity's keys locally, a storage client is made for the identity,
 * and its credentials are written to the identity's credential note, sealed to the derived keys
 * and protected by a TozID EACP. The server receives public keys only.
 *
 * @module
 */
import { deriveNoteCredentials } from "../crypto/identity_credentials.ts";
import type { CryptoSuite, KeyPair, SuiteName } from "../crypto/suite.ts";
import { getSuite } from "../crypto/suites.ts";
import { ValidationError } from "../errors.ts";
import { REALM_NAME_PATTERN } from "../protocol/identity_constants.ts";
import type {
  IdentityRegisterRequest,
  IdentityRegistrationJson,
  RealmCreateRequest,
} from "../protocol/identity.ts";
import { keyToJson } from "../protocol/key_json.ts";
import { Config } from "./config.ts";
import {
  DEFAULT_APP_NAME,
  type IdentityConfigJson,
  type IdentityConnectionOptions,
  realmFromWire,
  type RealmInfo,
  realmInfo,
} from "./identity.ts";
import { writeNote } from "./notes.ts";
import { Transport } from "./_transport.ts";
import { wireArray, wireObject, wireString } from "./_wire_reader.ts";

/** Where the admin API is and its token. */
export interface RealmAdminOptions extends IdentityConnectionOptions {
  /** The server's admin token (`ARCA_ADMIN_TOKEN`). */
  adminToken: string;
}

/** Options of {@linkcode registerIdentity}. */
export interface RegisterIdentityOptions extends RealmAdminOptions {
  /** The realm's name. */
  realmName: string;
  /** The username (case-insensitive: stored in lower case). */
  username: string;
  /** The password; only keys derived from it leave this process, never the password. */
  password: string;
  /** Recorded in the credential note's config (default `account`). */
  appName?: string | undefined;
  /** Suite of the identity's keys and client (default Sodium). */
  suite?: SuiteName | undefined;
  /** Name of the identity's storage client (default `identity:<realm>:<username>`). */
  clientName?: string | undefined;
}

/** What {@linkcode registerIdentity} made. */
export interface RegisteredIdentity {
  /** The identity's id on the server. */
  identityId: string;
  /** The realm. */
  realm: RealmInfo;
  /** The username, lower case. */
  username: string;
  /** The identity's storage client. */
  clientId: string;
  /** The credential note's id. */
  noteId: string;
  /** The credential note's name (derived from username and realm). */
  noteName: string;
}

function adminTransport(options: RealmAdminOptions): Transport {
  if (options === null || typeof options !== "object") {
    throw new ValidationError("Admin options must be an object with apiUrl and adminToken");
  }
  if (typeof options.adminToken !== "string" || options.adminToken.trim() === "") {
    throw new ValidationError("Admin token must be a non-empty string (set ARCA_ADMIN_TOKEN)");
  }
  return new Transport({
    apiUrl: options.apiUrl,
    bearerToken: options.adminToken.trim(),
    fetch: options.fetch,
    now: options.now,
  });
}

/**
 * Creates a realm (a taken name throws {@linkcode ConflictError}).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const realm = await createRealm("Acme", { apiUrl, adminToken });
 * ```
 */
export async function createRealm(name: string, options: RealmAdminOptions): Promise<RealmInfo> {
  if (typeof name !== "string" || !REALM_NAME_PATTERN.test(name)) {
    throw new ValidationError(`Realm name "${name}" must be 1-64 letters, digits, '_' or '-'`);
  }
  const reply = await adminTransport(options).request("POST", "/v1/arca/admin/realms", {
    body: { name } satisfies RealmCreateRequest,
  });
  return realmFromWire(reply.json, "realm");
}

/**
 * Lists the realms.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * for (const realm of await listRealms({ apiUrl, adminToken })) console.log(realm.name);
 * ```
 */
export async function listRealms(options: RealmAdminOptions): Promise<RealmInfo[]> {
  const reply = await adminTransport(options).request("GET", "/v1/arca/admin/realms");
  return wireArray(reply.json, "realm list").map((realm) => realmFromWire(realm, "realm"));
}

/**
 * Deletes an identity with its storage client and everything that client owns.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await deleteIdentity("Acme", "alice", { apiUrl, adminToken });
 * ```
 */
export async function deleteIdentity(
  realmName: string,
  username: string,
  options: RealmAdminOptions,
): Promise<void> {
  if (typeof username !== "string" || username === "") {
    throw new ValidationError("Username must be a non-empty string");
  }
  await adminTransport(options).request(
    "DELETE",
    `/v1/arca/admin/realms/${encodeURIComponent(realmName)}/identities/${
      encodeURIComponent(username.toLowerCase())
    }`,
  );
}

function encryptionKeyJson(suite: CryptoSuite, pair: KeyPair) {
  return keyToJson({ type: suite.publicKeyType, value: suite.encodePublicKey(pair.publicKey) });
}

function signingKeyJson(suite: CryptoSuite, pair: KeyPair) {
  return keyToJson({ type: suite.signingKeyType, value: suite.encodePublicKey(pair.publicKey) });
}

/**
 * Registers an identity: derives its keys from the password, has the server create its storage
 * client, and writes the credential note that {@linkcode identityLogin} reads. If the note
 * cannot be written the identity is deleted again.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * await registerIdentity({
 *   apiUrl, adminToken, realmName: "Acme", username: "alice", password: "correct horse",
 * });
 * ```
 */
export async function registerIdentity(
  options: RegisterIdentityOptions,
): Promise<RegisteredIdentity> {
  const transport = adminTransport(options);
  for (const field of ["realmName", "username", "password"] as const) {
    if (typeof options[field] !== "string" || options[field] === "") {
      throw new ValidationError(`registerIdentity needs a non-empty ${field}`);
    }
  }
  const realm = await realmInfo(options.realmName, options);
  const suite = await getSuite(options.suite ?? "Sodium");
  const derived = await deriveNoteCredentials(
    suite,
    options.username,
    options.password,
    realm.name,
  );
  const clientKeys = {
    encryption: await suite.generateEncryptionKeyPair(),
    signing: await suite.generateSigningKeyPair(),
  };
  const username = options.username.toLowerCase();
  const reply = await transport.request(
    "POST",
    `/v1/arca/admin/realms/${realm.domain}/identities`,
    {
      body: {
        username,
        public_key: encryptionKeyJson(suite, derived.encryptionKeys),
        signing_key: signingKeyJson(suite, derived.signingKeys),
        client: {
          name: options.clientName ?? `identity:${realm.domain}:${username}`,
          public_key: encryptionKeyJson(suite, clientKeys.encryption),
          signing_key: signingKeyJson(suite, clientKeys.signing),
        },
      } satisfies IdentityRegisterRequest,
    },
  );
  const made = wireObject<IdentityRegistrationJson>(reply.json, "identity registration");
  const identityId = wireString(made, "identity_id", "identity registration");
  const clientId = wireString(made, "client_id", "identity registration");
  const apiUrl = transport.apiUrl;
  const storage = Config.fromObject({
    version: "2",
    client_id: clientId,
    api_key_id: wireString(made, "api_key_id", "identity registration"),
    api_secret: wireString(made, "api_secret", "identity registration"),
    client_email: "",
    public_key: suite.encodePublicKey(clientKeys.encryption.publicKey),
    private_key: suite.encodePrivateKey(clientKeys.encryption.privateKey),
    public_signing_key: suite.encodePublicKey(clientKeys.signing.publicKey),
    private_signing_key: suite.encodePrivateKey(clientKeys.signing.privateKey),
    api_url: apiUrl,
    ...(suite.name === "NIST" ? { crypto_suite: "NIST" } : {}),
  });
  const config: IdentityConfigJson = {
    realm_name: realm.name,
    realm_domain: realm.domain,
    app_name: options.appName ?? DEFAULT_APP_NAME,
    api_url: apiUrl,
    user_id: identityId,
    broker_target_url: apiUrl,
  };
  try {
    const note = await writeNote(
      {
        apiUrl,
        suite,
        clientId,
        encryptionKeys: clientKeys.encryption,
        signingKeys: clientKeys.signing,
        // Sealed and signed with the derived keys: login checks the note against them.
        noteWriterKeys: { encryption: derived.encryptionKeys, signing: derived.signingKeys },
        fetch: options.fetch,
        now: options.now,
      },
      { config: JSON.stringify(config), storage: JSON.stringify(storage.toJSON()) },
      suite.encodePublicKey(derived.encryptionKeys.publicKey),
      suite.encodePublicKey(derived.signingKeys.publicKey),
      {
        idString: derived.noteName,
        maxViews: -1,
        eacp: { tozid_eacp: { realm_name: realm.name } },
      },
    );
    return {
      identityId,
      realm,
      username,
      clientId,
      noteId: note.noteId,
      noteName: derived.noteName,
    };
  } catch (error) {
    await deleteIdentity(realm.domain, username, options).catch(() => {});
    throw error;
  }
}
