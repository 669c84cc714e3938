/**
 * Identity login: a username and password become OAuth-style tokens and a ready storage
 * {@linkcode Client}, by E3DB's TozID flow (spec §2.12) against Arca's own realm server.
 *
 * 1. Realm info gives the realm's canonical name.
 * 2. The username, password and realm name derive a note name and key pairs (§3.9); the
 *    password never leaves this process.
 * 3. Login (TSV1 with the derived signing key, which is the proof of the password), the continue
 *    step and the token issue, with PKCE S256.
 * 4. The identity's credential note (named by the derived note name, sealed to the derived keys,
 *    readable only with the access token as `X-TOZID-LOGIN-TOKEN`) is read and verified against
 *    the derived signing key (registration signs it with the derived keys, so a note the server
 *    made up fails); its `storage` field is the client's credential file.
 *
 * @module
 */
import { deriveNoteCredentials, type NoteCredentials } from "../crypto/identity_credentials.ts";
import { newPkceVerifier, pkceChallenge } from "../crypto/pkce.ts";
import type { SuiteName } from "../crypto/suite.ts";
import { getSuite, suiteNameFromEnv } from "../crypto/suites.ts";
import { ArcaError, ValidationError } from "../errors.ts";
import { LOGIN_CONTEXT_KEYS, REALM_NAME_PATTERN } from "../protocol/identity_constants.ts";
import type {
  IdentityTokensJson,
  LoginActionJson,
  LoginContextJson,
  LoginContinueForm,
  LoginRedirectRequest,
  LoginRequest,
  RealmInfoJson,
  TokenRefreshRequest,
} from "../protocol/identity.ts";
import { parseTimestamp } from "../protocol/timestamps.ts";
import { Client } from "./client.ts";
import { Config } from "./config.ts";
import { errorFromResponse } from "./_http_errors.ts";
import { TOZID_LOGIN_TOKEN_HEADER } from "../protocol/note_constants.ts";
import { type NoteParty, readNoteByName } from "./notes.ts";
import { defaultApiUrl } from "./registration.ts";
import { normalizeApiUrl } from "./_transport.ts";
import { tsv1Request } from "./_tsv1_request.ts";
import { wireObject, wireString } from "./_wire_reader.ts";

/** Seconds before expiry at which {@linkcode Identity.accessToken} refreshes. */
export const IDENTITY_REFRESH_MARGIN_SECONDS = 60;
/** The application name sent at login when none is given. */
export const DEFAULT_APP_NAME = "account";

/** A realm as realm info reports it. */
export interface RealmInfo {
  /** The canonical name (derivation uses it). */
  name: string;
  /** The lower-case name. */
  domain: string;
  /** A UUID. */
  brokerId: string;
}

/** Tokens issued at login or refresh. */
export interface IdentityTokens {
  /** Satisfies the identity's TozID EACP (`X-TOZID-LOGIN-TOKEN`). */
  accessToken: string;
  /** `Bearer`. */
  tokenType: string;
  /** Buys a new pair, once. */
  refreshToken: string;
  /** When the access token expires. */
  expiry: Date;
  /** When the refresh token expires. */
  refreshExpiry: Date;
}

/** The `config` part of a credential note (E3DB's field names). */
export interface IdentityConfigJson {
  /** The realm's canonical name. */
  realm_name: string;
  /** The realm's lower-case name. */
  realm_domain: string;
  /** The application the identity logs into. */
  app_name: string;
  /** Base URL of the API. */
  api_url: string;
  /** The identity's id on the server. */
  user_id: string;
  /** Where a broker would send the user (the API URL on Arca). */
  broker_target_url: string;
}

/** Where and how to connect. */
export interface IdentityConnectionOptions {
  /** Base URL of the API. */
  apiUrl: string;
  /** `fetch` to use; the global one by default. */
  fetch?: typeof fetch | undefined;
  /** Milliseconds since the epoch; `Date.now` by default. */
  now?: (() => number) | undefined;
}

/** Options of {@linkcode identityLogin}; every one has a default. */
export interface IdentityLoginOptions extends Omit<IdentityConnectionOptions, "apiUrl"> {
  /** Base URL of the API (default: `ARCA_API_URL`, else E3DB's `DEFAULT_API_URL`, else local). */
  apiUrl?: string | undefined;
  /**
   * The suite of the derived keys (default: `ARCA_CRYPTO_SUITE`, else E3DB's `CRYPTO_SUITE`,
   * else Sodium, as E3DB).
   */
  suite?: SuiteName | undefined;
}

/**
 * A logged-in identity: its tokens (refreshed before they expire) and its storage client.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const identity = await identityLogin("alice", "correct horse", "Acme", "account", { apiUrl });
 * await identity.client.write("diary", { entry: "hello" });
 * ```
 */
