/**
 * The base of URLs the server hands to clients (signed file URLs, identity login action URLs).
 *
 * With `ARCA_PUBLIC_URL` set, that is the base, whatever the request's Host. Without it the base
 * is the request's origin, which comes from its Host header: anyone can forge that, so it is
 * trusted only when it names this machine (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`).
 * A route that builds a URL for any other Host answers 400. Routes that build no URL do not
 * look at the Host.
 *
 * @module
 */
import type { Context } from "hono";
import type { Deps } from "./env.ts";
import { HttpError } from "./_http_error.ts";

/**
 * Whether a URL hostname names the loopback interface.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isLoopbackHost } from "./_public_url.ts";
 * assert.equal(isLoopbackHost("localhost"), true);
 * assert.equal(isLoopbackHost("127.0.0.2"), true);
 * assert.equal(isLoopbackHost("[::1]"), true);
 * assert.equal(isLoopbackHost("evil.example"), false);
 * assert.equal(isLoopbackHost("127.0.0.1.evil.example"), false);
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost") || name === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * The public base URL (no trailing slash) for URLs given to the caller of `c`: the configured
 * `publicUrl`, else the request's origin when its Host is a loopback name, else a 400.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Hono } from "hono";
 * import { publicBaseUrl } from "./_public_url.ts";
 * const deps = { settings: {} } as Parameters<typeof publicBaseUrl>[0];
 * const app = new Hono();
 * app.onError((error, c) => c.json({ error: error.message }, 400));
 * app.get("/base", (c) => c.text(publicBaseUrl(deps, c)));
 * assert.equal(await (await app.request("http://localhost:8000/base")).text(), "http://localhost:8000");
 * assert.equal((await app.request("http://evil.example/base")).status, 400);
 * ```
 */
export function publicBaseUrl(deps: Pick<Deps, "settings">, c: Context): string {
  const configured = deps.settings.publicUrl;
  if (configured !== undefined && configured !== "") return configured.replace(/\/+$/, "");
  const url = new URL(c.req.url);
  if (!isLoopbackHost(url.hostname)) {
    throw new HttpError(
      400,
      `This server has no ARCA_PUBLIC_URL, so it builds URLs only for loopback hosts, not for ` +
        `Host "${url.host}"; its operator must set ARCA_PUBLIC_URL to the URL clients use`,
    );
  }
  return url.origin;
}

/**
 * The startup line that says how URLs are built.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describePublicUrl } from "./_public_url.ts";
 * assert.match(describePublicUrl("https://arca.example.com"), /https:\/\/arca\.example\.com/);
 * assert.match(describePublicUrl(undefined), /loopback/);
 * ```
 */
export function describePublicUrl(publicUrl: string | undefined): string {
  return publicUrl === undefined || publicUrl === ""
    ? "Arca: ARCA_PUBLIC_URL is not set: URLs given to clients (file transfers, identity login) " +
      "use the request's Host, for loopback hosts only (others get 400)"
    : `Arca: URLs given to clients start with ${publicUrl.replace(/\/+$/, "")} (ARCA_PUBLIC_URL)`;
}
