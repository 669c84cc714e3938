/**
 * Secured containers: Alice shares a container with Bob with limited permissions (he may read
 * it, not change it), Bob's refused update, a re-key, the events Bob sees, a live subscription,
 * and Alice revoking Bob. Both API shapes: sessions of an explicit app, and the module-level
 * functions acting on a default app.
 *
 *   ARCA_API_URL=http://127.0.0.1:8000 ARCA_REGISTRATION_TOKEN=... deno run -A examples/containers.ts
 *
 * `ARCA_KEY_FILE_KDF` (JSON, e.g. {"opslimit":1,"memlimit":8192,"iterations":1000}) lowers the
 * key-file KDF cost for quick runs.
 */
import {
  Access,
  Arca,
  containers,
  ForbiddenError,
  initialize,
  type KeyFileKdf,
  login,
  logout,
  NotFoundError,
  Permissions,
} from "../mod.ts";
import { apiUrl, registrationToken } from "./_env.ts";

const token = registrationToken();
const kdfText = Deno.env.get("ARCA_KEY_FILE_KDF");
const keyFileKdf: KeyFileKdf | undefined = kdfText ? JSON.parse(kdfText) : undefined;
const rootDir = await Deno.makeTempDir({ prefix: "arca-example-containers-" });
const password = "Tr0ub4dor&3";

const app = await Arca.initialize(token, { serverUrl: apiUrl, rootDir, keyFileKdf });
const alice = await app.users.create(password, "a horse", "correct Horse battery 9");
const bob = await app.users.create(password, "a horse", "correct Horse battery 9");

// Bob may download, decrypt and see the type; not upload, nor change access.
const readOnly = Permissions.othersDefault();
readOnly.container.type.view = true;
const made = await alice.containers.create("The plan: meet at noon.", {
  header: { subject: "plan" },
  type: "memo",
  access: [
    new Access(alice.userId, { permissions: Permissions.creatorDefault() }),
    new Access(bob.userId, { permissions: readOnly }),
  ],
});
console.log(`created container ${made.id} version ${made.version}`);

const seen = await bob.containers.get(made.id);
console.log(`bob reads: ${await seen.content!.text()} (type ${seen.type})`);
console.log(`bob's permissions: ${seen.access!.find((a) => a.userId === bob.userId)!.permissions}`);

try {
  await bob.containers.update(made.id, { content: "The plan: never mind." });
} catch (error) {
  if (!(error instanceof ForbiddenError)) throw error;
  console.log(`bob's update refused: ${error.message}`);
}

// New content re-keys the container: a fresh key, a new key blob for Bob.
const updated = await alice.containers.update(made.id, { content: "The plan: meet at one." });
console.log(`alice re-keyed: version ${updated.version}`);

// A live subscription for Bob, starting after the events he has read.
await bob.containers.getEvents();
const subscription = bob.events.subscribe({ containerId: made.id });
await subscription.ready;

await alice.containers.update(made.id, { access: [alice.userId] });
for await (const event of subscription) {
  console.log(
    `bob's live event: ${event.action} by ${event.relatedUserId === alice.userId ? "alice" : "?"}`,
  );
  if (event.action === "deleted") break;
}
try {
  await bob.containers.get(made.id);
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  console.log("after the revoke bob gets: NotFoundError");
}
const bobsEvents = await bob.containers.getEvents({ startingEventId: 0, containerId: made.id });
console.log(`bob's events: ${bobsEvents.map((event) => event.action).join(", ")}`);

// The module-level shape: one default app and its logged-in user.
await initialize("", { serverUrl: apiUrl, rootDir, keyFileKdf });
await login(alice.userId, { password });
const page = await containers.list({ type: "memo" });
console.log(`module-level list: ${page.containers.length} memo`);
await containers.delete(made.id);
console.log("deleted the last access: the server removed the container");
logout();
await Deno.remove(rootDir, { recursive: true });
