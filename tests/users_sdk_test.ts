/**
 * Users end to end, in both suites, against a real HTTP server: create, login with a password
 * (local copy) or a passphrase (server copy), every failure path, changeCredentials, reminders,
 * public keys, delete, and records shared between a user and a plain client.
 */
import assert from "node:assert/strict";
import {
  Arca,
  type ArcaOptions,
  ForbiddenError,
  IntegrityError,
  NotFoundError,
  RateLimitError,
  type Session,
  UnauthorizedError,
  ValidationError,
} from "../mod.ts";
import { keyFileChecksum } from "../lib/crypto/key_file.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { CHEAP_KDF, plainClient } from "./_users_helpers.ts";

const PASSWORD = "Tr0ub4dor&3";
const PASSPHRASE = "correct Horse battery 9";
const REMINDER = "the horse";

/** Counts the requests an application sends. */
function countingFetch(): { fetch: typeof fetch; count: () => number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls++;
      return fetch(input, init);
    },
    count: () => calls,
  };
}

async function newApp(
  url: string,
  token: string,
  suite: SuiteName,
  options: ArcaOptions = {},
): Promise<Arca> {
  return await Arca.initialize(token, {
    serverUrl: url,
    rootDir: await Deno.makeTempDir({ prefix: "arca-users-" }),
    suite,
    keyFileKdf: CHEAP_KDF,
    ...options,
  });
}

