/**
 * The identity part of the admin API (behind the admin token, like the rest of
 * `/v1/arca/admin`):
 *
 * - `POST /v1/arca/admin/realms` `{name}` → 201 realm info (taken name → 409).
 * - `GET /v1/arca/admin/realms` → the realms.
 * - `POST /v1/arca/admin/realms/{realm}/identities` → 201: registers the identity's storage
 *   client and binds the username to its password-derived public keys, in one transaction
 *   (taken username → 409), and claims the name of the identity's credential note for that
 *   client (a note another client wrote under the name is removed; see docs/identity.md).
 *   The body carries public keys only: the SDK derives the keys from
 *   the password and writes the credential note itself, so the password and every private key
 *   stay on the client.
 * - `GET /v1/arca/admin/realms/{realm}/identities` → the identities.
 * - `DELETE /v1/arca/admin/realms/{realm}/identities/{username}` → 204: deletes the identity and
 *   its storage client with everything the client owns (as `DELETE /v1/arca/admin/clients/{id}`),
 *   so its API secret and bearer tokens stop working at once.
 *
 * @module
 */
import { Hono } from "hono";
import { credentialNoteName } from "../../crypto/identity_credentials.ts";
import { hashSecret, randomHexSecret } from "../../crypto/secrets.ts";
import { getSuite } from "../../crypto/suites.ts";
import { randomUuid } from "../../crypto/uuid.ts";
import {
  type IdentityJson,
  identityRegisterSchema,
  type IdentityRegistrationJson,
  realmCreateSchema,
} from "../../protocol/identity.ts";
import { keyToJson } from "../../protocol/keys.ts";
import { formatTimestamp } from "../../protocol/timestamps.ts";
import type { IdentityRow } from "../../store/identity.ts";
import type { ClientRow } from "../../store/clients.ts";
import { ensureDefaultAccount } from "../_bootstrap.ts";
import { deleteClient } from "../_client_lifecycle.ts";
import type { AppEnv, Deps } from "../env.ts";
import { HttpError } from "../_http_error.ts";
import { readJson } from "../_read_json.ts";
import { realmInfoJson } from "./identity.ts";

/**
 * The identity admin routes (mount behind `requireAdmin`).
 *
 * @example
 * ```ts ignore
 * // Part of a running Arca server: createApp mounts it with the server's `deps`.
 * app.route("/", identityAdminRoutes(deps));
 * ```
 */
export function identityAdminRoutes(deps: Deps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post("/v1/arca/admin/realms", async (c) => {
    const body = await readJson(c, realmCreateSchema);
    const realm = {
      name: body.name,
      domain: body.name.toLowerCase(),
      brokerId: randomUuid(),
      created: deps.clock(),
    };
    if (!(await deps.store.identity.createRealm(realm))) {
      throw new HttpError(409, `Realm "${body.name}" already exists`);
    }
    return c.json(realmInfoJson(realm), 201);
  });

  routes.get("/v1/arca/admin/realms", async (c) => {
    return c.json((await deps.store.identity.listRealms()).map(realmInfoJson), 200);
  });

  routes.post("/v1/arca/admin/realms/:realm/identities", async (c) => {
    const realm = await deps.store.identity.getRealm(c.req.param("realm").toLowerCase());
    if (realm === undefined) throw new HttpError(404, "Realm not found");
    const body = await readJson(c, identityRegisterSchema);
    const keyTypes = [
      body.public_key.type,
      body.signing_key.type,
      body.client.public_key.type,
      body.client.signing_key.type,
    ].join(",");
    if (
      keyTypes !== "curve25519,ed25519,curve25519,ed25519" && keyTypes !== "p384,p384,p384,p384"
    ) {
      throw new HttpError(
        400,
        "The identity's keys and its client's keys must all be of one suite",
      );
    }
    const apiKeyId = randomHexSecret(32);
    const apiSecret = randomHexSecret(32);
    const apiSecretHash = await hashSecret(apiSecret);
    const now = deps.clock();
    const account = await ensureDefaultAccount(deps.store, now);
    const client: ClientRow = {
      clientId: randomUuid(),
      accountId: account.accountId,
      name: body.client.name,
      publicKeyType: body.client.public_key.type,
      publicKey: body.client.public_key.value,
      signingKeyType: body.client.signing_key.type,
      signingKey: body.client.signing_key.value,
      apiKeyId,
      apiSecretHash,
      backupClientId: randomUuid(),
      backedUp: null,
      created: now,
    };
    const identity: IdentityRow = {
      identityId: randomUuid(),
      realmDomain: realm.domain,
      username: body.username.toLowerCase(),
      clientId: client.clientId,
      signingKey: body.signing_key.value,
      encryptionKey: body.public_key.value,
      created: now,
    };
    const noteName = await credentialNoteName(
      await getSuite(body.signing_key.type === "p384" ? "NIST" : "Sodium"),
      identity.username,
      realm.name,
    );
    await deps.store.transaction(async (tx) => {
      await tx.clients.create(client);
      if (!(await tx.identity.create(identity))) {
        throw new HttpError(409, `Identity "${identity.username}" already exists in the realm`);
      }
      // The credential note's name is the identity's: a note another client wrote under it goes.
      await tx.notes.claimName(noteName, client.clientId);
    });
    c.header("Cache-Control", "no-store");
    const answer: IdentityRegistrationJson = {
      ...identityJson(identity),
      realm_name: realm.name,
      api_key_id: apiKeyId,
      api_secret: apiSecret,
      client_public_key: keyToJson(body.client.public_key),
      client_signing_key: keyToJson(body.client.signing_key),
    };
    return c.json(answer, 201);
  });

  routes.get("/v1/arca/admin/realms/:realm/identities", async (c) => {
    const realm = await deps.store.identity.getRealm(c.req.param("realm").toLowerCase());
    if (realm === undefined) throw new HttpError(404, "Realm not found");
    return c.json((await deps.store.identity.list(realm.domain)).map(identityJson), 200);
  });

  routes.delete("/v1/arca/admin/realms/:realm/identities/:username", async (c) => {
    const domain = c.req.param("realm").toLowerCase();
    const identity = await deps.store.identity.get(domain, c.req.param("username").toLowerCase());
    if (identity === undefined) throw new HttpError(404, "Identity not found");
    // Deleting the client deletes the identity bound to it, in the same transaction.
    if (!(await deleteClient(deps, identity.clientId))) {
      throw new HttpError(404, "Identity not found");
    }
    return c.body(null, 204);
  });

  return routes;
}

function identityJson(identity: IdentityRow): IdentityJson {
  return {
    identity_id: identity.identityId,
    realm_domain: identity.realmDomain,
    username: identity.username,
    client_id: identity.clientId,
    signing_key: identity.signingKey,
    public_key: identity.encryptionKey,
    created: formatTimestamp(identity.created),
  };
}
