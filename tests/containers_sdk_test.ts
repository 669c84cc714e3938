/**
 * Containers through the SDK, both suites, over real HTTP: two users share a container with
 * limited permissions (each bit as the SDK shows it), re-key on update, revoke, delete of the
 * last access, forged key blobs, large content streamed both ways.
 */
import assert from "node:assert/strict";
import {
  ConflictError,
  ForbiddenError,
  IntegrityError,
  NotFoundError,
  Permissions,
  ValidationError,
} from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { ContainerKeys } from "../lib/crypto/container_keys.ts";
import { openContainerHeader } from "../lib/crypto/container_parts.ts";
import { getSuite } from "../lib/crypto/suites.ts";
import { INLINE_CONTENT_BYTES } from "../lib/sdk/containers/_container_writer.ts";
import { realHttpServer } from "./_real_http_server.ts";
import {
  newUsers,
  patternStream,
  rewritingFetch,
  streamDigest,
  testApp,
} from "./_containers_helpers.ts";

/** A key blob as it travels. */
interface BlobJson {
  writer_id: string;
  encrypted_key: string;
  signature: string;
}

const DOWNLOAD = 1;
const DECRYPT = 2;
const UPLOAD = 4;
const ACCESS_VIEW = 8;
const ACCESS_MODIFY = 16;
const TYPE_MODIFY = 32;
const TYPE_VIEW = 64;

/** These tests watch the server's answers, which a warm local cache would stand in for. */
const SERVER_ONLY = { provider: "server" } as const;

