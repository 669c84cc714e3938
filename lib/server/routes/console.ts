/**
 * `GET /console`, `GET /console/{file}` and `GET /console/{folder}/{file}`: the web console's
 * static files (docs/console.md), no authentication (the page logs in by itself, in the browser).
 * Every answer carries a strict Content Security Policy: the page may load only its own scripts,
 * styles and images and talk only to this server. The files are read once, on the first request,
 * and answered from memory with an ETag (`If-None-Match` gets a 304), text gzipped for clients
 * that accept it. `ARCA_CONSOLE=off` turns the console off (404).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { CONSOLE_DIR, type ConsoleFile, readConsoleFiles } from "../_console_files.ts";
import type { AppEnv } from "../env.ts";
import type { ServerSettings } from "../settings.ts";
import { handleError } from "../_error_handler.ts";
import { HttpError } from "../_http_error.ts";

/** Where the console is served. */
export const CONSOLE_PATH = "/console";

/**
 * The console's Content Security Policy: nothing from anywhere but this server, no inline script
 * or style, no plugins, no framing, no form posts. `'wasm-unsafe-eval'` lets libsodium compile
 * its WebAssembly (it allows no JavaScript `eval`).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers of every console answer, errors included. */
const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
};

/**
 * The console routes. `deps.settings.console === false` turns them into 404s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consoleRoutes } from "./console.ts";
 * const routes = consoleRoutes({ settings: { console: false } });
 * const response = await routes.request("/console");
 * assert.equal(response.status, 404);
 * assert.match((await response.json()).error, /ARCA_CONSOLE/);
 * ```
 */
export function consoleRoutes(deps: { settings: ServerSettings; dir?: URL }): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.onError(handleError); // also when the routes are used on their own
  let files: Promise<Map<string, ConsoleFile>> | undefined;
  routes.use(`${CONSOLE_PATH}/*`, async (c, next) => {
    await next();
    for (const [header, value] of Object.entries(SECURITY_HEADERS)) {
      c.res.headers.set(header, value);
    }
  });
  const answer = async (c: Context<AppEnv>, name: string) => {
    if (deps.settings.console === false) {
      throw new HttpError(404, "The console is turned off on this server (ARCA_CONSOLE=off)");
    }
    files ??= readConsoleFiles(deps.dir ?? CONSOLE_DIR).catch((error) => {
      files = undefined; // a failed read (a 500) is tried again at the next request
      throw error;
    });
    const file = (await files).get(name);
    if (file === undefined) throw new HttpError(404, notFoundMessage(name));
    return fileAnswer(c, file);
  };
  routes.get(CONSOLE_PATH, (c) => answer(c, "index.html"));
  routes.get(`${CONSOLE_PATH}/`, (c) => answer(c, "index.html"));
  routes.get(`${CONSOLE_PATH}/:file`, (c) => answer(c, c.req.param("file")));
  routes.get(
    `${CONSOLE_PATH}/:folder/:file`,
    (c) => answer(c, `${c.req.param("folder")}/${c.req.param("file")}`),
  );
  return routes;
}

function notFoundMessage(name: string): string {
  return name === "index.html"
    ? "The console's files are not on this server (run the server from a checkout of Arca)"
    : "No such console file";
}

function fileAnswer(c: Context<AppEnv>, file: ConsoleFile): Response {
  const gzip = file.gzip !== undefined && acceptsGzip(c.req.header("accept-encoding"));
  // Each encoding is its own representation, with its own strong ETag.
  const etag = gzip ? `${file.etag.slice(0, -1)}-gzip"` : file.etag;
  c.header("etag", etag);
  c.header("cache-control", "no-cache");
  c.header("vary", "accept-encoding");
  if (matchesEtag(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  c.header("content-type", file.contentType);
  if (!gzip) return c.body(file.body as Uint8Array<ArrayBuffer>, 200);
  c.header("content-encoding", "gzip");
  return c.body(file.gzip as Uint8Array<ArrayBuffer>, 200);
}

/** Whether an `Accept-Encoding` value accepts gzip (and does not refuse it with `q=0`). */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? "").split(",").some((part) => {
    const [coding, ...parameters] = part.trim().toLowerCase().split(";");
    const refused = parameters.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    return (coding === "gzip" || coding === "*") && !refused;
  });
}

/** Whether an `If-None-Match` value names `etag` (or is `*`). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed === etag || trimmed === `W/${etag}`;
  });
}