for (const suite of ["Sodium", "NIST"] as const) {
  Deno.test(`users (${suite}): create, log in by password and by passphrase, fail cleanly`, async (t) => {
    const server = await realHttpServer({ keyFileAttemptsPerAddress: 1000 });
    try {
      const app = await newApp(server.url, server.registrationToken, suite);
      const created = await app.users.create(PASSWORD, REMINDER, PASSPHRASE);
      const userId = created.userId;
      const localPath = app.localKeyFilePath(userId)!;

      await t.step("create saves the key file locally (0600), as the server holds it", async () => {
        assert.equal(created.client.config.cryptoSuite, suite);
        const local = await Deno.readFile(localPath);
        assert.equal(await keyFileChecksum(local), created.checksum);
        if (Deno.build.os !== "windows") {
          assert.equal((await Deno.stat(localPath)).mode! & 0o777, 0o600);
        }
      });

      await t.step("login with the password opens the local copy", async () => {
        const session = await app.login(userId, { password: PASSWORD });
        assert.equal(session.userId, userId);
        assert.equal(session.checksum, created.checksum);
        const record = await session.client.write("diary", { entry: "dear diary" });
        assert.equal((await created.client.read(record.meta.recordId)).data.entry, "dear diary");
      });

      await t.step(
        "login with only the passphrase on a fresh rootDir downloads and saves",
        async () => {
          const fresh = await newApp(server.url, "", suite);
          const session = await fresh.login(userId, { passphrase: PASSPHRASE });
          assert.equal(session.userId, userId);
          const saved = await Deno.readFile(fresh.localKeyFilePath(userId)!);
          assert.equal(await keyFileChecksum(saved), created.checksum);
          // The local copy now opens with the (recovered) password alone.
          const again = await fresh.login(userId, { password: PASSWORD });
          assert.equal(again.userId, userId);
        },
      );

      await t.step("password only on a fresh rootDir: a clear error, nothing sent", async () => {
        const counter = countingFetch();
        const fresh = await newApp(server.url, "", suite, { fetch: counter.fetch });
        await assert.rejects(
          fresh.login(userId, { password: PASSWORD }),
          (error) => error instanceof NotFoundError && /give the passphrase/.test(error.message),
        );
        assert.equal(counter.count(), 0);
        const session = await fresh.login(userId, { password: PASSWORD, passphrase: PASSPHRASE });
        assert.equal(session.userId, userId);
      });

      await t.step("a wrong password is an IntegrityError", async () => {
        await assert.rejects(app.login(userId, { password: "Wr0ng-password" }), IntegrityError);
      });

      await t.step("a wrong passphrase is refused by the server (403)", async () => {
        const fresh = await newApp(server.url, "", suite);
        await assert.rejects(
          fresh.login(userId, { passphrase: "Wrong passphrase 1" }),
          (error) =>
            error instanceof ForbiddenError && error.status === 403 &&
            error.message === "wrong passphrase or unknown user",
        );
        assert.equal(await Deno.stat(fresh.localKeyFilePath(userId)!).catch(() => null), null);
      });

      await t.step("a tampered local key file is an IntegrityError", async () => {
        const bytes = await Deno.readFile(localPath);
        const tampered = bytes.slice();
        tampered[80]! ^= 0x01; // inside the sealed body, in both suites
        await Deno.writeFile(localPath, tampered);
        try {
          await assert.rejects(app.login(userId, { password: PASSWORD }), IntegrityError);
        } finally {
          await Deno.writeFile(localPath, bytes);
        }
      });

      await t.step("the reminder is public; keys.get gives public keys only", async () => {
        assert.equal(await app.users.getBackupReminder(userId), REMINDER);
        assert.equal(await created.getBackupReminder(), REMINDER);
        const other = await plainClient(server.url, server.registrationToken, suite);
        const keys = await created.keys.get(other.clientId);
        assert.deepEqual(keys, {
          userId: other.clientId,
          publicKey: other.config.publicKey,
          publicKeyType: suite === "Sodium" ? "curve25519" : "p384",
          signingKey: other.config.publicSigningKey,
          signingKeyType: suite === "Sodium" ? "ed25519" : "p384",
        });
        const own = await created.keys.get(userId);
        assert.equal(own.publicKey, created.client.config.publicKey);
        assert.ok(!JSON.stringify(own).includes(created.client.config.privateKey));
      });
    } finally {
      await server.close();
    }
  });

  Deno.test(`users (${suite}): validators refuse before any request`, async () => {
    const counter = countingFetch();
    const app = await newApp("http://127.0.0.1:9", "token", suite, { fetch: counter.fetch });
    await assert.rejects(
      app.users.create("short", REMINDER, PASSPHRASE),
      (error) => error instanceof ValidationError && /default password rule/.test(error.message),
    );
    await assert.rejects(
      app.users.create(PASSWORD, REMINDER, "all lower case words"),
      (error) => error instanceof ValidationError && /default passphrase rule/.test(error.message),
    );
    const shortReminder = (text: string) => text.length <= 3;
    await assert.rejects(
      app.users.create(PASSWORD, "too long", PASSPHRASE, { reminder: shortReminder }),
      (error) => error instanceof ValidationError && /"shortReminder"/.test(error.message),
    );
    await assert.rejects(
      app.users.create(PASSWORD, "x".repeat(1025), PASSPHRASE),
      (error) => error instanceof ValidationError && /1024/.test(error.message),
    );
    const strict = await newApp("http://127.0.0.1:9", "token", suite, {
      fetch: counter.fetch,
      validators: {
        password: function longPassword(text) {
          return text.length >= 20;
        },
      },
    });
    await assert.rejects(
      strict.users.create(PASSWORD, REMINDER, PASSPHRASE),
      (error) => error instanceof ValidationError && /"longPassword"/.test(error.message),
    );
    assert.equal(counter.count(), 0);
  });

  Deno.test(`users (${suite}): throttled downloads are a RateLimitError`, async () => {
    const server = await realHttpServer({ keyFileAttemptsPerUser: 2 });
    try {
      const app = await newApp(server.url, server.registrationToken, suite);
      const { userId } = await app.users.create(PASSWORD, REMINDER, PASSPHRASE);
      const fresh = await newApp(server.url, "", suite);
      for (let attempt = 0; attempt < 2; attempt++) {
        await assert.rejects(
          fresh.login(userId, { passphrase: "Wrong passphrase 1" }),
          ForbiddenError,
        );
      }
      await assert.rejects(
        fresh.login(userId, { passphrase: PASSPHRASE }),
        (error) =>
          error instanceof RateLimitError && error.status === 429 &&
          (error.retryAfterSeconds ?? 0) > 0,
      );
    } finally {
      await server.close();
    }
  });

  Deno.test(`users (${suite}): changeCredentials, delete, sharing with plain clients`, async (t) => {
    const server = await realHttpServer({ keyFileAttemptsPerAddress: 1000 });
    try {
      const app = await newApp(server.url, server.registrationToken, suite);
      let session: Session = await app.users.create(PASSWORD, REMINDER, PASSPHRASE);
      const userId = session.userId;
      const plain = await plainClient(server.url, server.registrationToken, suite);

      await t.step("a user shares with a plain client and the other way round", async () => {
        const mine = await session.client.write("user-notes", { text: "from the user" });
        await session.client.share("user-notes", plain.clientId);
        assert.equal((await plain.read(mine.meta.recordId)).data.text, "from the user");
        const theirs = await plain.write("client-notes", { text: "from the client" });
        await plain.share("client-notes", userId);
        assert.equal(
          (await session.client.read(theirs.meta.recordId)).data.text,
          "from the client",
        );
      });

      await t.step(
        "changeCredentials: new checksum, new password works, old does not",
        async () => {
          const before = session.checksum;
          await session.changeCredentials("N3w-password!", "new Passphrase 22", "new reminder");
          assert.notEqual(session.checksum, before);
          await assert.rejects(app.login(userId, { password: PASSWORD }), IntegrityError);
          session = await app.login(userId, { password: "N3w-password!" });
          assert.equal(await app.users.getBackupReminder(userId), "new reminder");
          const fresh = await newApp(server.url, "", suite);
          await assert.rejects(fresh.login(userId, { passphrase: PASSPHRASE }), ForbiddenError);
          const other = await fresh.login(userId, { passphrase: "new Passphrase 22" });
          assert.equal(other.checksum, session.checksum);
        },
      );

      await t.step(
        "changeCredentials validates first and keeps the reminder when omitted",
        async () => {
          await assert.rejects(
            session.changeCredentials("weak", "new Passphrase 22"),
            ValidationError,
          );
          await session.changeCredentials("N3w-password!", "new Passphrase 22");
          assert.equal(await session.getBackupReminder(), "new reminder");
        },
      );

      await t.step("delete: the bearer token is refused at once, login fails after", async () => {
        // A second device with its own local copy.
        const device = await newApp(server.url, "", suite);
        await device.login(userId, { passphrase: "new Passphrase 22" });
        const client = session.client;
        await client.write("before-delete", { ok: "yes" }); // caches a bearer token
        await session.delete();
        assert.equal(session.isLoggedIn, false);
        assert.throws(() => session.client, /logged out/);
        await assert.rejects(client.write("after-delete", { ok: "no" }), UnauthorizedError);
        assert.equal(await Deno.stat(app.localKeyFilePath(userId)!).catch(() => null), null);
        await assert.rejects(
          device.login(userId, { password: "N3w-password!" }),
          UnauthorizedError,
        );
        const fresh = await newApp(server.url, "", suite);
        await assert.rejects(
          fresh.login(userId, { passphrase: "new Passphrase 22" }),
          (error) => error instanceof NotFoundError && error.message === "unknown user",
        );
        await assert.rejects(app.users.getBackupReminder(userId), NotFoundError);
      });
    } finally {
      await server.close();
    }
  });
}

Deno.test("users: one login at the default KDF costs (Sodium)", async () => {
  const server = await realHttpServer();
  try {
    const app = await Arca.initialize(server.registrationToken, {
      serverUrl: server.url,
      rootDir: await Deno.makeTempDir({ prefix: "arca-users-" }),
      suite: "Sodium",
    });
    const created = await app.users.create(PASSWORD, REMINDER, PASSPHRASE);
    const session = await app.login(created.userId, { password: PASSWORD });
    assert.equal(session.userId, created.userId);
    // A key file below the application's minimum is refused before deriving anything.
    const cheap = await newApp(server.url, server.registrationToken, "Sodium");
    const weak = await cheap.users.create(PASSWORD, REMINDER, PASSPHRASE);
    const strictApp = await Arca.initialize("", {
      serverUrl: server.url,
      rootDir: await Deno.makeTempDir({ prefix: "arca-users-" }),
    });
    await assert.rejects(strictApp.login(weak.userId, { passphrase: PASSPHRASE }), IntegrityError);
  } finally {
    await server.close();
  }
});
