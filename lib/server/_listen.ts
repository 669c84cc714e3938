/**
 * Listening: `Deno.serve` on a host and port, resolved once the port is bound, and a handler that
 * waits for the app the server prepares after binding.
 *
 * @module
 */

/** A bound listener and its base URL. */
export interface Listening {
  /** The `Deno.serve` server. */
  server: Deno.HttpServer<Deno.NetAddr>;
  /** Its base URL, e.g. `http://127.0.0.1:8000`. */
  url: string;
}

/** A request handler as `Deno.serve` calls it. */
export type Handler = (
  request: Request,
  info: Deno.ServeHandlerInfo<Deno.NetAddr>,
) => Response | Promise<Response>;

/**
 * Serves `handler` on `hostname` (default `127.0.0.1`) and `port`; resolves once bound, rejects
 * when binding fails (`Deno.errors.AddrInUse`, ...).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listen } from "./_listen.ts";
 * const { server, url } = await listen(undefined, 0, () => new Response("hi"));
 * assert.equal(await (await fetch(url)).text(), "hi");
 * await server.shutdown();
 * ```
 */
export async function listen(
  hostname: string | undefined,
  port: number,
  handler: Handler,
): Promise<Listening> {
  let bound: (addr: Deno.NetAddr) => void = () => {};
  const listened = new Promise<Deno.NetAddr>((resolve) => bound = resolve);
  const server = Deno.serve({
    hostname: hostname ?? "127.0.0.1",
    port,
    onListen: (addr) => bound(addr),
  }, handler);
  const addr = await listened;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return { server, url: `http://${host}:${addr.port}` };
}

/**
 * A handler that waits for a value (the prepared app) and then answers with the handler it
 * gives; after {@linkcode LazyHandler.fail}, it answers 503.
 */
export interface LazyHandler<T> {
  /** The handler to serve. */
  handler: Handler;
  /** The value is ready: waiting and later requests go to its handler. */
  ready(value: T): void;
  /** The value will never come: waiting and later requests get a 503. */
  fail(error: unknown): void;
}

/**
 * A {@linkcode LazyHandler} whose requests go to `handlerOf(value)` once the value is ready.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lazyHandler } from "./_listen.ts";
 * const lazy = lazyHandler((text: string) => () => new Response(text));
 * const info = {} as Parameters<typeof lazy.handler>[1];
 * const early = lazy.handler(new Request("http://x/"), info);
 * lazy.ready("ready");
 * assert.equal(await (await early).text(), "ready");
 * ```
 */
export function lazyHandler<T>(handlerOf: (value: T) => Handler): LazyHandler<T> {
  let settle: { ready: (value: T) => void; fail: (error: unknown) => void } | undefined;
  const waiting = new Promise<Handler>((resolve, reject) => {
    settle = { ready: (value) => resolve(handlerOf(value)), fail: reject };
  });
  waiting.catch(() => {}); // a failed start is reported by the caller, not as unhandled
  let current: Handler | undefined;
  const unavailable = () =>
    Response.json({ error: "The server is not available" }, { status: 503 });
  return {
    handler: (request, info) =>
      current !== undefined
        ? current(request, info)
        : waiting.then((handler) => handler(request, info), unavailable),
    ready(value) {
      current = handlerOf(value);
      settle!.ready(value);
    },
    fail(error) {
      current = unavailable;
      settle!.fail(error);
    },
  };
}
