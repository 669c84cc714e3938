// edge.ts's default export (`deno serve`, edge runtimes) hands the connection info to the app,
// so the login throttle counts each peer address on its own (issue 10, finding 5).
import assert from "node:assert/strict";
import { newPkceVerifier, pkceChallenge } from "../lib/crypto/pkce.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { signRequest } from "../lib/crypto/tsv1.ts";
import edge from "../edge.ts";

async function badLogin(hostname: string): Promise<number> {
  const suite = await getSuite("Sodium");
  const signingKeys = await suite.generateSigningKeyPair();
  const path = "/v1/identity/login";
  const authorization = await signRequest(suite, { method: "POST", url: path, signingKeys });
  const body = JSON.stringify({
    username: "ghost",
    realm_name: "acme",
    app_name: "account",
    code_challenge: await pkceChallenge(newPkceVerifier()),
    login_style: "api",
  });
  const request = new Request(`http://edge.test${path}`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body,
  });
  const info = { remoteAddr: { transport: "tcp" as const, hostname, port: 50000 } };
  const response = await edge.fetch(request, info as Deno.ServeHandlerInfo<Deno.NetAddr>);
  await response.body?.cancel();
  return response.status;
}

Deno.test("edge.ts default export: the login throttle sees each peer address", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "arca-edge-info-" });
  const saved = Deno.env.get("ARCA_DATA_DIR");
  Deno.env.set("ARCA_DATA_DIR", dataDir);
  const originalLog = console.log;
  console.log = () => {};
  try {
    for (let i = 0; i < 5; i++) assert.equal(await badLogin("203.0.113.1"), 401);
    assert.equal(await badLogin("203.0.113.1"), 429);
    assert.equal(await badLogin("203.0.113.2"), 401);
  } finally {
    console.log = originalLog;
    if (saved === undefined) Deno.env.delete("ARCA_DATA_DIR");
    else Deno.env.set("ARCA_DATA_DIR", saved);
    // The edge app keeps its store open for the process; unlinking it is fine on POSIX.
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
