/**
 * Key file sync across two devices, both suites (docs/cache.md, "Key file sync"): after
 * `changeCredentials` on one, the other's `needsSync()` turns true until `sync(passphrase)`;
 * `getChecksum` is the local copy's SHA-256; the module-level `keyFile` does the same.
 */
import assert from "node:assert/strict";
import {
  ForbiddenError,
  initialize,
  IntegrityError,
  keyFile,
  login,
  logout,
  ValidationError,
} from "../mod.ts";
import type { SuiteName } from "../lib/crypto/suite.ts";
import { realHttpServer } from "./_real_http_server.ts";
import { newUsers, PASSPHRASE, PASSWORD, testApp } from "./_containers_helpers.ts";

const NEW_PASSWORD = "N3w-password!";
const NEW_PASSPHRASE = "new Passphrase 2";

for (const suite of ["Sodium", "NIST"] as SuiteName[]) {
  Deno.test(`cache (${suite}): needsSync and sync across two devices`, async () => {
    const server = await realHttpServer();
    try {
      const laptop = await testApp(server.url, server.registrationToken, suite);
      const phone = await testApp(server.url, server.registrationToken, suite);
      const [onLaptop] = await newUsers(laptop, 1);
      const userId = onLaptop!.userId;
      const onPhone = await phone.login(userId, { passphrase: PASSPHRASE });
      assert.equal(await onPhone.keyFile.needsSync(), false);
      assert.equal(await onPhone.keyFile.getChecksum(), await onLaptop!.keyFile.getChecksum());
      assert.equal(await onPhone.keyFile.getChecksum(), onLaptop!.checksum);

      await onLaptop!.changeCredentials(NEW_PASSWORD, NEW_PASSPHRASE);
      assert.equal(await onLaptop!.keyFile.needsSync(), false);
      assert.equal(await onPhone.keyFile.needsSync(), true);
      await assert.rejects(onPhone.keyFile.sync(PASSPHRASE), ForbiddenError);
      await assert.rejects(
        onPhone.keyFile.sync(NEW_PASSPHRASE, { password: "Wr0ng-password!" }),
        IntegrityError,
      );
      assert.equal(await onPhone.keyFile.needsSync(), true);
      await assert.rejects(
        onPhone.keyFile.sync(NEW_PASSPHRASE, { userId: crypto.randomUUID() }),
        ValidationError,
      );
      const checksum = await onPhone.keyFile.sync(NEW_PASSPHRASE, {
        userId,
        password: NEW_PASSWORD,
      });
      assert.equal(checksum, onLaptop!.checksum);
      assert.equal(onPhone.checksum, checksum);
      assert.equal(await onPhone.keyFile.needsSync(), false);
      assert.equal(await onPhone.keyFile.getChecksum(userId), checksum);
      await onPhone.logout();

      // The phone's local copy now opens with the new password only.
      await assert.rejects(phone.login(userId, { password: PASSWORD }), IntegrityError);
      const later = await phone.login(userId, { password: NEW_PASSWORD });
      assert.equal(later.checksum, checksum);
      await later.logout();

      // The module-level shape, on the laptop's folder after another change.
      await initialize("", laptop.settings);
      await login(userId, { password: NEW_PASSWORD });
      assert.equal(await keyFile.needsSync(), false);
      await onLaptop!.changeCredentials(PASSWORD, PASSPHRASE); // Pushes and rewrites the copy.
      assert.equal(await keyFile.needsSync(), false);
      const phoneCopy = await phone.login(userId, { password: NEW_PASSWORD });
      assert.equal(await phoneCopy.keyFile.needsSync(), true);
      assert.equal(await phoneCopy.keyFile.sync(PASSPHRASE), await keyFile.getChecksum());
      await phoneCopy.logout();
    } finally {
      await logout();
      await server.close();
    }
  });
}
