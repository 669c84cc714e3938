/**
 * Reading a JSON request body and validating it with a zod schema. Every failure is a 400 with
 * a message that names the offending field.
 *
 * @module
 */
import type { Context } from "hono";
import type { z } from "zod";
import { HttpError } from "./_http_error.ts";

/** Deepest nesting accepted in a request body (objects and arrays). */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses the request body as JSON (whatever the Content-Type) and validates it. Every failure
 * to parse or validate is raised here as a 400 {@linkcode HttpError}: the error handler never
 * guesses from a `SyntaxError` or a `ZodError` that the body was at fault.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { z } from "zod";
 * import { handleError } from "./_error_handler.ts";
 * import { readJson } from "./_read_json.ts";
 * const app = new Hono().onError(handleError);
 * app.post("/", async (c) => c.json(await readJson(c, z.object({ count: z.number() }))));
 * const ok = await app.request("/", { method: "POST", body: '{"count":1}' });
 * assert.deepEqual(await ok.json(), { count: 1 });
 * assert.equal((await app.request("/", { method: "POST", body: "{" })).status, 400);
 * ```
 */
export async function readJson<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.output<S>> {
  const text = await c.req.text();
  if (text.trim() === "") throw new HttpError(400, "Request body must be a JSON document");
  return parseBody(text, schema);
}

/**
 * Like {@linkcode readJson}, but an empty body is `undefined` instead of a 400.
 *
 * @example
 * ```ts ignore
 * const commit = await readOptionalJson(c, fileCommitSchema);
 * ```
 */
export async function readOptionalJson<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.output<S> | undefined> {
  const text = await c.req.text();
  return text.trim() === "" ? undefined : parseBody(text, schema);
}

function parseBody<S extends z.ZodType>(text: string, schema: S): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, "Request body is not valid JSON");
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new HttpError(400, `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, formatZodError(result.error));
  return result.data;
}

/**
 * One line describing the first problems of a failed parse: `path: message; ...`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { formatZodError } from "./_read_json.ts";
 * const result = z.object({ count: z.number() }).safeParse({ count: "x" });
 * assert.ok(!result.success);
 * assert.equal(
 *   formatZodError(result.error),
 *   "count: Invalid input: expected number, received string",
 * );
 * ```
 */
export function formatZodError(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join(".");
    return path === "" ? issue.message : `${path}: ${issue.message}`;
  });
  return parts.join("; ") || "Request body is invalid";
}

/** The nesting depth of a JSON value, computed without recursion. */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== "object" || node === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === "object" && child !== null) pending.push([child, level]);
    }
  }
  return deepest;
}
