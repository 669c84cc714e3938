/**
 * Browser tests' harness: headless Chromium (Debian's `chromium`, at /usr/bin/chromium or
 * `ARCA_CHROMIUM`) driven by puppeteer-core. A test that needs the browser is written
 *
 * ```ts ignore
 * Deno.test({ name: "...", ignore: browserIgnored, fn: () => withPage(async (page) => { ... }) });
 * ```
 *
 * When Chromium is missing the test is ignored with {@linkcode browserIgnoreReason} printed, except
 * in CI (`CI` set), where it runs and fails: CI installs the browser (.ci/run).
 *
 * @module
 */
import puppeteer, { type Browser, type LaunchOptions, type Page } from "puppeteer-core";

export type { Browser, Page };

/** Where the browser is: `ARCA_CHROMIUM`, else Debian's /usr/bin/chromium. */
export const chromiumPath: string = Deno.env.get("ARCA_CHROMIUM") ?? "/usr/bin/chromium";

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Whether Chromium is installed. */
export const browserAvailable: boolean = isFile(chromiumPath);

const inCi = (Deno.env.get("CI") ?? "") !== "";

/** Why browser tests are skipped here, or `undefined` when they run. */
export const browserIgnoreReason: string | undefined = browserAvailable || inCi
  ? undefined
  : `Chromium is not installed at ${chromiumPath} (apt-get install chromium); browser tests skipped`;

/** The `ignore` of a browser test: true (and the reason printed once) when it cannot run. */
export const browserIgnored: boolean = browserIgnoreReason !== undefined;
if (browserIgnoreReason !== undefined) console.warn(browserIgnoreReason);

/** Options of {@linkcode withPage}. */
export interface PageOptions {
  /** Extra Chromium flags. */
  args?: string[];
  /** Forward the page's console and errors to stderr (default: only errors). */
  verbose?: boolean;
}

/**
 * Launches headless Chromium, opens a page, runs `fn`, and closes everything even when `fn` or
 * the launch fails. Page errors are collected: `fn` passing while the page threw fails the test.
 */
export async function withBrowser(
  fn: (browser: Browser) => Promise<void>,
  options: PageOptions = {},
): Promise<void> {
  if (!browserAvailable) {
    throw new Error(`Chromium is missing at ${chromiumPath}: install Debian's chromium package`);
  }
  const userDataDir = await Deno.makeTempDir({ prefix: "arca-chromium-" });
  const launch: LaunchOptions = {
    executablePath: chromiumPath,
    headless: true,
    userDataDir,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", ...(options.args ?? [])],
  };
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch(launch);
    await fn(browser);
  } finally {
    await browser?.close().catch(() => {});
    await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
  }
}

/**
 * {@linkcode withBrowser} with one page; errors thrown in the page (uncaught) fail the test.
 */
export async function withPage(
  fn: (page: Page) => Promise<void>,
  options: PageOptions = {},
): Promise<void> {
  await withBrowser(async (browser) => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    page.on("console", (message) => {
      if (options.verbose || message.type() === "error") {
        console.error(`[page ${message.type()}] ${message.text()}`);
      }
    });
    await fn(page);
    if (pageErrors.length > 0) throw new Error(`The page threw: ${pageErrors.join("; ")}`);
  }, options);
}

/** A file the page is given: its content type and bytes. */
export interface PageFile {
  /** The `Content-Type`. */
  type: string;
  /** The body. */
  body: string | Uint8Array;
}

/**
 * Serves `files` (path → file) to the page on `origin` by intercepting its requests (every other
 * request goes through untouched), then opens `origin` + `entry`. The page is then same-origin
 * with a server on `origin` (an Arca server, say) without that server serving the files. While
 * `offline()` answers true, every other request fails as if the network were down.
 */
export async function openPageAt(
  page: Page,
  origin: string,
  files: Record<string, PageFile>,
  entry: string,
  offline: () => boolean = () => false,
): Promise<void> {
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.isInterceptResolutionHandled()) return;
    const url = new URL(request.url());
    const file = url.origin === new URL(origin).origin ? files[url.pathname] : undefined;
    if (file === undefined && offline()) void request.abort("internetdisconnected");
    else if (file === undefined) void request.continue();
    else void request.respond({ status: 200, contentType: file.type, body: file.body });
  });
  await page.goto(new URL(entry, origin).href);
}
