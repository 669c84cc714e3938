/**
 * The web console driven in headless Chromium, for the browser tests, the screenshots and the
 * load bench: each page lives in its own browser context (no shared cache or storage), records
 * every request it sends (URL, headers and body) and every Content Security Policy violation,
 * and its actions wait until the page says they are done (or fail with the page's error).
 */
import type { Browser, Page } from "./_browser.ts";
import type { BrowserContext, HTTPResponse } from "puppeteer-core";

/**
 * The page's `document`, as far as the functions run in the page use it (tests are type-checked
 * without the DOM library).
 */
interface PageDocument {
  getElementById(id: string): { textContent: string | null; hidden: boolean } | null;
  addEventListener(
    type: "securitypolicyviolation",
    listener: (event: {
      violatedDirective: string;
      blockedURI: string;
      sourceFile: string;
      lineNumber: number;
      columnNumber: number;
    }) => void,
  ): void;
}
declare const document: PageDocument;

/** The page's storage globals, as far as {@linkcode ConsolePage.storedData} reads them. */
interface PageStorage {
  localStorage: { length: number };
  sessionStorage: { length: number };
  indexedDB: { databases(): Promise<{ name?: string }[]> };
}

/** One request the page sent. */
export interface SentRequest {
  /** Method and URL. */
  method: string;
  url: string;
  /** Request headers. */
  headers: Record<string, string>;
  /** The body as text (`""` without one). */
  body: string;
}

/** The tabs of the console's workspace. */
export type ConsoleTab = "records" | "sharing" | "notes" | "containers";

/** A console page. */
export class ConsolePage {
  /** The puppeteer page. */
  readonly page: Page;
  /** The answer to the first navigation (the HTML). */
  readonly response: HTTPResponse;
  /** Every request the page sent so far. */
  readonly requests: SentRequest[];
  /** Errors thrown in the page and not caught (a console that works has none). */
  readonly pageErrors: string[];
  readonly #context: BrowserContext;
  readonly #pending: Promise<void>[];

  private constructor(
    page: Page,
    context: BrowserContext,
    response: HTTPResponse,
    log: { requests: SentRequest[]; pending: Promise<void>[]; pageErrors: string[] },
  ) {
    this.page = page;
    this.#context = context;
    this.response = response;
    this.requests = log.requests;
    this.#pending = log.pending;
    this.pageErrors = log.pageErrors;
  }

  /** Opens `${serverUrl}/console` in a fresh browser context and waits for the login form. */
  static async open(browser: Browser, serverUrl: string): Promise<ConsolePage> {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const requests: SentRequest[] = [];
    const pending: Promise<void>[] = [];
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    page.on("request", (request) => {
      pending.push(
        (async () => {
          let body = request.postData() ?? "";
          if (body === "" && request.hasPostData()) body = (await request.fetchPostData()) ?? "";
          requests.push({
            method: request.method(),
            url: request.url(),
            headers: request.headers(),
            body,
          });
        })().catch(() => {}),
      );
    });
    await page.evaluateOnNewDocument(() => {
      const seen: string[] = [];
      (globalThis as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (event) => {
        seen.push(
          `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
        );
      });
    });
    const response = await page.goto(`${serverUrl}/console`, { waitUntil: "load" });
    if (response === null) throw new Error("No answer to /console");
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
    return new ConsolePage(page, context, response, { requests, pending, pageErrors });
  }

  /** Every request sent so far, once their bodies are read. */
  async sentRequests(): Promise<SentRequest[]> {
    await Promise.all(this.#pending);
    return [...this.requests];
  }

  /** The Content Security Policy violations the page reported. */
  async cspViolations(): Promise<string[]> {
    return await this.page.evaluate(() =>
      (globalThis as unknown as { cspViolations: string[] }).cspViolations
    );
  }

  /**
   * What the page keeps in browser storage: entries of `localStorage` and `sessionStorage`, and
   * the names of its IndexedDB databases.
   */
  async storedData(): Promise<{ local: number; session: number; databases: string[] }> {
    return await this.page.evaluate(async () => {
      const page = globalThis as unknown as PageStorage;
      const databases = await page.indexedDB.databases();
      return {
        local: page.localStorage.length,
        session: page.sessionStorage.length,
        databases: databases.map((database) => database.name ?? ""),
      };
    });
  }

  /** Sets the value of the field `name` of form `#formId`. */
  async fill(formId: string, values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      await this.page.$eval(
        `#${formId} [name="${name}"]`,
        (element, text) => {
          (element as unknown as { value: string }).value = text;
        },
        value,
      );
    }
  }

  /** Clicks `selector` and waits until the page reports the action done; answers its status. */
  async act(selector: string): Promise<string> {
    await this.page.click(selector);
    return await this.settled();
  }

  /** Waits until no action is running; throws the page's error if one is shown. */
  async settled(): Promise<string> {
    await this.page.waitForFunction(() => {
      const status = document.getElementById("status")?.textContent ?? "";
      const error = document.getElementById("error");
      return (error !== null && !error.hidden) || (status !== "" && !status.endsWith("…"));
    }, { timeout: 30_000 });
    const error = await this.page.$eval("#error", (e) => e.hidden ? "" : e.textContent ?? "");
    if (error !== "") throw new Error(`The console shows an error: ${error}`);
    return await this.page.$eval("#status", (e) => e.textContent ?? "");
  }

  /** Logs in with a credential file (written to a temporary file and chosen in the input). */
  async loginWithFile(credentials: unknown): Promise<string> {
    const path = await Deno.makeTempFile({ prefix: "arca-credentials-", suffix: ".json" });
    try {
      await Deno.writeTextFile(path, JSON.stringify(credentials));
      const input = await this.page.$("#file-login input[type=file]");
      if (input === null) throw new Error("No file input");
      await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(path);
      return await this.act("#file-login button[type=submit]");
    } finally {
      await Deno.remove(path);
    }
  }

  /** Logs in with an identity. */
  async loginWithIdentity(
    realm: string,
    username: string,
    password: string,
    suite: string,
  ): Promise<string> {
    await this.fill("identity-login", { realm, username, password, suite });
    return await this.act("#identity-login button[type=submit]");
  }

  /** Shows a tab (which refreshes it). */
  async tab(name: ConsoleTab): Promise<string> {
    return await this.act(`#tabs button[data-tab="${name}"]`);
  }

  /** The values of attribute `attribute` of the elements matching `selector`. */
  async attributes(selector: string, attribute: string): Promise<string[]> {
    return await this.page.$$eval(
      selector,
      (elements, name) => elements.map((e) => e.getAttribute(name) ?? ""),
      attribute,
    );
  }

  /** The text of the element matching `selector`. */
  async text(selector: string): Promise<string> {
    return await this.page.$eval(selector, (e) => e.textContent ?? "");
  }

  /** Closes the page and its browser context. */
  async close(): Promise<void> {
    await this.#context.close();
  }
}
