/**
 * `deno task bench:console`: the web console's first load on loopback, in headless Chromium.
 * Each run opens `/console` in a fresh browser context (cold cache) and reads the page's own
 * `arca-console-ready` performance mark: the time from navigation start until the login forms
 * are wired (HTML, CSS, the SDK bundle with libsodium, the console script). Prints each run and
 * `summary: first_load_ms=<median of 5> (target <= 1000)`.
 */
import { startServer } from "../lib/server/start_server.ts";
import { withBrowser } from "../tests/_browser.ts";

const RUNS = 5;

async function firstLoadMs(
  browser: Parameters<Parameters<typeof withBrowser>[0]>[0],
  url: string,
): Promise<number> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}/console`, { waitUntil: "load" });
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
    return await page.evaluate(() =>
      performance.getEntriesByName("arca-console-ready")[0]?.startTime ?? NaN
    );
  } finally {
    await context.close();
  }
}

const dataDir = await Deno.makeTempDir({ prefix: "arca-console-bench-" });
const server = await startServer({ dataDir, port: 0, print: () => {} });
try {
  const times: number[] = [];
  await withBrowser(async (browser) => {
    await firstLoadMs(browser, server.url); // the server reads the console's files once
    for (let run = 0; run < RUNS; run++) {
      const ms = await firstLoadMs(browser, server.url);
      console.log(`run ${run + 1}: ${ms.toFixed(1)} ms`);
      times.push(ms);
    }
  });
  const median = times.toSorted((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  console.log(`summary: first_load_ms=${median.toFixed(1)} (target <= 1000)`);
} finally {
  await server.shutdown();
  await Deno.remove(dataDir, { recursive: true });
}
