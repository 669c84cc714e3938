/**
 * The OpenAPI document at GET /openapi.json: it lists exactly the routes of the app, is a valid
 * OpenAPI 3.1 document, and says the truth about authentication.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { createApp } from "../lib/server/app.ts";
import { FsBlobStore } from "../lib/store/fs_blob_store.ts";
import { openSqliteStore } from "../lib/store/sqlite/store.ts";
import { AnswerValidator, type OpenApiDocument } from "./_openapi_helpers.ts";

const ADMIN_TOKEN = "a".repeat(64);
const METHODS = ["get", "post", "put", "patch", "delete"];

async function withApp(body: (app: ReturnType<typeof createApp>) => Promise<void>) {
  const store = await openSqliteStore(":memory:");
  const dir = await Deno.makeTempDir({ prefix: "arca-openapi-" });
  try {
    const blobs = new FsBlobStore(join(dir, "blobs"), { durable: false });
    await body(createApp({ store, blobs, settings: { adminToken: ADMIN_TOKEN } }));
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function documentOf(app: ReturnType<typeof createApp>): Promise<OpenApiDocument> {
  const response = await app.request("/openapi.json");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  return await response.json();
}

function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).filter((key) => METHODS.includes(key)).map((method) =>
      `${method.toUpperCase()} ${path}`
    )
  ).sort();
}

Deno.test("openapi: every route of the app is in the document, and nothing else", async () => {
  await withApp(async (app) => {
    const routes = new Set(
      app.routes.filter((route) => route.method !== "ALL").map((route) =>
        `${route.method} ${route.path.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`
      ),
    );
    assert.ok(routes.size >= 60, `only ${routes.size} routes found`);
    assert.deepEqual(documentedOperations(await documentOf(app)), [...routes].sort());
  });
});

Deno.test("openapi: the document is valid OpenAPI 3.1", async () => {
  await withApp(async (app) => {
    const document = await documentOf(app);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as never);
    assert.equal(validator.version, "3.1");
    assert.deepEqual(result, { valid: true });
  });
});

Deno.test("openapi: ids unique, schemes declared, references resolve, errors are {error}", async () => {
  await withApp(async (app) => {
    const document = await documentOf(app);
    const text = JSON.stringify(document);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      assert.ok(name! in document.components.schemas, `dangling $ref to ${name}`);
    }
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const id = operation.operationId as string;
        assert.ok(!ids.has(id), `duplicate operationId ${id}`);
        ids.add(id);
        for (const requirement of operation.security as Record<string, unknown>[]) {
          for (const scheme of Object.keys(requirement)) {
            assert.ok(scheme in document.components.securitySchemes, `${scheme} undeclared`);
          }
        }
        const responses = operation.responses as Record<string, Record<string, unknown>>;
        assert.ok(responses["500"], `${method} ${path} documents no 500`);
        for (const [status, response] of Object.entries(responses)) {
          if (Number(status) < 400) continue;
          assert.deepEqual(response.content, {
            "application/json": { schema: { $ref: "#/components/schemas/error" } },
          }, `${method} ${path} ${status}`);
        }
      }
    }
    assert.deepEqual(document.components.schemas.error, {
      type: "object",
      properties: { error: { type: "string" }, request_id: { type: "string" } },
      required: ["error"],
      additionalProperties: false,
    });
  });
});

Deno.test("openapi: request bodies come from the zod schemas that validate them", async () => {
  await withApp(async (app) => {
    const document = await documentOf(app);
    const write = document.paths["/v1/storage/records"]!.post!.requestBody as {
      content: Record<string, { schema: { required: string[]; properties: object } }>;
    };
    const schema = write.content["application/json"]!.schema;
    assert.deepEqual(schema.required, ["meta", "data"]);
    const upload = document.paths["/v1/arca/files/upload/{pendingId}"]!.put!.requestBody as {
      content: object;
    };
    assert.deepEqual(upload.content, {
      "application/octet-stream": { schema: { type: "string", format: "binary" } },
    });
    // A body the schema refuses is refused by the route with a 400 naming the field.
    const refused = await app.request("/v1/arca/admin/tokens", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ one_time: "yes" }),
    });
    assert.equal(refused.status, 400);
    assert.match((await refused.json()).error, /one_time/);
  });
});

Deno.test("openapi: each operation's documented auth is the one the server asks for", async () => {
  await withApp(async (app) => {
    const document = await documentOf(app);
    const uuid = "794253a4-310b-449d-9d8d-4575e8923f40";
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const concrete = path.replace(/\{version\}/, "1").replace(/\{[^}]+\}/g, uuid);
        const response = await app.request(concrete, {
          method: method.toUpperCase(),
          ...(method === "get" || method === "delete" ? {} : { body: "{}" }),
        });
        await response.body?.cancel();
        const security = operation.security as Record<string, unknown>[];
        const open = security.length === 0 || security.some((r) => Object.keys(r).length === 0);
        if (path === "/v1/account/backup/{token}/{clientId}") {
          // Its credential is the backup token in the path (a bearer token is optional).
          assert.equal(response.status, 401);
        } else if (security.some((requirement) => "fileUrl" in requirement)) {
          // A file URL without its signed token is refused as forged.
          assert.equal(response.status, 403, `${method} ${path}`);
        } else if (open) {
          assert.notEqual(response.status, 401, `${method} ${path} is documented without auth`);
        } else {
          assert.equal(response.status, 401, `${method} ${path} answered without credentials`);
        }
      }
    }
  });
});

Deno.test("openapi: the answer validator refuses answers that differ from the document", async () => {
  await withApp(async (app) => {
    const validator = new AnswerValidator(await documentOf(app));
    const template = validator.templateOf("GET", "/v1/arca/users/me");
    assert.equal(template, "/v1/arca/users/me");
    assert.equal(
      validator.templateOf("GET", "/v1/arca/users/u1/reminder"),
      "/v1/arca/users/{user_id}/reminder",
    );
    assert.equal(validator.templateOf("GET", "/nowhere"), undefined);
    const json = "application/json";
    const info = {
      user_id: "u",
      checksum: "c",
      updated_at: "t",
      reminder: "r",
      key_file_downloads: 0,
      failed_key_file_downloads: 0,
    };
    assert.equal(validator.check("GET", template!, 200, json, JSON.stringify(info)), undefined);
    const { reminder: _, ...missing } = info;
    assert.match(
      validator.check("GET", template!, 200, json, JSON.stringify(missing))!,
      /reminder/,
    );
    const extra = JSON.stringify({ ...info, secret: "x" });
    assert.match(validator.check("GET", template!, 200, json, extra)!, /additional/);
    assert.match(validator.check("GET", template!, 418, json, "{}")!, /not documented/);
    assert.match(validator.check("GET", template!, 404, json, '{"message":"x"}')!, /error/);
    assert.match(validator.check("GET", template!, 200, "text/plain", "hi")!, /content type/);
  });
});
