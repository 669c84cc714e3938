/**
 * The server's OpenAPI 3.1 document, built from the operation tables (`_openapi_storage.ts`,
 * `_openapi_arca.ts`) and the zod schemas they name: request bodies with the schemas `readJson`
 * validates them with, JSON answers with the response schemas of `lib/protocol`, converted by
 * zod's own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1).
 *
 * @module
 */
import { z } from "zod";
import { arcaResponseSchemas } from "../protocol/arca_response_schemas.ts";
import { storageResponseSchemas } from "../protocol/response_schemas.ts";
import { ARCA_OPERATIONS } from "./_openapi_arca.ts";
import {
  type Answer,
  type AuthScheme,
  type OperationSpec,
  type RequestBody,
  SECURITY_SCHEMES,
} from "./_openapi_spec.ts";
import { STORAGE_OPERATIONS } from "./_openapi_storage.ts";

/** Every JSON answer schema, by the name the operation tables use (`record`, `note`, ...). */
const RESPONSE_SCHEMAS = { ...storageResponseSchemas, ...arcaResponseSchemas };

/** The name of a JSON answer schema. */
export type ResponseName = keyof typeof RESPONSE_SCHEMAS;

/** Every operation of the app, in the order of `app.ts`. */
export const OPERATIONS: readonly OperationSpec[] = [...STORAGE_OPERATIONS, ...ARCA_OPERATIONS];

type JsonObject = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No content",
  206: "Partial content",
  304: "Not modified (If-None-Match named the current ETag)",
  400: "Malformed request: bad JSON, a field of the wrong type or range, a bad id",
  401: "Missing, malformed, expired or revoked credentials, or a disabled client",
  403: "Authenticated, but not allowed",
  404: "No such thing (or hidden from the caller)",
  409: "Conflict with the stored state",
  413: "Body, file or quota too large",
  416: "Range outside the file",
  429: "Too many requests; see Retry-After",
  500: "Server fault; the body carries a request_id found in the server's log",
  501: "Not configured on this server",
  503: "The server is starting or its store is unavailable",
};

/**
 * Builds the OpenAPI 3.1 document of every operation of the app.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildOpenApiDocument } from "./_openapi_document.ts";
 * const document = buildOpenApiDocument();
 * assert.equal(document.openapi, "3.1.0");
 * assert.ok("/v1/storage/records/{recordId}" in document.paths);
 * ```
 */
export function buildOpenApiDocument(): {
  openapi: string;
  info: JsonObject;
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: JsonObject; securitySchemes: JsonObject };
} {
  const schemas: JsonObject = {};
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) {
    schemas[name] = toSchemaObject(schema, "output", name, schemas);
  }
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const spec of OPERATIONS) {
    paths[spec.path] ??= {};
    paths[spec.path]![spec.method] = operationObject(spec, schemas);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Arca",
      version: "0.1.0",
      description: "Arca's HTTP API: E3DB's storage API and Arca's own endpoints " +
        '(docs/server.md). Every failure answers JSON {"error": "..."}.',
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEMES },
  };
}

function operationObject(spec: OperationSpec, schemas: JsonObject): JsonObject {
  const operationId = operationIdOf(spec);
  const operation: JsonObject = {
    operationId,
    summary: spec.summary,
    tags: [spec.tag],
    security: securityOf(spec.auth),
  };
  const parameters = [
    ...[...spec.path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
      name: match[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    })),
    ...(spec.parameters ?? []).map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      required: parameter.required ?? false,
      description: parameter.description,
      schema: toSchemaObject(parameter.schema, "input"),
      ...(parameter.repeated === true ? { style: "form", explode: true } : {}),
    })),
  ];
  if (parameters.length > 0) operation.parameters = parameters;
  if (spec.body !== undefined) {
    operation.requestBody = requestBodyObject(spec.body, `${operationId}Body`, schemas);
  }
  operation.responses = responsesObject(spec);
  return operation;
}

function operationIdOf(spec: OperationSpec): string {
  const words = spec.path.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
  const index = spec.path.length > 1 && spec.path.endsWith("/") ? "Index" : ""; // "/console/"
  return spec.method + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("") +
    index;
}