for (const suite of ["Sodium", "NIST"] as SuiteName[]) {
  Deno.test(`containers (${suite}): two users, each permission bit as the SDK shows it`, async (t) => {
    const server = await realHttpServer();
    try {
      const app = await testApp(server.url, server.registrationToken, suite, SERVER_ONLY);
      const [alice, bob, carol] = await newUsers(app, 3);
      const made = await alice!.containers.create("hello bob", {
        header: { subject: "hi", n: 1 },
        type: "memo",
        access: {
          [alice!.userId]: { permissions: Permissions.creatorDefault() },
          [bob!.userId]: {},
        },
      });
      const id = made.id;
      assert.equal(made.version, 1);
      assert.equal(made.length, 9);
      assert.equal(await made.content!.text(), "hello bob");
      const setBob = (permissions: number) =>
        alice!.containers.update(id, {
          access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: { permissions } },
        });

      await t.step("the others' default (11): content, header, access list; no type", async () => {
        const seen = await bob!.containers.get(id);
        assert.equal(await seen.content!.text(), "hello bob");
        assert.deepEqual(seen.header, { subject: "hi", n: 1 });
        assert.equal(seen.type, null);
        assert.equal(seen.access!.length, 2);
        assert.equal(seen.createdBy, alice!.userId);
        // Listed ids get the others' default; the creator is listed, so it gets 11 too.
        const own = seen.access!.find((entry) => entry.userId === bob!.userId)!;
        assert.equal(own.permissions.bits, Permissions.othersDefault().bits);
        // A list of ids gives each the others' default, the creator too when listed.
        const listed = await alice!.containers.create("x", {
          access: [alice!.userId, bob!.userId],
        });
        assert.deepEqual(listed.access!.map((entry) => entry.permissions.bits), [11, 11]);
        await assert.rejects(
          alice!.containers.update(listed.id, { type: "t" }),
          /container\.type\.modify/,
        );
        // Without access the creator alone has every permission.
        const alone = await alice!.containers.create("y");
        assert.deepEqual(alone.access!.map((e) => [e.userId, e.permissions.bits]), [[
          alice!.userId,
          127,
        ]]);
        // With access not naming the creator, the creator has none.
        const given = await alice!.containers.create("z", { access: [bob!.userId] });
        await assert.rejects(alice!.containers.get(given.id), NotFoundError);
        assert.equal(await (await bob!.containers.get(given.id)).content!.text(), "z");
      });

      await t.step("alice's own entry as she set it: full access; she sees the type", async () => {
        await setBob(Permissions.othersDefault().bits);
        const seen = await alice!.containers.get(id, { portion: "metadata" });
        assert.equal(seen.type, "memo");
        assert.equal(seen.header, null);
        assert.equal(seen.content, null);
      });

      await t.step(
        "without upload and access.modify: new header refused with the rule",
        async () => {
          const error = await assert.rejects(
            bob!.containers.update(id, { header: { subject: "mine" } }),
            ForbiddenError,
          ).catch((e) => e);
          void error;
          await assert.rejects(
            bob!.containers.update(id, { content: "mine", header: null }),
            (e: unknown) => e instanceof ForbiddenError && /upload|access\.modify/.test(e.message),
          );
        },
      );

      await t.step("without container.type.modify: type change refused", async () => {
        await assert.rejects(
          bob!.containers.update(id, { type: "other" }),
          (e: unknown) => e instanceof ForbiddenError && /container\.type\.modify/.test(e.message),
        );
      });

      await t.step("without access.modify: access change refused", async () => {
        await assert.rejects(
          bob!.containers.update(id, { access: [bob!.userId] }),
          (e: unknown) => e instanceof ForbiddenError && /access\.modify/.test(e.message),
        );
      });

      await t.step("with upload but without access.modify: upload refused", async () => {
        await setBob(DOWNLOAD | DECRYPT | UPLOAD | ACCESS_VIEW);
        await assert.rejects(
          bob!.containers.update(id, { content: "mine" }),
          (e: unknown) => e instanceof ForbiddenError && /access\.modify/.test(e.message),
        );
      });

      await t.step("access.modify without decrypt: cannot hand out decrypt", async () => {
        await setBob(DOWNLOAD | ACCESS_VIEW | ACCESS_MODIFY);
        await assert.rejects(
          bob!.containers.update(id, {
            access: {
              [alice!.userId]: { permissions: 127 },
              [bob!.userId]: { permissions: DOWNLOAD | ACCESS_VIEW | ACCESS_MODIFY },
              [carol!.userId]: {},
            },
          }),
          (e: unknown) => e instanceof ForbiddenError && /container key/.test(e.message),
        );
        // Without decrypt for the newcomer no key is needed: the change goes through.
        const changed = await bob!.containers.update(id, {
          access: {
            [alice!.userId]: { permissions: 127 },
            [bob!.userId]: { permissions: DOWNLOAD | ACCESS_VIEW | ACCESS_MODIFY },
            [carol!.userId]: { permissions: DOWNLOAD },
          },
        });
        assert.equal(changed.access!.length, 3);
        assert.equal((await carol!.containers.get(id)).content, null);
      });

      await t.step("download only: no key blob, so header and content are null", async () => {
        await setBob(DOWNLOAD);
        const seen = await bob!.containers.get(id);
        assert.equal(seen.header, null);
        assert.equal(seen.content, null);
        // Without access.view: only its own entry.
        assert.deepEqual(seen.access!.map((entry) => entry.userId), [bob!.userId]);
        const sealed = await bob!.containers.get(id, { decrypt: false });
        assert.equal(await bob!.containers.keys(sealed), null);
        assert.ok(sealed.sealed!.header instanceof Uint8Array);
        assert.notEqual(sealed.sealed!.content, null);
      });

      await t.step("decrypt only: no parts, so header and content are null", async () => {
        await setBob(DECRYPT);
        const seen = await bob!.containers.get(id);
        assert.equal(seen.header, null);
        assert.equal(seen.content, null);
        const sealed = await bob!.containers.get(id, { decrypt: false });
        assert.notEqual(await bob!.containers.keys(sealed), null);
        assert.equal(sealed.sealed!.header, null);
        assert.equal(sealed.sealed!.content, null);
      });

      await t.step("type.view shows the type; type.modify lets bob change it", async () => {
        await setBob(DOWNLOAD | DECRYPT | TYPE_VIEW | TYPE_MODIFY);
        assert.equal((await bob!.containers.get(id, { portion: "metadata" })).type, "memo");
        const changed = await bob!.containers.update(id, { type: "note" });
        assert.equal(changed.type, "note");
        assert.equal(changed.version, 1); // A type change does not re-key.
      });

      await t.step("upload with access.modify and access.view: bob re-keys", async () => {
        await setBob(DOWNLOAD | DECRYPT | UPLOAD | ACCESS_VIEW | ACCESS_MODIFY);
        const updated = await bob!.containers.update(id, { content: "bob's words" });
        assert.equal(updated.version, 2);
        const seen = await alice!.containers.get(id);
        assert.equal(await seen.content!.text(), "bob's words");
        assert.deepEqual(seen.header, { subject: "hi", n: 1 }); // Kept, re-sealed.
        assert.equal(seen.modifiedBy, bob!.userId);
      });

      await t.step("portions: header only, content only", async () => {
        const header = await alice!.containers.get(id, { portion: "header" });
        assert.deepEqual(header.header, { subject: "hi", n: 1 });
        assert.equal(header.content, null);
        const content = await alice!.containers.get(id, { portion: "content" });
        assert.equal(content.header, null);
        assert.equal(await content.content!.text(), "bob's words");
      });

      await t.step("bad arguments are ValidationErrors before any request", async () => {
        await assert.rejects(alice!.containers.get("nope"), ValidationError);
        await assert.rejects(
          alice!.containers.get(id, { portion: "all-of-it" as never }),
          /portion/,
        );
        await assert.rejects(alice!.containers.update(id, {}), /at least one/);
        await assert.rejects(alice!.containers.create(42 as never), ValidationError);
        await assert.rejects(alice!.containers.create("x", { access: [] }), /at least one/);
        await assert.rejects(alice!.containers.list({ limit: 0 }), /limit/);
      });
    } finally {
      await server.close();
    }
  });

  Deno.test(`containers (${suite}): re-key on update; the old keys open nothing new`, async () => {
    const server = await realHttpServer();
    try {
      const app = await testApp(server.url, server.registrationToken, suite);
      const [alice, bob] = await newUsers(app, 2);
      const made = await alice!.containers.create("v1", {
        header: "h1",
        access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
      });
      const before = await bob!.containers.get(made.id, { decrypt: false });
      const oldKeys = (await bob!.containers.keys(before))!;
      assert.equal(oldKeys.version, 1);
      const updated = await alice!.containers.update(made.id, { header: "h2" });
      assert.equal(updated.version, 2);
      const after = await bob!.containers.get(made.id, { decrypt: false });
      assert.equal(after.version, 2);
      assert.equal(after.isEncrypted, true);
      const newKeys = (await bob!.containers.keys(after))!;
      assert.equal(newKeys.version, 2);
      assert.notDeepEqual(newKeys.key, oldKeys.key);
      // The sealed container opens offline with its keys (and they survive their byte form).
      await after.decrypt(ContainerKeys.fromBytes(newKeys.toBytes()));
      assert.equal(after.header, "h2");
      assert.equal(await after.content!.text(), "v1"); // Content re-sealed under the new key.

      // The old key opens neither version 2's parts as version 2 nor as version 1.
      const again = await bob!.containers.get(made.id, { decrypt: false });
      const suiteImpl = await getSuite(suite);
      for (const version of [1, 2]) {
        const keys = new ContainerKeys(made.id, version, oldKeys.key);
        await assert.rejects(
          openContainerHeader(suiteImpl, keys, again.sealed!.header!),
          IntegrityError,
        );
      }
      await assert.rejects(
        again.decrypt(new ContainerKeys(made.id, 2, oldKeys.key)),
        IntegrityError,
      );
      // keys() takes only containers get({ decrypt: false }) returned.
      await assert.rejects(bob!.containers.keys(updated), ValidationError);
    } finally {
      await server.close();
    }
  });

  Deno.test(`containers (${suite}): revoke, delete of the last access, list, expiry`, async () => {
    const server = await realHttpServer();
    try {
      const app = await testApp(server.url, server.registrationToken, suite, SERVER_ONLY);
      const [alice, bob] = await newUsers(app, 2);
      const shared = await alice!.containers.create("shared", {
        type: "doc",
        access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
      });
      const own = await alice!.containers.create(new Uint8Array([1, 2, 3]), { type: "doc" });
      const page = await alice!.containers.list({ type: "doc" });
      assert.deepEqual(page.containers.map((c) => c.id).sort(), [shared.id, own.id].sort());
      assert.equal((await bob!.containers.list()).containers.length, 1);

      await alice!.containers.update(shared.id, { access: [alice!.userId] });
      await assert.rejects(bob!.containers.get(shared.id), NotFoundError);
      assert.equal((await bob!.containers.list()).containers.length, 0);

      await alice!.containers.delete(own.id);
      await assert.rejects(alice!.containers.get(own.id), NotFoundError);
      await assert.rejects(alice!.containers.delete(own.id), NotFoundError);

      // The last access of a large container: its bytes go too.
      const blobFiles = () => {
        let count = 0;
        const walk = (dir: string) => {
          for (const entry of Deno.readDirSync(dir)) {
            if (entry.isDirectory) walk(`${dir}/${entry.name}`);
            else count++;
          }
        };
        try {
          walk(server.blobs.root);
        } catch (error) {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        }
        return count;
      };
      const before = blobFiles();
      const large = await alice!.containers.create(new Uint8Array(2 * 1024 * 1024 + 1));
      assert.equal(blobFiles(), before + 1);
      await alice!.containers.delete(large.id);
      for (let i = 0; i < 50 && blobFiles() > before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(blobFiles(), before);

      // An access past its expiration (the server's injected clock) is no access at all.
      const expiring = await alice!.containers.create("for an hour", {
        access: {
          [alice!.userId]: { permissions: 127 },
          [bob!.userId]: { expiration: server.clock.now + 3_600_000_000 },
        },
      });
      assert.equal(await (await bob!.containers.get(expiring.id)).content!.text(), "for an hour");
      server.clock.advanceSeconds(3601);
      await assert.rejects(bob!.containers.get(expiring.id), NotFoundError);
      assert.equal((await alice!.containers.get(expiring.id)).access!.length, 1);
    } finally {
      await server.close();
    }
  });

  Deno.test(`containers (${suite}): forged key blobs from the server are IntegrityErrors`, async (t) => {
    const server = await realHttpServer();
    try {
      const honest = await testApp(server.url, server.registrationToken, suite);
      const [alice, bob, mallory] = await newUsers(honest, 3);
      const first = await alice!.containers.create("secret one", {
        access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
      });
      const second = await alice!.containers.create("secret two", { access: [bob!.userId] });
      // Mallory, a registered user, seals a key of her own to bob for her own container.
      const mallorys = await mallory!.containers.create("lies", { access: [bob!.userId] });
      const blobs = new Map<string, BlobJson>();
      const recording = await testApp(server.url, server.registrationToken, suite, {
        fetch: rewritingFetch((_url, _method, json) => {
          const body = json as { container_id?: string; key_blob?: BlobJson };
          if (body.container_id !== undefined && body.key_blob) {
            blobs.set(body.container_id, body.key_blob);
          }
          return json;
        }),
      });
      const recorder = recording.resume(bob!.client.config);
      for (const id of [first.id, second.id, mallorys.id]) await recorder.containers.get(id);
      const firstV1 = blobs.get(first.id)!;
      const bobBlob = blobs.get(second.id)!;
      const malloryBlob = blobs.get(mallorys.id)!;

      const bobThrough = async (rewrite: (blob: Record<string, unknown>) => unknown) => {
        const app = await testApp(server.url, server.registrationToken, suite, {
          fetch: rewritingFetch((url, method, json) => {
            if (method !== "GET" || !url.pathname.endsWith(first.id)) return json;
            const body = json as Record<string, unknown>;
            return { ...body, key_blob: rewrite(body.key_blob as Record<string, unknown>) };
          }),
        });
        return app.resume(bob!.client.config);
      };

      await t.step("honest path opens", async () => {
        const bobAgain = await bobThrough((blob) => blob);
        assert.equal(await (await bobAgain.containers.get(first.id)).content!.text(), "secret one");
      });
      await t.step("a blob of another container", async () => {
        const forged = await bobThrough(() => bobBlob);
        await assert.rejects(forged.containers.get(first.id), IntegrityError);
      });
      await t.step("another writer's blob passed off as alice's", async () => {
        const forged = await bobThrough(() => ({
          writer_id: alice!.userId,
          encrypted_key: malloryBlob.encrypted_key,
          signature: malloryBlob.signature,
        }));
        await assert.rejects(forged.containers.get(first.id), IntegrityError);
      });
      await t.step(
        "mallory's blob under her own name (signed, but for another container)",
        async () => {
          const forged = await bobThrough(() => ({
            writer_id: mallory!.userId,
            encrypted_key: malloryBlob.encrypted_key,
            signature: malloryBlob.signature,
          }));
          await assert.rejects(forged.containers.get(first.id), IntegrityError);
        },
      );
      await t.step("an edited encrypted key", async () => {
        const forged = await bobThrough((blob) => ({
          ...blob,
          encrypted_key: editFirstCharacter(String(blob.encrypted_key)),
        }));
        await assert.rejects(forged.containers.get(first.id), IntegrityError);
      });
      await t.step("version 1's blob replayed after a re-key", async () => {
        await alice!.containers.update(first.id, {
          content: "secret three",
          access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
        });
        const honestNow = await bobThrough((blob) => blob);
        assert.equal(
          await (await honestNow.containers.get(first.id)).content!.text(),
          "secret three",
        );
        const replayed = await bobThrough(() => firstV1);
        await assert.rejects(replayed.containers.get(first.id), IntegrityError);
      });
    } finally {
      await server.close();
    }
  });

  Deno.test(`containers (${suite}): large content streams both ways`, async () => {
    const server = await realHttpServer();
    try {
      const app = await testApp(server.url, server.registrationToken, suite, SERVER_ONLY);
      const [alice, bob] = await newUsers(app, 2);
      const size = 3 * 1024 * 1024 + 17;
      const expected = await streamDigest(patternStream(size));
      const uploads: number[] = [];
      const known = await alice!.containers.create(patternStream(size), {
        length: size,
        access: { [alice!.userId]: { permissions: 127 }, [bob!.userId]: {} },
        onProgress: (progress) => uploads.push(progress.bytes),
      });
      assert.ok(uploads.at(-1)! > INLINE_CONTENT_BYTES);
      const unknown = await alice!.containers.create(patternStream(size), { header: "spooled" });
      assert.equal(unknown.length, size);
      const downloads: number[] = [];
      const seen = await bob!.containers.get(known.id, {
        onProgress: (progress) => downloads.push(progress.bytes),
      });
      assert.equal(seen.length, size);
      assert.equal(await streamDigest(seen.content!.stream()), expected);
      assert.ok(downloads.at(-1)! > size);
      const other = await alice!.containers.get(unknown.id);
      assert.equal(await streamDigest(other.content!.stream()), expected);
      // A stream shorter than its announced length is refused.
      await assert.rejects(
        alice!.containers.create(patternStream(size - 1), { length: size }),
        /length/,
      );
      // Re-keying a header keeps large content (streamed through, re-sealed).
      const rekeyed = await alice!.containers.update(unknown.id, { header: "new" });
      assert.equal(rekeyed.version, 2);
      const again = await alice!.containers.get(unknown.id);
      assert.equal(again.header, "new");
      assert.equal(await streamDigest(again.content!.stream()), expected);
      // A content fetched after a concurrent re-key is a ConflictError, not garbage.
      const stale = await alice!.containers.get(known.id);
      await alice!.containers.update(known.id, { content: "small now" });
      await assert.rejects(stale.content!.bytes(), ConflictError);
    } finally {
      await server.close();
    }
  });
}

/** The text with its first character changed (to another one, whatever it was). */
function editFirstCharacter(text: string): string {
  return `${text.startsWith("A") ? "B" : "A"}${text.slice(1)}`;
}
