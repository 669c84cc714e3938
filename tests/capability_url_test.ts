import assert from "node:assert/strict";
import { ValidationError } from "../lib/errors.ts";
import { issueCapability, verifyCapability } from "../lib/server/_capability_url.ts";
import { HttpError } from "../lib/server/_http_error.ts";

const KEY = crypto.getRandomValues(new Uint8Array(32));
const FILE = "b2a735c5-9f3a-4c1e-8e0f-0123456789ab";
const CLIENT = "d8cf04aa-1d2e-4c1e-8e0f-0123456789ab";
const NOW = 1_800_000_000_000_000;

function assertForbidden(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof HttpError, String(error));
    assert.equal(error.status, 403);
    assert.match(error.message, pattern);
    return true;
  };
}

Deno.test("capability: a token round-trips and names its client", async () => {
  const token = await issueCapability(KEY, {
    kind: "upload",
    fileId: FILE,
    clientId: CLIENT,
    expires: NOW + 1,
  });
  assert.match(
    token,
    /^v1\.up\.[0-9a-f-]{36}\.[0-9a-f-]{36}\.\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/,
  );
  const capability = await verifyCapability(KEY, token, { kind: "upload", fileId: FILE }, NOW);
  assert.equal(capability.clientId, CLIENT);
  assert.equal(capability.fileId, FILE);
  assert.equal(capability.expires, NOW + 1);
  assert.equal(capability.tokenId.length, 22);
  const again = await issueCapability(KEY, {
    kind: "upload",
    fileId: FILE,
    clientId: CLIENT,
    expires: NOW + 1,
  });
  assert.notEqual(again, token, "each token has a fresh id");
});

Deno.test("capability: expiry, kind, file, key and tampering are all refused", async () => {
  const grant = { kind: "download" as const, fileId: FILE, clientId: CLIENT, expires: NOW + 10 };
  const token = await issueCapability(KEY, grant);
  const expected = { kind: "download" as const, fileId: FILE };
  await assert.rejects(
    () => verifyCapability(KEY, token, expected, NOW + 10),
    assertForbidden(/expired/),
  );
  await assert.rejects(
    () => verifyCapability(KEY, token, { kind: "upload", fileId: FILE }, NOW),
    assertForbidden(/not valid for this upload/),
  );
  await assert.rejects(
    () => verifyCapability(KEY, token, { kind: "download", fileId: CLIENT }, NOW),
    assertForbidden(/not valid/),
  );
  const otherKey = crypto.getRandomValues(new Uint8Array(32));
  await assert.rejects(
    () => verifyCapability(otherKey, token, expected, NOW),
    assertForbidden(/not valid/),
  );
  // Move the expiry, swap the client: the MAC no longer matches.
  const parts = token.split(".");
  const later = [...parts.slice(0, 4), String(NOW + 10_000_000), ...parts.slice(5)].join(".");
  await assert.rejects(
    () => verifyCapability(KEY, later, expected, NOW),
    assertForbidden(/not valid/),
  );
  const swapped = [parts[0], parts[1], parts[2], FILE, ...parts.slice(4)].join(".");
  await assert.rejects(
    () => verifyCapability(KEY, swapped, expected, NOW),
    assertForbidden(/not valid/),
  );
  for (const bad of [undefined, "", "v1", "v2" + token.slice(2), token + ".x", "x".repeat(600)]) {
    await assert.rejects(
      () => verifyCapability(KEY, bad, expected, NOW),
      assertForbidden(/not valid/),
    );
  }
});

Deno.test("capability: bad issue inputs are ValidationErrors", async () => {
  const grant = { kind: "upload" as const, fileId: FILE, clientId: CLIENT, expires: NOW };
  await assert.rejects(() => issueCapability(new Uint8Array(8), grant), ValidationError);
  await assert.rejects(() => issueCapability(KEY, { ...grant, fileId: "nope" }), /file id/);
  await assert.rejects(() => issueCapability(KEY, { ...grant, clientId: "nope" }), /client id/);
  await assert.rejects(() => issueCapability(KEY, { ...grant, expires: 1.5 }), /expiry/);
  await assert.rejects(
    () => issueCapability(KEY, { ...grant, kind: "delete" as unknown as "upload" }),
    /kind/,
  );
});
