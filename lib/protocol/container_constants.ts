/**
 * Containers' paths, headers, limits and messages on the wire, apart from the zod schemas
 * (`containers.ts`) so that the SDK never loads zod.
 *
 * @module
 */

/** Where the container routes live. */
export const CONTAINERS_PATH = "/v1/arca/containers";

/** The request header naming the calling application in events (at most 100 characters). */
export const APP_NAME_HEADER = "Arca-App-Name";

/** Longest `Arca-App-Name` kept in events; a longer one is a 400. */
export const MAX_APP_NAME_LENGTH = 100;

/** The response header of `GET /v1/arca/containers/{id}/content`: the served version. */
export const CONTAINER_VERSION_HEADER = "Arca-Container-Version";

/** Most access entries of one container. */
export const MAX_ACCESS_ENTRIES = 1000;

/** Largest permission integer: all 7 bits. */
export const MAX_PERMISSIONS = 127;

/** Longest `encrypted_key` and `signature` of a key blob, in characters. */
export const MAX_KEY_BLOB_FIELD_LENGTH = 4096;

/** The 404 of every container route for a container the caller cannot reach (or none). */
export const CONTAINER_NOT_FOUND_MESSAGE = "Container not found";
