import { describe, expect, it } from "vitest";
import { parseDuration } from "./parse-duration.js";
import { resolveConfig } from "./resolve-config.js";
import { DEFAULTS, DEV_WRITE_KEY } from "./server-options.js";

describe("resolveConfig", () => {
  it("runs on defaults with the emulator and the dev write key when nothing is set", () => {
    const config = resolveConfig({}, {});
    expect(config).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      dataDir: "./.gwenmap",
      mappingsDir: "./mappings",
      gwen: { kind: "emulator" },
      writeKeys: [DEV_WRITE_KEY],
      devWriteKey: true,
      concurrency: { mode: "adaptive", maxConcurrency: DEFAULTS.maxConcurrency },
      batchSize: 1,
      retryWindowMs: 4 * 3_600_000,
      dedupeWindowMs: 24 * 3_600_000,
      maxQueueDepth: 1_000_000,
      watch: true,
    });
    expect(config.adminToken).toBeUndefined();
    expect(config.rateLimit).toBeUndefined();
  });

  it("reads every variable from the environment", () => {
    const config = resolveConfig(
      {},
      {
        PORT: "8080",
        HOST: "127.0.0.1",
        GWENMAP_WRITE_KEYS: " one, two ,,",
        GWENMAP_DATA_DIR: "/var/lib/gwenmap",
        GWENMAP_MAPPINGS: "/etc/gwenmap/mappings",
        GWEN_API_KEY: "key",
        GWEN_ENDPOINT: "http://127.0.0.1:4000/graphql",
        GWENMAP_ADMIN_TOKEN: "admin",
        GWENMAP_WEBHOOK_SECRET: "shared",
        GWENMAP_CORS_ORIGINS: "https://shop.example.com",
        GWENMAP_TRUST_PROXY: "10.0.0.0/8",
        GWENMAP_CONCURRENCY: "32",
        GWENMAP_BATCH_SIZE: "20",
        GWENMAP_RATE_LIMIT: "250",
        GWENMAP_RETRY_WINDOW: "30m",
        GWENMAP_RETRY_BASE_DELAY: "250ms",
        GWENMAP_RETRY_MAX_DELAY: "2m",
        GWENMAP_DEDUPE_WINDOW: "1d",
        GWENMAP_MAX_QUEUE_DEPTH: "5000",
        GWENMAP_MAX_STORE_MB: "512",
        GWENMAP_RETRY_AFTER: "30",
        GWENMAP_SHUTDOWN_GRACE: "20",
        GWENMAP_WATCH: "0",
        GWENMAP_LOG_LEVEL: "debug",
        GWENMAP_LOG_FORMAT: "JSON",
      },
    );
    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      writeKeys: ["one", "two"],
      devWriteKey: false,
      dataDir: "/var/lib/gwenmap",
      mappingsDir: "/etc/gwenmap/mappings",
      gwen: { kind: "remote", apiKey: "key", endpoint: "http://127.0.0.1:4000/graphql" },
      adminToken: "admin",
      webhookSecret: "shared",
      corsOrigins: ["https://shop.example.com"],
      trustProxy: ["10.0.0.0/8"],
      concurrency: { mode: "fixed", concurrency: 32 },
      batchSize: 20,
      rateLimit: 250,
      retryWindowMs: 1_800_000,
      retryBaseDelayMs: 250,
      retryMaxDelayMs: 120_000,
      dedupeWindowMs: 86_400_000,
      maxQueueDepth: 5000,
      maxStoreBytes: 512 * 1_048_576,
      retryAfterSeconds: 30,
      shutdownGraceMs: 20_000,
      watch: false,
      logLevel: "debug",
      logFormat: "json",
      leaseMs: DEFAULTS.leaseMs,
    });
  });

  it("lets options win over the environment", () => {
    const config = resolveConfig(
      { port: 0, writeKeys: ["flag"], dataDir: "dir", emulator: true },
      { PORT: "8080", GWENMAP_WRITE_KEYS: "env", GWEN_API_KEY: "key" },
    );
    expect(config).toMatchObject({ port: 0, writeKeys: ["flag"], dataDir: "dir" });
    expect(config.gwen).toEqual({ kind: "emulator" });
  });

  it("refuses to deliver to GWEN without a write key", () => {
    expect(() => resolveConfig({}, { GWEN_API_KEY: "key" })).toThrow(
      expect.objectContaining({
        code: "E_CONFIG",
        message: expect.stringMatching(/GWENMAP_WRITE_KEYS/),
      }),
    );
  });

  it("names the variable of a bad value", () => {
    expect(() => resolveConfig({}, { PORT: "eighty" })).toThrow(/PORT must be a number/);
    expect(() => resolveConfig({}, { PORT: "70000" })).toThrow(
      /PORT must be a number from 0 to 65535/,
    );
    expect(() => resolveConfig({}, { GWENMAP_CONCURRENCY: "1.5" })).toThrow(
      'GWENMAP_CONCURRENCY must be adaptive (the default) or a whole number of requests in flight of at least 1, not "1.5".',
    );
    expect(() => resolveConfig({}, { GWENMAP_RETRY_WINDOW: "soon" })).toThrow(
      /GWENMAP_RETRY_WINDOW must be a duration/,
    );
    expect(() => resolveConfig({}, { GWENMAP_LOG_FORMAT: "yaml" })).toThrow(
      /GWENMAP_LOG_FORMAT must be auto, pretty or json, not "yaml"/,
    );
    expect(() => resolveConfig({}, { GWENMAP_WATCH: "maybe" })).toThrow(
      /GWENMAP_WATCH must be 1 or 0/,
    );
    expect(() => resolveConfig({ concurrency: 0 }, {})).toThrow(/GWENMAP_CONCURRENCY/);
    expect(() => resolveConfig({}, { GWENMAP_BATCH_SIZE: "51" })).toThrow(
      /GWENMAP_BATCH_SIZE must be a number from 1 to 50/,
    );
  });

  it("allows any origin by default, and exactly the listed ones with GWENMAP_CORS_ORIGINS", () => {
    expect(resolveConfig({}, {}).corsOrigins).toBe("any");
    expect(resolveConfig({}, { GWENMAP_CORS_ORIGINS: " * " }).corsOrigins).toBe("any");
    const listed = resolveConfig(
      {},
      { GWENMAP_CORS_ORIGINS: "https://Shop.example.com:443, http://localhost:5173/,," },
    );
    // As browsers serialize Origin: lower-case host, no default port, no trailing slash.
    expect(listed.corsOrigins).toEqual(["https://shop.example.com", "http://localhost:5173"]);
    expect(resolveConfig({ corsOrigins: ["https://a.example"] }, {}).corsOrigins).toEqual([
      "https://a.example",
    ]);
    for (const bad of ["shop.example.com", "https://shop.example.com/app", "ftp://x.example"]) {
      expect(() => resolveConfig({}, { GWENMAP_CORS_ORIGINS: bad })).toThrow(
        new RegExp(`GWENMAP_CORS_ORIGINS: "${bad}" is not an origin`),
      );
    }
  });

  it("believes no X-Forwarded-For by default, and only the listed proxies' with GWENMAP_TRUST_PROXY", () => {
    expect(resolveConfig({}, {}).trustProxy).toBe(false);
    expect(resolveConfig({}, { GWENMAP_TRUST_PROXY: " false " }).trustProxy).toBe(false);
    expect(resolveConfig({}, { GWENMAP_TRUST_PROXY: "0" }).trustProxy).toBe(false);
    expect(
      resolveConfig({}, { GWENMAP_TRUST_PROXY: "10.0.0.0/8, 192.0.2.10,Loopback,2001:db8::/32,," })
        .trustProxy,
    ).toEqual(["10.0.0.0/8", "192.0.2.10", "loopback", "2001:db8::/32"]);
    expect(resolveConfig({ trustProxy: ["127.0.0.1"] }, {}).trustProxy).toEqual(["127.0.0.1"]);
    expect(
      resolveConfig({ trustProxy: false }, { GWENMAP_TRUST_PROXY: "10.0.0.1" }).trustProxy,
    ).toBe(false);
    for (const open of ["true", "1", "2"]) {
      expect(() => resolveConfig({}, { GWENMAP_TRUST_PROXY: open })).toThrow(
        new RegExp(`GWENMAP_TRUST_PROXY: "${open}" would believe X-Forwarded-For from a client`),
      );
    }
    for (const bad of [
      "10.0.0.0/33",
      "2001:db8::/129",
      "proxy.internal",
      "10.0.0/8",
      "10.0.0.1/8/1",
    ]) {
      expect(() => resolveConfig({}, { GWENMAP_TRUST_PROXY: `127.0.0.1,${bad}` })).toThrow(
        `GWENMAP_TRUST_PROXY: "${bad}" is not an IP address or CIDR range`,
      );
    }
  });
});

