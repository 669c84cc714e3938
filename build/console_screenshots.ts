/**
 * `deno task screenshots`: the web console's screenshots in docs/images/ (PNG), taken in
 * headless Chromium against a throwaway server with made-up demo data: the login page, the
 * records tab with a record open, the sharing tab, and the containers tab with a container open
 * and its live events.
 *
 * Usage: `deno run -A build/console_screenshots.ts [outDir]` (default `docs/images`).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "../mod.ts";
import { containersSession } from "../console/app/session.ts";
import { registerTestClient, startHttpServer } from "../tests/_sdk_helpers.ts";
import { withBrowser } from "../tests/_browser.ts";
import { ConsolePage } from "../tests/_console_page.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Writes the demo data: records of the console's user, a share from a colleague. */
async function demoData(url: string): Promise<{ user: Client; colleague: Client }> {
  const user = await registerTestClient(url, "console-user");
  const colleague = await registerTestClient(url, "colleague");
  await user.write("contact", { name: "Ada Lovelace", phone: "+44 20 7946 0001" }, {
    team: "engines",
  });
  await user.write("contact", { name: "Charles Babbage", phone: "+44 20 7946 0002" }, {
    team: "engines",
  });
  await user.write("api-key", { service: "billing", key: "sk_demo_0000" }, { env: "staging" });
  await colleague.write("meeting", { notes: "Budget review, Q3" }, { room: "4.12" });
  await colleague.share("meeting", user.clientId);
  await user.share("contact", colleague.clientId);
  return { user, colleague };
}

async function shoot(page: ConsolePage, outDir: string, name: string): Promise<void> {
  const path = join(outDir, `${name}.png`);
  await page.page.screenshot({ path: path as `${string}.png`, fullPage: true });
  console.log(path);
}

const outDir = Deno.args[0] ?? join(ROOT, "docs/images");
await Deno.mkdir(outDir, { recursive: true });
const server = await startHttpServer();
try {
  const { user, colleague } = await demoData(server.url);
  await withBrowser(async (browser) => {
    const page = await ConsolePage.open(browser, server.url);
    try {
      await page.page.setViewport({ width: 1100, height: 720 });
      await shoot(page, outDir, "console-login");
      await page.loginWithFile(user.config.toJSON());
      const first = await page.attributes("#record-list tbody tr", "data-record-id");
      await page.act(`#record-list tr[data-record-id="${first[0]}"] button`);
      await shoot(page, outDir, "console-records");
      await page.tab("sharing");
      await shoot(page, outDir, "console-sharing");
      await page.tab("containers");
      await page.act("#events-follow");
      const made = await containersSession(colleague, server.url).containers.create(
        "Minutes: ...",
        {
          type: "minutes",
          header: { title: "Board meeting" },
          access: {
            [colleague.clientId]: { permissions: 127 }, // everything
            [user.clientId]: { permissions: 75 }, // download, decrypt, view access and type
          },
        },
      );
      await page.page.waitForSelector("#event-list li");
      await page.act("#containers-refresh");
      await page.act(`#container-list tr[data-container-id="${made.id}"] button`);
      await shoot(page, outDir, "console-containers");
    } finally {
      await page.close();
    }
  });
} finally {
  await server.close();
}
