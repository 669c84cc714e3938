// Permissions and Access: the bits, names and defaults of docs/containers.md, the integer form,
// the named getters/setters, and validation.
import assert from "node:assert/strict";
import { ValidationError } from "../lib/errors.ts";
import { Access, parseExpiration } from "../lib/protocol/access.ts";
import {
  ACCESS_MODIFY,
  ACCESS_VIEW,
  CONTAINER_DECRYPT,
  CONTAINER_DOWNLOAD,
  CONTAINER_TYPE_MODIFY,
  CONTAINER_TYPE_VIEW,
  CONTAINER_UPLOAD,
  PERMISSION_BITS,
  Permissions,
} from "../lib/protocol/permissions.ts";

Deno.test("permissions: the spec's table of bits and names", () => {
  assert.deepEqual(PERMISSION_BITS, {
    "container.download": 1,
    "container.decrypt": 2,
    "container.upload": 4,
    "access.view": 8,
    "access.modify": 16,
    "container.type.modify": 32,
    "container.type.view": 64,
  });
  assert.deepEqual(
    [
      CONTAINER_DOWNLOAD,
      CONTAINER_DECRYPT,
      CONTAINER_UPLOAD,
      ACCESS_VIEW,
      ACCESS_MODIFY,
      CONTAINER_TYPE_MODIFY,
      CONTAINER_TYPE_VIEW,
    ],
    [1, 2, 4, 8, 16, 32, 64],
  );
});

Deno.test("permissions: defaults (all 127, creator 127, others 11) and the spec's 42", () => {
  assert.equal(new Permissions().bits, 127);
  assert.equal(Permissions.creatorDefault().bits, 127);
  const others = Permissions.othersDefault();
  assert.equal(others.bits, 11);
  assert.deepEqual(others.names(), ["container.download", "container.decrypt", "access.view"]);
  assert.deepEqual(new Permissions(42).names(), [
    "container.decrypt",
    "access.view",
    "container.type.modify",
  ]);
});

Deno.test("permissions: every named getter and setter moves exactly its own bit", () => {
  const cases: Array<
    [string, (p: Permissions, on: boolean) => void, (p: Permissions) => boolean, number]
  > = [
    ["container.download", (p, on) => (p.container.download = on), (p) => p.container.download, 1],
    ["container.decrypt", (p, on) => (p.container.decrypt = on), (p) => p.container.decrypt, 2],
    ["container.upload", (p, on) => (p.container.upload = on), (p) => p.container.upload, 4],
    ["access.view", (p, on) => (p.access.view = on), (p) => p.access.view, 8],
    ["access.modify", (p, on) => (p.access.modify = on), (p) => p.access.modify, 16],
    ["type.modify", (p, on) => (p.container.type.modify = on), (p) => p.container.type.modify, 32],
    ["type.view", (p, on) => (p.container.type.view = on), (p) => p.container.type.view, 64],
  ];
  for (const [name, set, get, bit] of cases) {
    const p = new Permissions();
    set(p, false);
    assert.equal(p.bits, 127 - bit, name);
    assert.equal(get(p), false, name);
    const q = new Permissions(0);
    set(q, true);
    assert.equal(q.bits, bit, name);
    assert.equal(get(q), true, name);
  }
});

Deno.test("permissions: integer form, JSON, toString, fromNames", () => {
  const p = Permissions.fromNames(["container.download", "container.type.view"]);
  assert.equal(p.bits, 65);
  assert.equal(+p, 65);
  assert.equal(JSON.stringify([p]), "[65]");
  assert.equal(p.toString(), "container.download, container.type.view");
  assert.equal(new Permissions(0).toString(), "none");
  for (let bits = 0; bits <= 127; bits++) {
    assert.equal(Permissions.fromNames(new Permissions(bits).names()).bits, bits);
  }
});

Deno.test("permissions: validation refuses what is not an integer 0..127 or a known name", () => {
  for (const bad of [-1, 128, 1.5, NaN, Infinity]) {
    assert.throws(() => new Permissions(bad), ValidationError, String(bad));
  }
  for (const bad of ["1", null, {}]) {
    assert.throws(() => new Permissions(bad as unknown as number), ValidationError);
  }
  // deno-lint-ignore no-explicit-any
  assert.throws(() => Permissions.fromNames(["container.delete" as any]), /Unknown permission/);
  const p = new Permissions();
  // deno-lint-ignore no-explicit-any
  assert.throws(() => ((p.container as any).download = 1), ValidationError);
  assert.throws(() => {
    // deno-lint-ignore no-explicit-any
    (p.container as any).remove = true;
  }, TypeError);
  assert.equal(p.bits, 127);
});

Deno.test("access: defaults, lower-cased id, wire form round trip, expiry", () => {
  const id = crypto.randomUUID();
  const access = new Access(id.toUpperCase());
  assert.equal(access.userId, id);
  assert.equal(access.permissions.bits, 11);
  assert.equal(access.expiration, null);
  assert.equal(access.isExpired(Number.MAX_SAFE_INTEGER), false);
  const timed = new Access(id, { permissions: new Permissions(3), expiration: 2_000 });
  assert.deepEqual(timed.toJSON(), { user_id: id, permissions: 3, expiration: 2_000 });
  assert.deepEqual(Access.fromJSON(JSON.parse(JSON.stringify(timed))).toJSON(), timed.toJSON());
  assert.equal(timed.isExpired(1_999), false);
  assert.equal(timed.isExpired(2_000), true);
  assert.match(timed.toString(), /container\.download, container\.decrypt \(expires 1970-/);
});

Deno.test("access: validation of id, permissions and expiration", () => {
  const id = crypto.randomUUID();
  assert.throws(() => new Access("not-a-uuid"), ValidationError);
  assert.throws(() => new Access(id, { permissions: 200 }), /0 to 127/);
  for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, "5"]) {
    assert.throws(() => new Access(id, { expiration: bad as number }), ValidationError);
    assert.throws(() => parseExpiration(bad), ValidationError);
  }
  assert.throws(() => Access.fromJSON([]), ValidationError);
  assert.throws(() => Access.fromJSON({ user_id: id, permissions: "3" }), ValidationError);
  assert.throws(() => Access.fromJSON({ user_id: id, permissions: 3, expiration: "x" }));
  assert.equal(Access.fromJSON({ user_id: id, permissions: 0 }).expiration, null);
});
