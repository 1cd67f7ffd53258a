import type { Browser, BrowserContext, Page } from "playwright-core";
import { PAGE_API_GLOBAL, type PageApi } from "./page-api.js";

/** One request the page made, as Chromium sent it. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | null;
}

/** The test page open in its own browser context (own storage: no events left over from another test). */
export interface TestPage {
  readonly page: Page;
  /** Every request the page made, in order (preflights are not pages' requests and are not here). */
  readonly requests: SentRequest[];
  /** Every message the page wrote to the console as an error (CORS refusals show here). */
  readonly consoleErrors: string[];
  /**
   * Every answer Chromium received for the page, from its DevTools protocol:
   * with CORS preflights, and requests sent as the page goes, which Playwright does not report.
   */
  readonly answers: Answer[];
  /** Calls the page's `gwenmapPage.<name>(...args)` and resolves with its result. */
  call<N extends keyof PageApi>(
    name: N,
    ...args: Parameters<PageApi[N]>
  ): Promise<Awaited<ReturnType<PageApi[N]>>>;
  close(): Promise<void>;
}

/** One answer Chromium received, with the DevTools protocol's resource type (`Preflight`, `Fetch`, `Ping`...). */
export interface Answer {
  readonly type: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
}

type AnyApi = Record<string, (...args: unknown[]) => unknown>;

export async function openTestPage(browser: Browser, url: string): Promise<TestPage> {
  const context: BrowserContext = await browser.newContext();
  const page = await context.newPage();
  const requests: SentRequest[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (request) => {
    requests.push({
      method: request.method(),
      url: request.url(),
      headers: request.headers(),
      body: request.postData(),
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  // Preflights are the browser's, not the page's: only the DevTools protocol shows them.
  const answers: Answer[] = [];
  const methods = new Map<string, string>();
  const devtools = await context.newCDPSession(page);
  devtools.on("Network.requestWillBeSent", ({ requestId, request }) => {
    methods.set(requestId, request.method);
  });
  devtools.on("Network.responseReceived", ({ requestId, type, response }) => {
    const method = methods.get(requestId) ?? "?";
    answers.push({ type, method, url: response.url, status: response.status });
  });
  await devtools.send("Network.enable");
  await page.goto(url);
  return {
    page,
    requests,
    consoleErrors,
    answers,
    call: (name, ...args) =>
      page.evaluate(
        ({ global, name, args }) => {
          const api = (globalThis as unknown as Record<string, AnyApi>)[global]!;
          return api[name]!(...args);
        },
        { global: PAGE_API_GLOBAL, name, args: args as unknown[] },
      ) as never,
    close: () => context.close(),
  };
}
