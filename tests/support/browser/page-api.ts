/** How the test page loads Segment's browser library. */
export interface PageSetup {
  readonly writeKey: string;
  /** The gwenmap server's host and `/v1`, without the scheme: `127.0.0.1:3000/v1`. */
  readonly apiHost: string;
  readonly protocol: "http" | "https";
  /** The library's batching mode (`deliveryStrategy: { strategy: "batching" }`) with these settings. */
  readonly batching?: { readonly size: number; readonly timeout: number };
}

/** What the library's promise for one call settled with. */
export interface CallResult {
  readonly messageId: string | undefined;
  /** Why the library gave up delivering it, if it did. */
  readonly failed?: string;
}

/** What the bundled test page exposes as `globalThis.gwenmapPage`, for the test to call. */
export interface PageApi {
  load(setup: PageSetup): void;
  /** `navigator.userAgent`, which the library sends as `context.userAgent`. */
  userAgent(): string;
  identify(userId: string, traits: Record<string, unknown>): Promise<CallResult>;
  track(event: string, properties: Record<string, unknown>): Promise<CallResult>;
  page(category: string, name: string, properties: Record<string, unknown>): Promise<CallResult>;
  /** `navigator.sendBeacon(url, body)`: whether the browser queued it. */
  beacon(url: string, body: string): boolean;
  /** Calls `navigator.sendBeacon(url, body)` when the page is hidden or left. */
  beaconOnUnload(url: string, body: string): void;
}

/** The global the page script sets. */
export const PAGE_API_GLOBAL = "gwenmapPage";
