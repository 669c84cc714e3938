/**
 * A malicious server for SDK tests: a real HTTP proxy (Deno.serve on a loopback port) in front of a
 * real Arca server, which hands every request and the upstream's answer to a hook that may rewrite
 * the answer. The SDK talks to the proxy's URL exactly as it would to a server.
 */

/** What a hook sees of one exchange. */
export interface Exchange {
  /** The request method. */
  method: string;
  /** The path with its query, e.g. `/v1/storage/records/…`. */
  path: string;
  /** The request body as text (empty for none). */
  requestBody: string;
  /** The upstream answer's status. */
  status: number;
  /** The upstream answer's body, parsed when it is JSON (else `undefined`). */
  json: unknown;
}

/** Returns a replacement answer, or `undefined` to pass the upstream's through. */
export type Rewrite = (exchange: Exchange) => Promise<Response | undefined> | Response | undefined;

/** A running proxy. */
export interface HostileProxy {
  /** The URL to give the SDK. */
  url: string;
  /** Replaces the hook (none passes everything through). */
  setRewrite(rewrite: Rewrite | undefined): void;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/** Starts a proxy to `upstream` on 127.0.0.1 and a free port. */
export function startHostileProxy(upstream: string): HostileProxy {
  let rewrite: Rewrite | undefined;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const path = `${url.pathname}${url.search}`;
    const bytes = req.body === null ? undefined : new Uint8Array(await req.arrayBuffer());
    const requestBody = bytes === undefined ? "" : new TextDecoder().decode(bytes);
    const headers = new Headers(req.headers);
    headers.delete("host");
    const answer = await fetch(`${upstream}${path}`, {
      method: req.method,
      headers,
      ...(bytes === undefined ? {} : { body: bytes }),
    });
    const answerBytes = new Uint8Array(await answer.arrayBuffer());
    const text = new TextDecoder().decode(answerBytes);
    if (rewrite !== undefined) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const replaced = await rewrite({
        method: req.method,
        path,
        requestBody,
        status: answer.status,
        json,
      });
      if (replaced !== undefined) return replaced;
    }
    return new Response(answer.status === 204 ? null : answerBytes, {
      status: answer.status,
      headers: answer.headers,
    });
  });
  const address = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${address.port}`,
    setRewrite(next) {
      rewrite = next;
    },
    async close() {
      await server.shutdown();
    },
  };
}

/** A JSON answer. */
export function jsonResponse(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json" },
  });
}
