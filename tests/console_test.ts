/**
 * The web console in a real browser (headless Chromium, tests/_browser.ts) against a real Arca
 * server, in both suites: log in with a credential file and with an identity; records written in
 * the page are read by the Deno SDK and the other way round; a revoked share disappears from the
 * page; notes both ways; a container and its live events. Every request the pages send is
 * captured and scanned: no plaintext canary and no private key (nor the identity's password)
 * ever leaves a page — with a control request that proves the scan finds one. The console runs
 * under its Content Security Policy without a single violation.
 */
import assert from "node:assert/strict";
import {
  type Client,
  createRealm,
  DEFAULT_APP_NAME,
  encodeBase64Url,
  identityLogin,
  NotFoundError,
  registerIdentity,
  type SuiteName,
} from "../mod.ts";
import { CONSOLE_CSP } from "../lib/server/routes/console.ts";
import { containersSession } from "../console/app/session.ts";
import { type Browser, browserIgnored, withBrowser } from "./_browser.ts";
import { ConsolePage, type SentRequest } from "./_console_page.ts";
import {
  type HttpTestServer,
  registerTestClient,
  startHttpServer,
  TEST_ADMIN_TOKEN,
} from "./_sdk_helpers.ts";

const SUITES: SuiteName[] = ["Sodium", "NIST"];

/** The page's `document` as the function run in the page uses it (no DOM library in tests). */
declare const document: { querySelectorAll(selector: string): Iterable<{ textContent: string }> };

/** A string that must never appear in a request a page sends. */
function canary(what: string): string {
  return `canary-${what}-${crypto.randomUUID()}`;
}

/** The forms a secret could take in a request: as is, URL-encoded, base64 and base64url. */
function encodings(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const base64 = btoa(String.fromCharCode(...bytes));
  return [secret, encodeURIComponent(secret), base64, encodeBase64Url(bytes)];
}

/** Which secrets (by name) appear in which requests. */
function leaks(requests: SentRequest[], secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const request of requests) {
    const text = `${request.method} ${request.url}\n${
      JSON.stringify(request.headers)
    }\n${request.body}`;
    for (const [name, secret] of Object.entries(secrets)) {
      if (encodings(secret).some((form) => text.includes(form))) {
        found.push(`${name} in ${request.method} ${request.url}`);
      }
    }
  }
  return found;
}

/**
 * Checks a page ran under the console's CSP with no violation and no uncaught error, and kept
 * nothing in browser storage (keys and plaintext live in the page's memory only).
 */
async function assertCleanPage(page: ConsolePage): Promise<void> {
  assert.equal(page.response.headers()["content-security-policy"], CONSOLE_CSP);
  assert.deepEqual(await page.cspViolations(), [], "no CSP violation");
  assert.deepEqual(page.pageErrors, [], "no uncaught error in the page");
  assert.deepEqual(
    await page.storedData(),
    { local: 0, session: 0, databases: [] },
    "nothing kept",
  );
}

/** The id at the end of a status like "Wrote record <id>." */
function idIn(status: string): string {
  const id = status.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)?.[0];
  assert.ok(id !== undefined, `no id in "${status}"`);
  return id;
}

async function searchType(page: ConsolePage, type: string): Promise<string[]> {
  await page.fill("record-search", { type, plainName: "", plainValue: "" });
  await page.act("#record-search button[type=submit]");
  return await page.attributes("#record-list tbody tr", "data-record-id");
}

async function openRecord(page: ConsolePage, recordId: string): Promise<string> {
  await page.act(`#record-list tr[data-record-id="${recordId}"] button`);
  return await page.page.$eval(
    "#record-editor [name=data]",
    (e) => (e as unknown as { value: string }).value,
  );
}

