// Units of notes and identity login: replay cache, login throttle, PKCE, note option rules.
import assert from "node:assert/strict";
import { isPkceVerifier, newPkceVerifier, pkceChallenge } from "../lib/crypto/pkce.ts";
import { ValidationError } from "../lib/errors.ts";
import { HttpError } from "../lib/server/_http_error.ts";
import { LoginThrottle } from "../lib/store/sqlite/_login_throttle.ts";
import { NonceCache } from "../lib/store/sqlite/_nonce_cache.ts";
import {
  ANONYMOUS_MAX_LIFETIME_SECONDS,
  ANONYMOUS_MAX_VIEWS,
  resolveNoteOptions,
  tozidRealm,
} from "../lib/server/_note_rules.ts";
import { noteWriteSchema } from "../lib/protocol/notes.ts";

Deno.test("nonce cache: refuses replays until expiry, then forgets", () => {
  const cache = new NonceCache(10);
  assert.equal(cache.remember("a", 100, 0), "fresh");
  assert.equal(cache.remember("a", 100, 99), "replayed");
  assert.equal(cache.remember("a", 200, 100), "fresh");
  assert.equal(cache.remember("b", 200, 100), "fresh");
  assert.equal(cache.size, 2);
});

Deno.test("nonce cache: full of live nonces refuses new ones, never forgets a live one", () => {
  const cache = new NonceCache(3);
  for (const nonce of ["a", "b", "c"]) assert.equal(cache.remember(nonce, 100, 0), "fresh");
  assert.equal(cache.remember("d", 100, 1), "full");
  assert.equal(cache.remember("a", 100, 2), "replayed");
  // once they expire, a sweep frees room
  assert.equal(cache.remember("d", 300, 100), "fresh");
  assert.equal(cache.size, 1);
  assert.throws(() => new NonceCache(0), RangeError);
  assert.throws(() => cache.remember("", 1, 0), TypeError);
  assert.throws(() => cache.remember("x", Number.NaN, 0), TypeError);
});

Deno.test("login throttle: N failures block for the window; keys are independent", () => {
  const throttle = new LoginThrottle({ maxFailures: 3, windowSeconds: 100, maxKeys: 2 });
  for (const t of [0, 10, 20]) {
    assert.equal(throttle.retryAfter("alice", t), 0);
    throttle.fail("alice", t);
  }
  assert.equal(throttle.retryAfter("alice", 21), 79);
  assert.equal(throttle.retryAfter("bob", 21), 0);
  assert.equal(throttle.retryAfter("alice", 100), 0); // the failure at 0 left the window
  throttle.succeed("alice");
  assert.equal(throttle.retryAfter("alice", 21), 0);
  // bounded: when full, the unlocked key whose last failure is oldest goes first
  const small = new LoginThrottle({ maxFailures: 2, windowSeconds: 100, maxKeys: 2 });
  small.fail("a", 0);
  small.fail("b", 1);
  small.fail("a", 2); // a is locked now
  small.fail("c", 3); // b (unlocked) makes room
  assert.ok(small.retryAfter("a", 4) > 0);
  small.fail("b", 4); // b counts from zero again; c, the oldest unlocked key, goes
  small.fail("b", 5);
  assert.ok(small.retryAfter("b", 6) > 0);
  assert.equal(small.retryAfter("c", 6) > 0, true); // full of locked keys: a new key must wait
  assert.throws(() => new LoginThrottle({ maxFailures: 0 }), RangeError);
});

Deno.test("login throttle: a locked key is never evicted; when only locked keys remain, new keys wait", () => {
  const throttle = new LoginThrottle({ maxFailures: 1, windowSeconds: 100, maxKeys: 2 });
  throttle.fail("victim", 0);
  throttle.fail("flood-1", 1);
  for (let i = 2; i < 50; i++) {
    // a flood of new keys: each is refused rather than evicting a locked key
    assert.ok(throttle.retryAfter(`flood-${i}`, i) > 0);
    throttle.fail(`flood-${i}`, i);
  }
  assert.ok(throttle.retryAfter("victim", 50) > 0);
  assert.equal(throttle.retryAfter("victim", 50), 50);
  // once the victim's lock ends, room is made again
  assert.equal(throttle.retryAfter("newcomer", 100), 0);
  throttle.fail("newcomer", 100);
  assert.ok(throttle.retryAfter("newcomer", 100) > 0);
  assert.ok(throttle.retryAfter("flood-1", 100) > 0);
  // with an unlocked key present, the oldest unlocked key makes room
  const mixed = new LoginThrottle({ maxFailures: 2, windowSeconds: 100, maxKeys: 2 });
  mixed.fail("locked", 0);
  mixed.fail("locked", 1);
  mixed.fail("counting", 2);
  mixed.fail("new", 3);
  assert.ok(mixed.retryAfter("locked", 4) > 0);
  mixed.fail("new", 4);
  assert.ok(mixed.retryAfter("new", 5) > 0);
});

