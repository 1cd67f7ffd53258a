/**
 * The test page's script, bundled with the real `@segment/analytics-next` by
 * esbuild and run in Chromium: loads the library as the server's README says,
 * and lets the test drive it.
 */
import { AnalyticsBrowser, type Context } from "@segment/analytics-next";
import { type CallResult, PAGE_API_GLOBAL, type PageApi, type PageSetup } from "../page-api.js";

let analytics: AnalyticsBrowser | undefined;

function load(setup: PageSetup): void {
  const { writeKey, apiHost, protocol, batching } = setup;
  const deliveryStrategy =
    batching === undefined
      ? {}
      : { deliveryStrategy: { strategy: "batching" as const, config: batching } };
  // The README's two lines: no Segment CDN (its settings given inline), events to gwenmap.
  analytics = AnalyticsBrowser.load(
    { writeKey, cdnSettings: { integrations: { "Segment.io": { apiKey: writeKey } } } },
    { integrations: { "Segment.io": { apiHost, protocol, ...deliveryStrategy } } },
  );
}

function loaded(): AnalyticsBrowser {
  if (analytics === undefined) throw new Error("call load() first");
  return analytics;
}

function result(context: Context): CallResult {
  const failure = context.failedDelivery();
  return {
    messageId: context.event.messageId,
    ...(failure === undefined ? {} : { failed: String(failure.reason) }),
  };
}

const api: PageApi = {
  load,
  userAgent: () => navigator.userAgent,
  identify: async (userId, traits) => result(await loaded().identify(userId, traits)),
  track: async (event, properties) => result(await loaded().track(event, properties)),
  page: async (category, name, properties) =>
    result(await loaded().page(category, name, properties)),
  beacon: (url, body) => navigator.sendBeacon(url, body),
  beaconOnUnload(url, body) {
    addEventListener("pagehide", () => navigator.sendBeacon(url, body));
  },
};

Object.assign(globalThis, { [PAGE_API_GLOBAL]: api });
