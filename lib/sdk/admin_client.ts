/**
 * Arca's admin API (`/v1/arca/admin/...`, bearer = the server's `ARCA_ADMIN_TOKEN`):
 * registration tokens (create, list, revoke) and clients (list, disable, enable, delete).
 *
 * @module
 */
import { ValidationError } from "../errors.ts";
import type {
  AdminClientJson,
  AdminTokenCreateRequest,
  IssuedRegistrationTokenJson,
  RegistrationTokenJson,
} from "../protocol/admin.ts";
import { parseUuid } from "../protocol/ids.ts";
import { clientInfoFromWire } from "./client_directory.ts";
import type { ConnectionOptions } from "./context.ts";
import { Transport } from "./_transport.ts";
import { wireArray, wireDate, wireObject, wireString } from "./_wire_reader.ts";

/** A registration token as the admin API lists it (never the token itself). */
export interface RegistrationTokenInfo {
  /** The token's id. */
  tokenId: string;
  /** Its label. */
  name: string;
  /** Whether it works only once. */
  oneTime: boolean;
  /** How many clients registered with it. */
  uses: number;
  /** Whether it was revoked. */
  revoked: boolean;
  /** When it was made. */
  created: Date;
}

/** A freshly made registration token, with its secret value (shown once). */
export interface IssuedRegistrationToken extends RegistrationTokenInfo {
  /** The token to register clients with. */
  token: string;
}

/** A client as the admin API lists it. */
export interface AdminClientInfo {
  /** The client's id. */
  clientId: string;
  /** Its name. */
  name: string;
  /** Its encryption key type (`curve25519` or `p384`). */
  publicKeyType: string;
  /** Its signing key type, or `null`. */
  signingKeyType: string | null;
  /** When it registered. */
  created: Date;
  /** When it backed up its credentials, or `null`. */
  backedUp: Date | null;
  /** Whether an admin disabled it (it then cannot authenticate). */
  disabled: boolean;
}

/** Options of {@linkcode AdminClient}. */
export interface AdminClientOptions extends ConnectionOptions {
  /** The server's base URL. */
  apiUrl: string;
  /** The admin token (`ARCA_ADMIN_TOKEN` on the server). */
  adminToken: string;
}

function tokenFromWire(value: unknown): RegistrationTokenInfo {
  const json = wireObject<RegistrationTokenJson>(value, "registration token");
  return {
    tokenId: wireString(json, "token_id", "registration token"),
    name: typeof json.name === "string" ? json.name : "",
    oneTime: json.one_time === true,
    uses: typeof json.uses === "number" ? json.uses : 0,
    revoked: json.revoked === true,
    created: wireDate(json, "created", "registration token"),
  };
}

function adminClientFromWire(value: unknown): AdminClientInfo {
  const json = wireObject<AdminClientJson>(value, "client");
  const info = clientInfoFromWire({ ...json, validated: true });
  return {
    clientId: info.clientId,
    name: typeof json.name === "string" ? json.name : "",
    publicKeyType: info.publicKeyType,
    signingKeyType: info.signingKeyType,
    created: wireDate(json, "created", "client"),
    backedUp: json.backed_up === null || json.backed_up === undefined
      ? null
      : wireDate(json, "backed_up", "client"),
    disabled: json.disabled === true,
  };
}

/**
 * Talks to the admin API.
 *
 * @example
 * ```ts ignore
 * // Needs a running Arca server.
 * import { AdminClient } from "@arca/arca";
 * const admin = new AdminClient({ apiUrl: "http://127.0.0.1:8000", adminToken: "…" });
 * const { token } = await admin.createToken({ name: "laptop" });
 * ```
 */
export class AdminClient {
  readonly #transport: Transport;

