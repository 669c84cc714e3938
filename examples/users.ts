/**
 * Users with key files: create a user, log in with the password (local key file) and, on a
 * "second device", with the passphrase alone; change credentials; share a record with a plain
 * client; delete the user. Both API shapes: an explicit app and session, and the module-level
 * functions acting on a default app.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/users.ts
 *
 * `ARCA_KEY_FILE_KDF` (JSON, e.g. {"opslimit":1,"memlimit":8192,"iterations":1000}) lowers the
 * key-file KDF cost for quick runs; without it the defaults apply (Argon2id 3 passes and 256 MiB,
 * or PBKDF2-SHA384 600,000 iterations).
 */
import {
  Arca,
  Client,
  ForbiddenError,
  initialize,
  IntegrityError,
  type KeyFileKdf,
  login,
  logout,
  users,
  ValidationError,
} from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

const token = registrationToken();
const kdfText = Deno.env.get("ARCA_KEY_FILE_KDF");
const keyFileKdf: KeyFileKdf | undefined = kdfText ? JSON.parse(kdfText) : undefined;
const rootDir = await Deno.makeTempDir({ prefix: "arca-example-users-" });
const otherDevice = await Deno.makeTempDir({ prefix: "arca-example-device-" });

// 1. An explicit app and session (programs serving several users at once).
const app = await Arca.initialize(token, { serverUrl: apiUrl, rootDir, keyFileKdf });
try {
  await app.users.create("weak", "", "correct Horse battery 9");
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`refused before sending: ${error.message}`);
}
const alice = await app.users.create("Tr0ub4dor&3", "our first horse", "correct Horse battery 9");
console.log(`created user ${alice.userId}`);

const again = await app.login(alice.userId, { password: "Tr0ub4dor&3" });
const record = await again.client.write("diary", { entry: "dear diary" });
console.log(`logged in with the password; wrote record ${record.meta.recordId}`);

try {
  await app.login(alice.userId, { password: "not-the-Passw0rd" });
} catch (error) {
  if (!(error instanceof IntegrityError)) throw error;
  console.log("wrong password: IntegrityError");
}

// A second device has no local key file: the passphrase fetches it and recovers the password.
const device = await Arca.initialize("", { serverUrl: apiUrl, rootDir: otherDevice, keyFileKdf });
console.log(`reminder: ${await device.users.getBackupReminder(alice.userId)}`);
try {
  await device.login(alice.userId, { passphrase: "a wrong Passphrase 1" });
} catch (error) {
  if (!(error instanceof ForbiddenError)) throw error;
  console.log(`wrong passphrase: ${error.message}`);
}
const onDevice = await device.login(alice.userId, { passphrase: "correct Horse battery 9" });
console.log(
  `logged in on the other device: ${(await onDevice.client.read(record.meta.recordId)).data.entry}`,
);

// Users and plain clients share records alike.
const { config } = await Client.register(token, "plain-client", await Client.generateKeypair(), {
  apiUrl,
  signingKeys: await Client.generateSigningKeypair(),
});
const plain = new Client(config);
await again.client.share("diary", plain.clientId);
console.log(`shared with a plain client: ${(await plain.read(record.meta.recordId)).data.entry}`);

const before = again.checksum;
await again.changeCredentials("N3w-password!", "new Passphrase 22", "a new reminder");
console.log(`changed credentials: checksum changed ${before !== again.checksum}`);
const publicKeys = await again.keys.get(plain.clientId);
console.log(`plain client's public key type: ${publicKeys.publicKeyType}`);

// 2. The module-level shape (scripts): a default app and its current user.
await initialize(token, { serverUrl: apiUrl, rootDir, keyFileKdf });
await login(alice.userId, { password: "N3w-password!" });
console.log(`module-level reminder: ${await users.getBackupReminder()}`);
await users.delete();
logout();
console.log("deleted the user");

await Deno.remove(rootDir, { recursive: true });
await Deno.remove(otherDevice, { recursive: true });
