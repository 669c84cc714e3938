/**
 * The shape of the operation tables the OpenAPI document is built from, and its security
 * schemes.
 *
 * @module
 */
import type { z } from "zod";
import type { arcaResponseSchemas } from "../protocol/arca_response_schemas.ts";
import type { storageResponseSchemas } from "../protocol/response_schemas.ts";

/**
 * How an operation authenticates: a key of {@linkcode SECURITY_SCHEMES}, `none`, or
 * `optionalBearer` (a bearer token when one is sent).
 */
export type AuthScheme =
  | "none"
  | "basic"
  | "bearer"
  | "optionalBearer"
  | "admin"
  | "tsv1"
  | "fileUrl";

/**
 * A JSON answer by its schema's name, no body, raw bytes, a Server-Sent Events stream, the
 * Prometheus text of `/metrics`, this OpenAPI document, or a static file of the web console.
 */
export type Answer =
  | keyof typeof storageResponseSchemas
  | keyof typeof arcaResponseSchemas
  | "empty"
  | "binary"
  | "events"
  | "metrics"
  | "openApi"
  | "consoleFile";

/** A request body: the zod schemas that validate it, by media type, or raw bytes. */
export interface RequestBody {
  /** The schema of a JSON body (parsed whatever the Content-Type). */
  json?: z.ZodType;
  /** The schema of a form body. */
  form?: z.ZodType;
  /** Raw bytes, streamed. */
  binary?: true;
  /** Whether the body may be empty. */
  optional?: true;
  /** What the body is. */
  description: string;
}

/** A query or header parameter. */
export interface Parameter {
  /** Its name. */
  name: string;
  /** Where it travels. */
  in: "query" | "header";
  /** What it holds. */
  schema: z.ZodType;
  /** What it means. */
  description: string;
  /** Whether the request needs it (default false). */
  required?: boolean;
  /** Whether it may repeat (`?field=a&field=b`). */
  repeated?: true;
}

/** One operation of the app: what the OpenAPI document says about it. */
export interface OperationSpec {
  /** The method, lower case. */
  method: "get" | "post" | "put" | "patch" | "delete";
  /** The path template, OpenAPI style (`/v1/storage/records/{recordId}`). */
  path: string;
  /** One line. */
  summary: string;
  /** Its group in the document. */
  tag: string;
  /** How it authenticates. */
  auth: AuthScheme;
  /** Query and header parameters (path parameters come from the template). */
  parameters?: Parameter[];
  /** Its request body, if it reads one. */
  body?: RequestBody;
  /** Its successful answers by status. */
  responses: Record<number, Answer>;
  /** Headers of its successful answers worth knowing, by name: what they carry. */
  headers?: Record<string, string>;
  /**
   * Its error statuses, answered `{"error": "..."}`. 401 (authenticated operations), 413
   * (operations with a body), 429 (TSV1 operations: the replay cache's budgets) and 500 are
   * added to every operation they apply to; a 429 carries `Retry-After`.
   */
  errors: number[];
}

/**
 * The security schemes of the document, by the names operations use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SECURITY_SCHEMES } from "./_openapi_spec.ts";
 * assert.equal(SECURITY_SCHEMES.basic.scheme, "basic");
 * ```
 */
export const SECURITY_SCHEMES = {
  basic: {
    type: "http",
    scheme: "basic",
    description: "E3DB API key pair (`api_key_id:api_secret`), exchanged for a bearer token at " +
      "POST /v1/auth/token.",
  },
  bearer: {
    type: "http",
    scheme: "bearer",
    description: "A bearer token from POST /v1/auth/token (valid one hour).",
  },
  admin: {
    type: "http",
    scheme: "bearer",
    description: "The server's ARCA_ADMIN_TOKEN. Unset, the admin API answers 404.",
  },
  tsv1: {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description: "E3DB's TSV1 signed request, `Authorization: TSV1-ED25519-BLAKE2B; ...` " +
      "(lib/crypto/tsv1.ts): the request signed with the caller's signing key, within 300 s " +
      "of the server's clock, each nonce once. `uid:` names a registered client; empty, the " +
      "caller is anonymous, known only by its key (docs/notes.md).",
  },
  fileUrl: {
    type: "apiKey",
    in: "query",
    name: "token",
    description: "The signed capability of a file URL the server handed out (single use for " +
      "uploads); no Authorization header.",
  },
} as const;