Deno.test("nonce cache: a spent budget refuses its owner while others still get in", () => {
  const cache = new NonceCache(100);
  const key = { key: "key:k", limit: 2 };
  const address = { key: "address:a", limit: 3 };
  assert.equal(cache.remember("1", 100, 0, [key, address]), "fresh");
  assert.equal(cache.remember("2", 100, 0, [key, address]), "fresh");
  assert.equal(cache.remember("3", 100, 0, [key, address]), key);
  assert.equal(cache.remember("4", 100, 0, [{ key: "key:k2", limit: 2 }, address]), "fresh");
  assert.equal(cache.remember("5", 100, 0, [{ key: "key:k3", limit: 2 }, address]), address);
  assert.equal(cache.remember("6", 100, 0, [{ key: "key:other", limit: 2 }]), "fresh");
  assert.equal(cache.remember("1", 100, 1, [key, address]), "replayed");
  // once the nonces expire, the budgets are free again
  assert.equal(cache.remember("7", 300, 100, [key, address]), "fresh");
  assert.equal(cache.size, 1);
});

Deno.test("pkce: RFC 7636 vector, fresh verifiers, bad verifiers refused", async () => {
  assert.equal(
    await pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
    "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
  );
  const a = newPkceVerifier();
  assert.ok(isPkceVerifier(a));
  assert.notEqual(a, newPkceVerifier());
  assert.equal((await pkceChallenge(a)).length, 43);
  for (const bad of ["short", "x".repeat(129), "has space".padEnd(50, "x"), 42]) {
    assert.equal(isPkceVerifier(bad), false);
  }
  await assert.rejects(pkceChallenge("short"), ValidationError);
});

const NOW = 1_800_000_000_000_000;
const base = { id_string: "n", max_views: null, expires: false, expiration: null, eacp: null };

Deno.test("note rules: registered writers keep their options", () => {
  const options = resolveNoteOptions({ ...base, max_views: 7 }, false, NOW);
  assert.deepEqual(options, { idString: "n", maxViews: 7, expiration: null, eacp: null });
  assert.equal(resolveNoteOptions(base, false, NOW).maxViews, -1);
  const at = new Date(NOW / 1000 + 5000).toISOString();
  assert.equal(
    resolveNoteOptions({ ...base, expires: true, expiration: at }, false, NOW).expiration,
    NOW + 5000 * 1000,
  );
});

Deno.test("note rules: anonymous writers get one view, no name, at most 24 h", () => {
  const options = resolveNoteOptions({ ...base, max_views: 100 }, true, NOW);
  assert.equal(options.idString, null);
  assert.equal(options.maxViews, ANONYMOUS_MAX_VIEWS);
  assert.equal(options.expiration, NOW + ANONYMOUS_MAX_LIFETIME_SECONDS * 1_000_000);
  const eacp = { tozid_eacp: { realm_name: "A" } };
  assert.throws(() => resolveNoteOptions({ ...base, eacp }, true, NOW), HttpError);
});

Deno.test("note rules: EACPs are checked and normalised", () => {
  const eacp = { tozid_eacp: { realm_name: "Acme", extra: 1 } };
  const options = resolveNoteOptions({ ...base, eacp }, false, NOW);
  assert.deepEqual(options.eacp, { tozid_eacp: { realm_name: "Acme" } });
  assert.equal(tozidRealm(options.eacp), "Acme");
  assert.equal(tozidRealm(null), undefined);
  for (const bad of [{ otp: {} }, { tozid_eacp: null }, { tozid_eacp: { realm_name: "" } }]) {
    assert.throws(() => resolveNoteOptions({ ...base, eacp: bad }, false, NOW), HttpError);
  }
});

Deno.test("note schema: Python quirks are tolerated", () => {
  const body = noteWriteSchema.parse({
    data: { secret: "a.b.c.d" },
    signature: "signed",
    note_id: null,
    created_at: null,
    mode: "sodium",
    recipient_signing_key: "r",
    writer_signing_key: "w",
    writer_encryption_key: "e",
    encrypted_access_key: "ct.nonce",
    client_id: null,
    type: "",
    plain: {},
    file_meta: {},
    max_views: 3,
    expiration: "0001-01-01T00:00:00Z",
    expires: false,
    eacp: null,
    id_string: "note-name-1",
  });
  assert.equal(body.mode, "Sodium");
  assert.equal(body.id_string, "note-name-1");
  assert.equal(body.max_views, 3);
  assert.equal(noteWriteSchema.safeParse({ ...body, mode: "rsa" }).success, false);
  assert.equal(noteWriteSchema.safeParse({ ...body, data: { a: 1 } }).success, false);
});
