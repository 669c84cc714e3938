/**
 * The seed's module-level shape (`initialize`, `login`, `users.*`, `keys.get` on a default
 * application) against a real server, and the validators as units.
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import {
  ArcaError,
  currentUser,
  DEFAULT_CREDENTIAL_RULE,
  initialize,
  IntegrityError,
  isPassphraseValid,
  isPasswordValid,
  isReminderValid,
  keys,
  login,
  logout,
  setValidators,
  users,
  ValidationError,
} from "../mod.ts";
import { requireValidCredential } from "../lib/sdk/users/validators.ts";
import {
  localKeyFilePath,
  readLocalKeyFile,
  removeLocalKeyFile,
  writeLocalKeyFile,
} from "../lib/sdk/users/_local_key_file.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { CHEAP_KDF } from "./_users_helpers.ts";

Deno.test("validators: the default rule needs 8 characters from 3 of 4 classes", () => {
  for (
    const good of [
      "Tr0ub4dor",
      "abcdEFG1",
      "correct Horse battery",
      "abcd1234!",
      "ÉCOLE-été1",
      "pass word 1A",
    ]
  ) {
    assert.equal(isPasswordValid(good), true, good);
    assert.equal(isPassphraseValid(good), true, good);
  }
  for (
    const bad of [
      "Ab1!xyz",
      "abcdefgh",
      "correct horse battery",
      "ABCDEFGH1",
      "12345678!",
      "",
      "        ",
    ]
  ) {
    assert.equal(isPasswordValid(bad), false, bad);
    assert.equal(isPassphraseValid(bad), false, bad);
  }
  assert.equal(isPasswordValid(42 as unknown as string), false);
  assert.equal(isReminderValid(""), true);
  assert.equal(isReminderValid("anything at all"), true);
});

Deno.test("validators: per call beats per app beats global beats default; errors name the rule", () => {
  const weak = "weak";
  assert.throws(
    () => requireValidCredential("password", weak, []),
    (error) =>
      error instanceof ValidationError &&
      error.message ===
        `Password rejected by the default password rule: ${DEFAULT_CREDENTIAL_RULE}`,
  );
  const previous = setValidators({
    password: function anyFour(text) {
      return text.length >= 4;
    },
  });
  try {
    requireValidCredential("password", weak, []); // the global one accepts it
    assert.throws(
      () => requireValidCredential("password", weak, [undefined, { password: () => false }]),
      /custom password validator/,
    );
    assert.throws(
      () =>
        requireValidCredential("password", weak, [
          {
            password: function never() {
              return false;
            },
          },
          { password: () => true },
        ]),
      /Password rejected by the validator "never"/,
    );
    assert.throws(() => requireValidCredential("password", "abc", []), /"anyFour"/);
  } finally {
    setValidators(previous);
  }
  assert.throws(() => requireValidCredential("password", weak, []), /default password rule/);
  assert.throws(
    () =>
      requireValidCredential("reminder", "x", [{
        reminder: () => {
          throw new Error("boom");
        },
      }]),
    (error) => error instanceof ValidationError && /threw/.test(error.message),
  );
  assert.throws(() => setValidators({ pasword: () => true } as never), /unknown key "pasword"/);
  assert.throws(() => requireValidCredential("passphrase", 7, []), /must be a string/);
});

Deno.test("local key file: atomic write, 0600, read back, removed", async () => {
  const root = await Deno.makeTempDir();
  try {
    const id = crypto.randomUUID();
    assert.equal(await readLocalKeyFile(root, id), undefined);
    await writeLocalKeyFile(root, id, new Uint8Array([1, 2, 3]));
    await writeLocalKeyFile(root, id, new Uint8Array([4, 5]));
    assert.deepEqual(await readLocalKeyFile(root, id), new Uint8Array([4, 5]));
    const path = localKeyFilePath(root, id);
    const folder = dirname(path); // The user's cache partition (docs/cache.md): no id in it.
    assert.ok(!path.includes(id));
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      assert.equal((await Deno.stat(folder)).mode! & 0o777, 0o700);
    }
    const names = [...Deno.readDirSync(folder)].map((entry) => entry.name);
    assert.deepEqual(names, ["key-file"]); // no temporary file left behind
    await removeLocalKeyFile(root, id);
    await removeLocalKeyFile(root, id); // twice is fine
    assert.equal(await readLocalKeyFile(root, id), undefined);
    assert.throws(() => localKeyFilePath(root, "../etc/passwd"), ValidationError);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("module-level shape: needs initialize and login, never half logged in", async () => {
  logout();
  await assert.rejects(users.getBackupReminder(), ArcaError);
  const server = await realHttpServer();
  const rootDir = await Deno.makeTempDir({ prefix: "arca-users-" });
  try {
    await initialize(server.registrationToken, {
      serverUrl: server.url,
      rootDir,
      keyFileKdf: CHEAP_KDF,
    });
    await assert.rejects(keys.get(crypto.randomUUID()), /No user is logged in/);
    const alice = await users.create("Tr0ub4dor&3", "a horse", "correct Horse battery 9");
    assert.equal(currentUser(), alice);
    const alicePublicKey = alice.client.config.publicKey;
    assert.equal(await users.getBackupReminder(), "a horse");
    const bob = await users.create("B0b-password", "", "bob Passphrase 2");
    assert.equal(alice.isLoggedIn, false); // creating bob logged alice out
    assert.equal((await keys.get(alice.userId)).publicKey, alicePublicKey);

    // A failed login leaves nobody logged in (not even the previous user).
    await assert.rejects(login(alice.userId, { password: "Wr0ng-password" }), IntegrityError);
    assert.equal(currentUser(), undefined);
    assert.equal(bob.isLoggedIn, false);
    await assert.rejects(keys.get(bob.userId), /No user is logged in/);

    const again = await login(alice.userId, { password: "Tr0ub4dor&3" });
    assert.equal(currentUser(), again);
    await users.changeCredentials("N3w-password!", "new Passphrase 3", "new reminder");
    assert.equal(await users.getBackupReminder(alice.userId), "new reminder");
    await users.delete();
    assert.equal(currentUser(), undefined);
    await assert.rejects(users.delete(), /No user is logged in/);
  } finally {
    logout();
    await server.close();
    await Deno.remove(rootDir, { recursive: true });
  }
});