describe("resolveConfig: concurrency", () => {
  it("adapts up to 1,024 requests in flight by default, or up to GWENMAP_MAX_CONCURRENCY", () => {
    expect(resolveConfig({}, {}).concurrency).toEqual({ mode: "adaptive", maxConcurrency: 1024 });
    expect(
      resolveConfig({}, { GWENMAP_CONCURRENCY: "Adaptive", GWENMAP_MAX_CONCURRENCY: "64" })
        .concurrency,
    ).toEqual({ mode: "adaptive", maxConcurrency: 64 });
    expect(resolveConfig({ maxConcurrency: 1000 }, {}).concurrency).toEqual({
      mode: "adaptive",
      maxConcurrency: 1000,
    });
  });

  it("keeps a number in GWENMAP_CONCURRENCY as a fixed concurrency, as before", () => {
    expect(resolveConfig({}, { GWENMAP_CONCURRENCY: "16" }).concurrency).toEqual({
      mode: "fixed",
      concurrency: 16,
    });
    expect(resolveConfig({ concurrency: 4 }, {}).concurrency).toEqual({
      mode: "fixed",
      concurrency: 4,
    });
  });

  it("refuses a ceiling beside a fixed concurrency, and says which to unset", () => {
    expect(() =>
      resolveConfig({}, { GWENMAP_CONCURRENCY: "16", GWENMAP_MAX_CONCURRENCY: "64" }),
    ).toThrow(
      "GWENMAP_MAX_CONCURRENCY (64) is the ceiling of adaptive concurrency, but GWENMAP_CONCURRENCY=16 fixes the concurrency: unset GWENMAP_CONCURRENCY to adapt up to the ceiling, or unset GWENMAP_MAX_CONCURRENCY to keep 16 requests in flight.",
    );
    expect(() => resolveConfig({}, { GWENMAP_MAX_CONCURRENCY: "0" })).toThrow(
      /GWENMAP_MAX_CONCURRENCY must be a number of at least 1/,
    );
    expect(() => resolveConfig({}, { GWENMAP_MAX_CONCURRENCY: "20000" })).toThrow(
      "GWENMAP_MAX_CONCURRENCY must be a number from 1 to 10000, not 20000.",
    );
  });
});

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["90s", 90_000],
    ["30m", 1_800_000],
    ["4h", 14_400_000],
    ["1d", 86_400_000],
    ["1.5h", 5_400_000],
    ["15", 15_000],
  ])("reads %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("answers undefined for what is not a duration", () => {
    expect(parseDuration("4 hours")).toBeUndefined();
    expect(parseDuration("-1s")).toBeUndefined();
  });
});