/** Records both ways, search by plain metadata, update and delete, with a credential file. */
async function recordsWithCredentialFile(
  browser: Browser,
  server: HttpTestServer,
  suite: SuiteName,
): Promise<{ page: ConsolePage; client: Client; secrets: Record<string, string> }> {
  const client = await registerTestClient(server.url, `console-${suite}`, suite);
  const secrets: Record<string, string> = {
    privateKey: client.config.privateKey,
    privateSigningKey: client.config.privateSigningKey!,
    fromDeno: canary("from-deno"),
    fromPage: canary("from-page"),
    updated: canary("updated"),
  };
  const page = await ConsolePage.open(browser, server.url);
  const { private_key: _, ...broken } = client.config.toJSON();
  await assert.rejects(
    page.loginWithFile(broken),
    /shows an error: Invalid input: Config "private_key" is missing/,
  );
  const status = await page.loginWithFile(client.config.toJSON());
  assert.match(status, new RegExp(`Logged in as client ${client.clientId} \\(${suite}\\)`));

  // Deno writes, the page reads.
  const written = await client.write("deno-note", { text: secrets.fromDeno! }, { from: "deno" });
  assert.deepEqual(await searchType(page, "deno-note"), [written.meta.recordId]);
  assert.equal(await openRecord(page, written.meta.recordId), `text=${secrets.fromDeno}`);

  // The page writes, Deno reads.
  await page.act("#record-clear");
  await page.fill("record-editor", {
    type: "page-note",
    data: `text=${secrets.fromPage}\nkind=test`,
    plain: "from=page",
  });
  const recordId = idIn(await page.act("#record-editor button[name=write]"));
  const read = await client.read(recordId);
  assert.deepEqual(read.data, { text: secrets.fromPage, kind: "test" });
  assert.deepEqual(read.meta.plain, { from: "page" });

  // Search by clear metadata finds only the matching record.
  await page.fill("record-search", { type: "", plainName: "from", plainValue: "deno" });
  await page.act("#record-search button[type=submit]");
  assert.deepEqual(await page.attributes("#record-list tbody tr", "data-record-id"), [
    written.meta.recordId,
  ]);

  // Update and delete in the page.
  assert.deepEqual(await searchType(page, "page-note"), [recordId]);
  await openRecord(page, recordId);
  await page.fill("record-editor", { data: `text=${secrets.updated}` });
  await page.act("#record-update");
  assert.deepEqual((await client.read(recordId)).data, { text: secrets.updated });
  await page.act("#record-delete");
  await assert.rejects(client.read(recordId), NotFoundError);
  return { page, client, secrets };
}

/** What the steps after the credential file login share. */
interface Scene {
  /** The console, logged in as `client`. */
  page: ConsolePage;
  /** The page's client, in Deno. */
  client: Client;
  /** Another client, in Deno: a writer who shares, a note's recipient, a container's owner. */
  other: Client;
  /** The server's URL. */
  url: string;
  /** What must never leave the page, by name (steps add their canaries). */
  secrets: Record<string, string>;
}

/** A share the page reads, then revoked by its writer: it disappears from the page. */
async function revokedShare({ page, client, other: writer, secrets }: Scene): Promise<void> {
  secrets.shared = canary("shared");
  const record = await writer.write("shared-doc", { text: secrets.shared }, {});
  await writer.share("shared-doc", client.clientId);
  assert.deepEqual(await searchType(page, "shared-doc"), [record.meta.recordId]);
  assert.equal(await openRecord(page, record.meta.recordId), `text=${secrets.shared}`);
  await page.tab("sharing");
  assert.deepEqual(await page.attributes("#incoming-list tbody tr", "data-writer-id"), [
    writer.clientId,
  ]);

  await writer.revoke("shared-doc", client.clientId);
  await page.tab("records");
  assert.deepEqual(await searchType(page, "shared-doc"), [], "the revoked record is gone");
  await page.tab("sharing");
  assert.deepEqual(await page.attributes("#incoming-list tbody tr", "data-writer-id"), []);

  // The page shares its own type with the writer, then revokes it.
  await page.fill("share-form", { readerId: writer.clientId, type: "page-note" });
  await page.act("#share-form button[type=submit]");
  assert.deepEqual((await writer.incomingSharing()).map((s) => s.writerId), [client.clientId]);
  await page.act(`#outgoing-list tr[data-reader-id="${writer.clientId}"] button`);
  assert.deepEqual(await writer.incomingSharing(), []);
}