function securityOf(auth: AuthScheme): JsonObject[] {
  if (auth === "none") return [];
  if (auth === "optionalBearer") return [{ bearer: [] }, {}];
  return [{ [auth]: [] }];
}

function requestBodyObject(body: RequestBody, name: string, schemas: JsonObject): JsonObject {
  const content: JsonObject = {};
  if (body.json !== undefined) {
    content["application/json"] = { schema: toSchemaObject(body.json, "input", name, schemas) };
  }
  if (body.form !== undefined) {
    content["application/x-www-form-urlencoded"] = {
      schema: toSchemaObject(body.form, "input", `${name}Form`, schemas),
    };
  }
  if (body.binary === true) {
    content["application/octet-stream"] = { schema: { type: "string", format: "binary" } };
  }
  return { required: body.optional !== true, description: body.description, content };
}

function responsesObject(spec: OperationSpec): JsonObject {
  const responses: JsonObject = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    responses[status] = { ...answerObject(Number(status), answer), ...headersOf(spec.headers) };
  }
  const errors = new Set(spec.errors);
  if (spec.auth !== "none") errors.add(401);
  if (spec.body !== undefined) errors.add(413);
  if (spec.auth === "tsv1") errors.add(429);
  errors.add(500);
  for (const status of [...errors].sort((a, b) => a - b)) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? "Error",
      ...(status === 429 ? headersOf({ "Retry-After": "Seconds to wait" }) : {}),
      content: { "application/json": { schema: { $ref: "#/components/schemas/error" } } },
    };
  }
  return responses;
}

function headersOf(headers: Record<string, string> | undefined): JsonObject {
  if (headers === undefined) return {};
  const entries = Object.entries(headers).map(([name, description]) => [name, {
    description,
    schema: { type: "string" },
  }]);
  return { headers: Object.fromEntries(entries) };
}

function answerObject(status: number, answer: Answer): JsonObject {
  const description = STATUS_TEXT[status] ?? "Success";
  if (answer === "empty") return { description };
  if (answer === "binary") {
    return {
      description,
      content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
    };
  }
  if (answer === "openApi") {
    const schema = { type: "object", description: "An OpenAPI 3.1 document" };
    return { description, content: { "application/json": { schema } } };
  }
  if (answer === "metrics") {
    return {
      description: "The Prometheus text exposition format, version 0.0.4",
      content: { "text/plain": { schema: { type: "string" } } },
    };
  }
  if (answer === "consoleFile") {
    const file = { schema: { type: "string" } };
    return {
      description: "A static file of the web console (HTML, CSS, JavaScript, WebAssembly, images)",
      content: {
        "text/html": file,
        "text/css": file,
        "text/javascript": file,
        "application/wasm": { schema: { type: "string", format: "binary" } },
        "image/png": { schema: { type: "string", format: "binary" } },
      },
    };
  }
  if (answer === "events") {
    return {
      description: "Server-Sent Events: `id:` the event id, `event: arca`, `data:` one " +
        "container event as JSON (the `containerEvent` schema); `: heartbeat` comments",
      content: { "text/event-stream": { schema: { type: "string" } } },
    };
  }
  return {
    description,
    content: { "application/json": { schema: { $ref: `#/components/schemas/${answer}` } } },
  };
}

/**
 * A zod schema as an OpenAPI 3.1 Schema Object. Definitions zod puts in `$defs` (recursive
 * schemas) move to `components.schemas` as `<name>_<def>`, and references to them follow.
 */
function toSchemaObject(
  schema: z.ZodType,
  io: "input" | "output",
  name = "",
  components: JsonObject = {},
): JsonObject {
  const { $schema: _, $defs, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonObject;
  const moved = (ref: string) => `#/components/schemas/${name}_${ref.slice("#/$defs/".length)}`;
  for (const [key, definition] of Object.entries(($defs ?? {}) as JsonObject)) {
    components[`${name}_${key}`] = rewriteRefs(definition, moved);
  }
  return rewriteRefs(rest, moved) as JsonObject;
}

function rewriteRefs(value: unknown, moved: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, moved));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (key !== "$ref" || typeof item !== "string") return [key, rewriteRefs(item, moved)];
      if (!item.startsWith("#/$defs/")) throw new Error(`Unexpected $ref ${item} in a schema`);
      return [key, moved(item)];
    }),
  );
}
