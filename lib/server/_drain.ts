/**
 * Draining before a shutdown. Deno 2.9's `HttpServer.shutdown()` makes the bodies of requests in
 * flight unreadable at once (denoland/deno#36809: an upload still arriving fails with a 500), so
 * the server first waits for its requests itself: {@linkcode DrainGate.drain} answers new
 * requests 503 with `Connection: close` and resolves once every request in flight has been
 * answered; only then does the server call `shutdown()`, which closes the listener and waits for
 * the response bodies still streaming.
 *
 * @module
 */
import type { Handler } from "./_listen.ts";

/** The error of requests that arrive while the server drains (503). */
export const SHUTTING_DOWN = "The server is shutting down; retry on another instance or later";

/** A handler that counts its requests in flight and can drain them. */
export interface DrainGate {
  /** The handler to serve. */
  handler: Handler;
  /** Requests being handled now (until their response head is ready). */
  readonly inFlight: number;
  /** Refuses new requests (503) and resolves when none is in flight. */
  drain(): Promise<void>;
}

/**
 * A {@linkcode DrainGate} in front of `inner`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { drainGate } from "./_drain.ts";
 * let answer: (r: Response) => void = () => {};
 * const gate = drainGate(() => new Promise<Response>((resolve) => answer = resolve));
 * const info = {} as Parameters<typeof gate.handler>[1];
 * const slow = gate.handler(new Request("http://x/"), info);
 * const drained = gate.drain();
 * assert.equal((await gate.handler(new Request("http://x/"), info)).status, 503);
 * answer(new Response("done"));
 * assert.equal(await (await slow).text(), "done");
 * await drained;
 * assert.equal(gate.inFlight, 0);
 * ```
 */
export function drainGate(inner: Handler): DrainGate {
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;
  const finished = () => {
    inFlight--;
    if (inFlight === 0) idle?.();
  };
  return {
    handler(request, info) {
      if (draining) {
        return Response.json({ error: SHUTTING_DOWN }, {
          status: 503,
          headers: { connection: "close", "retry-after": "1" },
        });
      }
      inFlight++;
      try {
        return Promise.resolve(inner(request, info)).finally(finished);
      } catch (error) {
        finished();
        throw error;
      }
    },
    get inFlight() {
      return inFlight;
    },
    drain() {
      draining = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => idle = resolve);
    },
  };
}
