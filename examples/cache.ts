/**
 * The local encrypted cache: Alice's reads come from the cache under `rootDir` (the default
 * `server_cache_ofs` provider), Bob's copy of a shared container is purged as soon as his
 * events show Alice revoked him, a second device syncs the key file after a credential change,
 * an `ofs` application works with no server at all, and `logout({ purge: true })` forgets
 * everything local.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/cache.ts
 *
 * `ARCA_KEY_FILE_KDF` (JSON, e.g. {"opslimit":1,"memlimit":8192,"iterations":1000}) lowers the
 * key-file KDF cost for quick runs.
 */
import { Arca, type KeyFileKdf, NotFoundError } from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

const token = registrationToken();
const kdfText = Deno.env.get("ARCA_KEY_FILE_KDF");
const keyFileKdf: KeyFileKdf | undefined = kdfText ? JSON.parse(kdfText) : undefined;
const laptopDir = await Deno.makeTempDir({ prefix: "arca-example-cache-" });
const phoneDir = await Deno.makeTempDir({ prefix: "arca-example-cache-phone-" });
const password = "Tr0ub4dor&3";
const passphrase = "correct Horse battery 9";

const app = await Arca.initialize(token, { serverUrl: apiUrl, rootDir: laptopDir, keyFileKdf });
const alice = await app.users.create(password, "a horse", passphrase);
const bob = await app.users.create(password, "a horse", passphrase);

const made = await alice.containers.create("The plan: meet at noon.", {
  header: { subject: "plan" },
  type: "memo",
  access: { [alice.userId]: { permissions: 127 }, [bob.userId]: {} },
});
const started = performance.now();
const cached = await alice.containers.get(made.id); // From the cache: the write filled it.
const cachedMs = performance.now() - started;
console.log(`alice reads from the cache: ${await cached.content!.text()}`);
console.log(`cached read took under 100 ms: ${cachedMs < 100}`);
const fresh = await alice.containers.get(made.id, { forceRefresh: true });
console.log(`forceRefresh reads the server: version ${fresh.version}`);

// Bob reads it (now cached for him too), then Alice takes his access away.
await bob.containers.getEvents();
await bob.containers.get(made.id);
await alice.containers.update(made.id, { access: [alice.userId] });
const news = await bob.containers.getEvents(); // Polling purges the copies they name.
console.log(`bob's events: ${news.map((event) => event.action).join(", ")}`);
try {
  await bob.containers.get(made.id);
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  console.log("bob's cached copy was purged: NotFoundError");
}

// A second device logs in with the passphrase; the laptop changes the credentials.
const phone = await Arca.initialize("", { serverUrl: apiUrl, rootDir: phoneDir, keyFileKdf });
const onPhone = await phone.login(alice.userId, { passphrase });
await alice.changeCredentials("N3w-password!", "new Passphrase 2");
console.log(`phone needs sync: ${await onPhone.keyFile.needsSync()}`);
await onPhone.keyFile.sync("new Passphrase 2");
console.log(`after sync: ${await onPhone.keyFile.needsSync()}`);
await onPhone.logout({ purge: true });

// No server at all: users and containers live only under rootDir.
const offline = await Arca.initialize("", { rootDir: laptopDir, provider: "ofs", keyFileKdf });
const carol = await offline.users.create(password, "a horse", passphrase);
const note = await carol.containers.create("kept on this device", { type: "note" });
console.log(`ofs reads: ${await (await carol.containers.get(note.id)).content!.text()}`);
const stats = await (await carol.cache.store()).stats();
console.log(`ofs cache holds ${stats.containers} container`);

for (const session of [alice, bob, carol]) await session.logout({ purge: true });
console.log("logged out and purged");
await Deno.remove(laptopDir, { recursive: true });
await Deno.remove(phoneDir, { recursive: true });