  /**
   * Creates an admin client.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { AdminClient } from "./admin_client.ts";
   * const admin = new AdminClient({ apiUrl: "http://127.0.0.1:8000", adminToken: "secret" });
   * assert.ok(admin instanceof AdminClient); // nothing is sent until a method is called
   * ```
   */
  constructor(options: AdminClientOptions) {
    if (options === null || typeof options !== "object") {
      throw new ValidationError("Admin client options must be an object");
    }
    if (typeof options.adminToken !== "string" || options.adminToken.trim() === "") {
      throw new ValidationError("Admin token must be a non-empty string (set ARCA_ADMIN_TOKEN)");
    }
    this.#transport = new Transport({
      apiUrl: options.apiUrl,
      bearerToken: options.adminToken.trim(),
      fetch: options.fetch,
      now: options.now,
    });
  }

  /**
   * Makes a registration token: one-time unless `oneTime` is false.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const issued = await admin.createToken({ name: "ci", oneTime: false });
   * console.log(issued.token);
   * ```
   */
  async createToken(
    options: { name?: string | undefined; oneTime?: boolean | undefined } = {},
  ): Promise<IssuedRegistrationToken> {
    if (options.name !== undefined && typeof options.name !== "string") {
      throw new ValidationError("Token name must be a string");
    }
    if (options.oneTime !== undefined && typeof options.oneTime !== "boolean") {
      throw new ValidationError("Token oneTime must be a boolean");
    }
    const reply = await this.#transport.request("POST", "/v1/arca/admin/tokens", {
      body: {
        ...(options.name === undefined ? {} : { name: options.name }),
        one_time: options.oneTime ?? true,
      } satisfies AdminTokenCreateRequest,
    });
    const json = wireObject<IssuedRegistrationTokenJson>(reply.json, "registration token");
    return { ...tokenFromWire(json), token: wireString(json, "token", "registration token") };
  }

  /**
   * Lists registration tokens (without their values).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for (const token of await admin.listTokens()) console.log(token.tokenId, token.uses);
   * ```
   */
  async listTokens(): Promise<RegistrationTokenInfo[]> {
    const reply = await this.#transport.request("GET", "/v1/arca/admin/tokens");
    return wireArray(reply.json, "token list").map(tokenFromWire);
  }

  /**
   * Revokes a registration token.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await admin.revokeToken(tokenId);
   * ```
   */
  async revokeToken(tokenId: string): Promise<void> {
    const id = parseUuid(tokenId, "Token id");
    await this.#transport.request("DELETE", `/v1/arca/admin/tokens/${id}`);
  }

  /**
   * Lists the registered clients.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * for (const client of await admin.listClients()) console.log(client.clientId, client.name);
   * ```
   */
  async listClients(): Promise<AdminClientInfo[]> {
    const reply = await this.#transport.request("GET", "/v1/arca/admin/clients");
    return wireArray(reply.json, "client list").map(adminClientFromWire);
  }

  /**
   * Disables a client: every request it makes is refused (401 "Client is disabled") from now
   * on, with the tokens it holds. Returns the client as it now is.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const client = await admin.disableClient(clientId); // client.disabled === true
   * ```
   */
  async disableClient(clientId: string): Promise<AdminClientInfo> {
    const id = parseUuid(clientId, "Client id");
    const reply = await this.#transport.request("POST", `/v1/arca/admin/clients/${id}/disable`);
    return adminClientFromWire(reply.json);
  }

  /**
   * Enables a disabled client again; it must fetch new bearer tokens (the old ones stay dead).
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * const client = await admin.enableClient(clientId); // client.disabled === false
   * ```
   */
  async enableClient(clientId: string): Promise<AdminClientInfo> {
    const id = parseUuid(clientId, "Client id");
    const reply = await this.#transport.request("POST", `/v1/arca/admin/clients/${id}/enable`);
    return adminClientFromWire(reply.json);
  }

  /**
   * Deletes a client with its tokens, records, files, access keys and policies (and the
   * identity bound to it). Cannot be undone.
   *
   * @example
   * ```ts ignore
   * // Needs a running Arca server.
   * await admin.deleteClient(clientId);
   * ```
   */
  async deleteClient(clientId: string): Promise<void> {
    const id = parseUuid(clientId, "Client id");
    await this.#transport.request("DELETE", `/v1/arca/admin/clients/${id}`);
  }
}