/** Notes both ways: the page writes to a Deno client, and reads one by name. */
async function notesBothWays({ page, client, other, secrets }: Scene): Promise<void> {
  secrets.notePage = canary("note-page");
  secrets.noteDeno = canary("note-deno");
  await page.tab("notes");
  await page.fill("note-write", {
    recipient: other.clientId,
    name: "",
    data: `text=${secrets.notePage}`,
  });
  const noteId = idIn(await page.act("#note-write button[type=submit]"));
  assert.deepEqual((await other.readNote(noteId)).data, { text: secrets.notePage });

  const name = `console-note-${crypto.randomUUID()}`;
  await other.writeNote(
    { text: secrets.noteDeno },
    client.config.publicKey,
    client.config.publicSigningKey!,
    { idString: name },
  );
  await page.fill("note-read", { note: name });
  await page.act("#note-read button[type=submit]");
  assert.match(await page.text("#note-view"), new RegExp(`text=${secrets.noteDeno}`));
}

/** A container made in Deno for the page's user: its live event, its listing, its access. */
async function containerAndEvents(scene: Scene): Promise<void> {
  const { page, client, other: owner, url, secrets } = scene;
  secrets.container = canary("container");
  await page.tab("containers");
  assert.equal(await page.act("#events-follow"), "Following live events.");
  const made = await containersSession(owner, url).containers.create(secrets.container, {
    type: "console-doc",
    header: { title: "for the console" },
    access: {
      [owner.clientId]: { permissions: 127 },
      [client.clientId]: { permissions: 75, expiration: new Date("2100-01-01T00:00:00Z") },
    },
  });
  await page.page.waitForFunction(
    (id) =>
      [...document.querySelectorAll("#event-list li")].some((li) => li.textContent.includes(id)),
    { timeout: 15_000 },
    made.id,
  );
  await page.act("#containers-refresh");
  assert.ok(
    (await page.attributes("#container-list tbody tr", "data-container-id")).includes(made.id),
  );
  await page.act(`#container-list tr[data-container-id="${made.id}"] button`);
  assert.match(await page.text("#container-details"), new RegExp(secrets.container));
  const details = await page.text("#container-details");
  assert.match(details, /console-doc/, `the type is visible: ${details}`);
  const rows = await page.page.$$eval(
    "#access-list tbody tr",
    (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")),
  );
  const byUser = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
  assert.deepEqual(
    rows.toSorted(byUser),
    [
      [
        owner.clientId,
        "container.download, container.decrypt, container.upload, access.view, " +
        "access.modify, container.type.modify, container.type.view",
        "127",
        "never",
      ],
      [
        client.clientId,
        "container.download, container.decrypt, access.view, container.type.view",
        "75",
        "2100-01-01 00:00:00",
      ],
    ].toSorted(byUser),
  );
  await page.act("#events-stop");
}

/** Identity login in the page: records both ways with the Deno SDK's identity login. */
async function identityBothWays(
  browser: Browser,
  server: HttpTestServer,
  suite: SuiteName,
): Promise<{ page: ConsolePage; secrets: Record<string, string> }> {
  const realm = `Console${suite}${crypto.randomUUID().slice(0, 8)}`;
  const password = `pw-${crypto.randomUUID()}`;
  const admin = { apiUrl: server.url, adminToken: TEST_ADMIN_TOKEN };
  await createRealm(realm, admin);
  await registerIdentity({ ...admin, realmName: realm, username: "alice", password, suite });
  const identity = await identityLogin("alice", password, realm, DEFAULT_APP_NAME, {
    apiUrl: server.url,
    suite,
  });
  const secrets: Record<string, string> = {
    password,
    privateKey: identity.client.config.privateKey,
    privateSigningKey: identity.client.config.privateSigningKey!,
    fromPage: canary("identity-page"),
    fromDeno: canary("identity-deno"),
  };
  const page = await ConsolePage.open(browser, server.url);
  await assert.rejects(
    page.loginWithIdentity(realm, "alice", `${password}-wrong`, suite),
    /shows an error: Not authorized \(wrong credentials or expired session\): Invalid username or password/,
  );
  const status = await page.loginWithIdentity(realm, "alice", password, suite);
  assert.match(status, new RegExp(`Logged in as alice @ ${realm}`));

  await page.fill("record-editor", { type: "diary", data: `text=${secrets.fromPage}`, plain: "" });
  const recordId = idIn(await page.act("#record-editor button[name=write]"));
  assert.deepEqual((await identity.client.read(recordId)).data, { text: secrets.fromPage });

  const written = await identity.client.write("diary", { text: secrets.fromDeno! }, {});
  assert.deepEqual(
    (await searchType(page, "diary")).toSorted(),
    [recordId, written.meta.recordId].toSorted(),
  );
  assert.equal(await openRecord(page, written.meta.recordId), `text=${secrets.fromDeno}`);
  return { page, secrets };
}

/** Scans the pages' requests for the secrets, after proving the scan finds a planted one. */
async function assertNothingLeaked(pages: ConsolePage[], secrets: Record<string, string>) {
  const control = canary("control");
  await pages[0]!.page.evaluate(async (probe) => {
    await fetch(`/healthz?probe=${encodeURIComponent(probe)}`, { method: "GET" });
    await fetch("/healthz", { method: "POST", body: JSON.stringify({ probe }) });
  }, control);
  const requests = (await Promise.all(pages.map((page) => page.sentRequests()))).flat();
  assert.ok(requests.length > 20, `only ${requests.length} requests captured`);
  assert.ok(requests.some((r) => r.body.length > 0 && r.url.includes("/v1/storage/records")));
  const found = leaks(requests, { control });
  assert.equal(found.length, 2, `the control canary must be found twice: ${found}`);
  assert.deepEqual(leaks(requests, secrets), [], "no plaintext or private key left the page");
}

for (const suite of SUITES) {
  Deno.test({
    name: `console (${suite}): in Chromium, records, sharing, notes, containers, identity; no leak`,
    ignore: browserIgnored,
    fn: async (t) => {
      const server = await startHttpServer();
      try {
        await withBrowser(async (browser) => {
          const pages: ConsolePage[] = [];
          const secrets: Record<string, string> = {};
          try {
            const writer = await registerTestClient(server.url, `writer-${suite}`, suite);
            let first: Awaited<ReturnType<typeof recordsWithCredentialFile>> | undefined;
            await t.step("credential file: records both ways, search, update, delete", async () => {
              first = await recordsWithCredentialFile(browser, server, suite);
              pages.push(first.page);
              Object.assign(secrets, first.secrets);
            });
            const scene = { ...first!, other: writer, url: server.url, secrets };
            await t.step("a share revoked by its writer disappears from the page", async () => {
              await revokedShare(scene);
            });
            await t.step("notes both ways", async () => {
              await notesBothWays(scene);
            });
            await t.step("a container and its live events", async () => {
              await containerAndEvents(scene);
            });
            await t.step("identity login: records both ways", async () => {
              const identity = await identityBothWays(browser, server, suite);
              pages.push(identity.page);
              for (const [name, value] of Object.entries(identity.secrets)) {
                secrets[`identity ${name}`] = value;
              }
            });
            await t.step("under the CSP, no violation; nothing secret in any request", async () => {
              for (const page of pages) await assertCleanPage(page);
              await assertNothingLeaked(pages, secrets);
            });
          } finally {
            for (const page of pages) await page.close();
          }
        });
      } finally {
        await server.close();
      }
    },
  });
}
