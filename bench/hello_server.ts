/**
 * The baseline for `bench/server_load.ts`: a bare Hono app with one trivial route,
 * `GET /hello` → 200 `{"message":"hello"}`, no I/O and no middleware, served by `Deno.serve`
 * like the Arca server. Listens on `127.0.0.1` and the port in `ARCA_PORT` (default 0: a free
 * one) and prints `listening on <url>`.
 *
 * @module
 */
import { Hono } from "hono";

const app = new Hono();
app.get("/hello", (c) => c.json({ message: "hello" }, 200));

const port = Number(Deno.env.get("ARCA_PORT") ?? "0");
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new Error(`ARCA_PORT must be an integer from 0 to 65535, got "${port}"`);
}
Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
}, app.fetch);