export class Identity {
  /** The realm logged into. */
  readonly realm: RealmInfo;
  /** The username as given at login. */
  readonly username: string;
  /** The identity's storage client. */
  readonly client: Client;
  /** The `config` part of the credential note. */
  readonly config: IdentityConfigJson;
  readonly #connection: IdentityConnectionOptions;
  #tokens: IdentityTokens;
  #pending: Promise<IdentityTokens> | undefined;

  /**
   * Wraps what a login produced (use {@linkcode identityLogin} rather than this).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const identity = new Identity(realm, "alice", client, config, tokens, { apiUrl });
   * ```
   */
  constructor(
    realm: RealmInfo,
    username: string,
    client: Client,
    config: IdentityConfigJson,
    tokens: IdentityTokens,
    connection: IdentityConnectionOptions,
  ) {
    this.realm = realm;
    this.username = username;
    this.client = client;
    this.config = config;
    this.#tokens = tokens;
    this.#connection = connection;
  }

  /** The current tokens (possibly expired: use {@linkcode accessToken} for a usable one). */
  get tokens(): IdentityTokens {
    return { ...this.#tokens };
  }

  /**
   * A usable access token, refreshed first when it expires within
   * {@linkcode IDENTITY_REFRESH_MARGIN_SECONDS}.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const token = await identity.accessToken();
   * ```
   */
  async accessToken(): Promise<string> {
    const now = (this.#connection.now ?? Date.now)();
    if (this.#tokens.expiry.getTime() - IDENTITY_REFRESH_MARGIN_SECONDS * 1000 > now) {
      return this.#tokens.accessToken;
    }
    return (await this.refresh()).accessToken;
  }

  /**
   * Trades the refresh token for a new pair now (concurrent calls share one request).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const tokens = await identity.refresh();
   * ```
   */
  refresh(): Promise<IdentityTokens> {
    this.#pending ??= refreshTokens(this.#connection, this.#tokens.refreshToken)
      .then((tokens) => (this.#tokens = tokens))
      .finally(() => (this.#pending = undefined));
    return this.#pending;
  }
}

/**
 * Realm info (no authentication).
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * const realm = await realmInfo("Acme", { apiUrl: "http://127.0.0.1:8000" });
 * console.log(realm.name, realm.domain);
 * ```
 */
export async function realmInfo(
  realmName: string,
  options: IdentityConnectionOptions,
): Promise<RealmInfo> {
  if (typeof realmName !== "string" || !REALM_NAME_PATTERN.test(realmName)) {
    throw new ValidationError(`Realm name "${realmName}" must be 1-64 letters, digits, '_' or '-'`);
  }
  const json = await plainRequest(options, "GET", `/v1/identity/info/realm/${realmName}`);
  return realmFromWire(json, "realm info");
}

/**
 * Reads a realm reply (realm info, or the admin API's realms), naming it `what` in errors.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { realmFromWire } from "./identity.ts";
 * const realm = realmFromWire({ name: "Acme", domain: "acme", broker_id: "b" }, "realm");
 * assert.equal(realm.domain, "acme");
 * ```
 */
export function realmFromWire(value: unknown, what: string): RealmInfo {
  const object = wireObject<RealmInfoJson>(value, what);
  return {
    name: wireString(object, "name", what),
    domain: wireString(object, "domain", what),
    brokerId: wireString(object, "broker_id", what),
  };
}

/**
 * Logs in with a username and password: returns an {@linkcode Identity} with tokens and a ready
 * storage client. A wrong password, an unknown user or realm all throw
 * {@linkcode UnauthorizedError} (401); too many failures throw an {@linkcode ArcaError} with
 * status 429; a tampered credential note throws {@linkcode IntegrityError}.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * import { identityLogin } from "@arca/arca";
 * const identity = await identityLogin("alice", "correct horse", "Acme", undefined, {
 *   apiUrl: "http://127.0.0.1:8000",
 * });
 * console.log(identity.client.clientId);
 * ```
 */
export async function identityLogin(
  username: string,
  password: string,
  realmName: string,
  appName: string = DEFAULT_APP_NAME,
  options: IdentityLoginOptions = {},
): Promise<Identity> {
  if (typeof username !== "string" || username === "") {
    throw new ValidationError("Username must be a non-empty string");
  }
  if (typeof password !== "string" || password === "") {
    throw new ValidationError("Password must be a non-empty string");
  }
  if (options === null || typeof options !== "object") {
    throw new ValidationError("identityLogin options must be an object");
  }
  const apiUrl = normalizeApiUrl(options.apiUrl ?? defaultApiUrl());
  const connection = { ...options, apiUrl };
  const realm = await realmInfo(realmName, connection);
  const suite = await getSuite(options.suite ?? suiteNameFromEnv());
  const credentials = await deriveNoteCredentials(suite, username, password, realm.name);
  const signer = {
    apiUrl,
    suite,
    signingKeys: credentials.signingKeys,
    fetch: options.fetch,
    now: options.now,
  };
  const tokens = await loginSteps(
    signer,
    credentials,
    realm,
    username,
    appName || DEFAULT_APP_NAME,
  );
  const party: NoteParty = { ...signer, encryptionKeys: credentials.encryptionKeys };
  // The note must be signed by the key derived from the password, never by one it names itself.
  const note = await readNoteByName(party, credentials.noteName, {
    headers: { [TOZID_LOGIN_TOKEN_HEADER]: tokens.accessToken },
    writerSigningKey: suite.encodePublicKey(credentials.signingKeys.publicKey),
  });
  const config = parseNoteJson(note.data.config, "config") as unknown as IdentityConfigJson;
  const storage = Config.fromObject(parseNoteJson(note.data.storage, "storage"));
  const client = new Client(storage, { fetch: options.fetch, now: options.now });
  return new Identity(realm, username, client, config, tokens, connection);
}

async function loginSteps(
  signer: Parameters<typeof tsv1Request>[0],
  credentials: NoteCredentials,
  realm: RealmInfo,
  username: string,
  appName: string,
): Promise<IdentityTokens> {
  const { suite } = signer;
  const verifier = newPkceVerifier();
  const login = await tsv1Request(signer, "POST", "/v1/identity/login", {
    json: {
      username,
      realm_name: realm.domain,
      app_name: appName,
      code_challenge: await pkceChallenge(verifier),
      login_style: "api",
    } satisfies LoginRequest,
  });
  const continued = loginAction(login.json, "continue");
  const fetched = loginAction(
    (await tsv1Request(signer, "POST", continued.action_url, {
      form: {
        public_key: suite.encodePublicKey(credentials.encryptionKeys.publicKey),
        public_signing_key: suite.encodePublicKey(credentials.signingKeys.publicKey),
      } satisfies LoginContinueForm,
    })).json,
    "fetch",
  );
  const context = loginContext(fetched);
  const issued = await tsv1Request(signer, "POST", "/v1/identity/tozid/redirect", {
    json: {
      realm_name: realm.domain,
      session_code: context.session_code,
      execution: context.execution,
      tab_id: context.tab_id,
      client_id: context.client_id,
      auth_session_id: context.auth_session_id,
      code_verifier: verifier,
    } satisfies LoginRedirectRequest,
  });
  return tokensFromWire(issued.json);
}

function loginAction(value: unknown, type: "continue" | "fetch"): LoginActionJson {
  const object = wireObject<LoginActionJson>(value, "login step");
  if (object.type !== type || typeof object.action_url !== "string") {
    throw new ArcaError(`Login step answered "${String(object.type)}", expected "${type}"`);
  }
  return object as LoginActionJson;
}

/** The login context of the fetch step, each of its values checked. */
function loginContext(action: LoginActionJson): LoginContextJson {
  const context = wireObject<LoginContextJson>(action.context, "login context");
  const entries = LOGIN_CONTEXT_KEYS.map((key) => [key, wireString(context, key, "login context")]);
  return Object.fromEntries(entries) as LoginContextJson;
}

async function refreshTokens(
  connection: IdentityConnectionOptions,
  refreshToken: string,
): Promise<IdentityTokens> {
  const json = await plainRequest(
    connection,
    "POST",
    "/v1/identity/tozid/refresh",
    {
      refresh_token: refreshToken,
    } satisfies TokenRefreshRequest,
  );
  return tokensFromWire(json);
}

function tokensFromWire(value: unknown): IdentityTokens {
  const object = wireObject<IdentityTokensJson>(value, "token response");
  const time = (key: "expiry" | "refresh_expiry") => {
    const text = wireString(object, key, "token response");
    try {
      return new Date(parseTimestamp(text) / 1000);
    } catch (error) {
      throw new ArcaError(`Token response has a malformed ${key}`, { cause: error });
    }
  };
  return {
    accessToken: wireString(object, "access_token", "token response"),
    tokenType: wireString(object, "token_type", "token response"),
    refreshToken: wireString(object, "refresh_token", "token response"),
    expiry: time("expiry"),
    refreshExpiry: time("refresh_expiry"),
  };
}

function parseNoteJson(text: string | undefined, field: string): Record<string, unknown> {
  if (typeof text !== "string") throw new ArcaError(`Credential note has no "${field}" field`);
  try {
    return wireObject(JSON.parse(text), `credential note ${field}`);
  } catch (error) {
    if (error instanceof ArcaError) throw error;
    throw new ArcaError(`Credential note "${field}" is not JSON`, { cause: error });
  }
}

/** An unauthenticated JSON request (realm info, token refresh). */
async function plainRequest(
  options: IdentityConnectionOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const url = `${normalizeApiUrl(options.apiUrl)}${path}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method,
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArcaError(`Cannot reach ${options.apiUrl}: ${reason}`, { cause: error });
  }
  if (!response.ok) throw await errorFromResponse(response);
  try {
    return await response.json();
  } catch (error) {
    throw new ArcaError(`Server sent a body that is not JSON (HTTP ${response.status})`, {
      cause: error,
    });
  }
}
