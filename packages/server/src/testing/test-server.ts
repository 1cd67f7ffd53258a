/**
 * Test support (not built): a server on a free port with its own data
 * directory, a copy of the shipped mappings (or given ones), a GWEN emulator
 * it delivers to, and the log lines it wrote.
 */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { pino } from "pino";
import { afterEach } from "vitest";
import type { ServerOptions } from "../config/server-options.js";
import { REDACTED_PATHS } from "../logging/create-logger.js";
import { type RunningServer, startServer } from "../server/start-server.js";

export const WRITE_KEY = "test-write-key";
export const ADMIN_TOKEN = "test-admin-token";
export const USER_ID = "3f1c2a4e-8d6b-4c1e-9a7f-2b5d8e0c6a13";
export const SHIPPED_MAPPINGS = fileURLToPath(new URL("../../../../mappings", import.meta.url));

export interface TestServer {
  readonly server: RunningServer;
  readonly emulator: Emulator;
  readonly dataDir: string;
  readonly mappingsDir: string;
  /** Every log line so far, parsed. */
  logs(): Record<string, unknown>[];
  /** Every log line as written. */
  readonly logText: () => string;
  post(path: string, body: unknown, options?: PostOptions): Promise<Answer>;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  /** Writes a mapping file into the server's mappings directory. */
  writeMapping(name: string, text: string): Promise<void>;
  /** Stops the server and starts a new one on the same data directory and mappings. */
  restart(overrides?: Partial<ServerOptions>): Promise<void>;
  close(): Promise<void>;
}

export interface PostOptions {
  /** The Basic user; `null` sends no Authorization header. Default `WRITE_KEY`. */
  readonly writeKey?: string | null;
  readonly headers?: Record<string, string>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

export interface TestServerOptions extends Partial<ServerOptions> {
  /** Mapping files (name -> text) instead of the shipped mappings. */
  readonly mappings?: Readonly<Record<string, string>>;
  readonly emulatorOptions?: EmulatorOptions;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { mappings, emulatorOptions, ...serverOptions } = options;
  const dataDir = await mkdtemp(join(tmpdir(), "gwenmap-server-data-"));
  const mappingsDir = await mkdtemp(join(tmpdir(), "gwenmap-server-mappings-"));
  if (mappings) {
    for (const [name, text] of Object.entries(mappings)) {
      await writeFile(join(mappingsDir, `${name}.jsonata`), text);
    }
  } else {
    await cp(SHIPPED_MAPPINGS, mappingsDir, { recursive: true });
  }
  const emulator = await startEmulator(emulatorOptions);
  const lines: string[] = [];
  const logger = pino(
    { level: "debug", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } },
    { write: (line: string) => lines.push(line) },
  );
  const start = (overrides: Partial<ServerOptions> = {}) =>
    startServer(
      {
        port: 0,
        host: "127.0.0.1",
        dataDir,
        mappingsDir,
        gwenApiKey: DEFAULT_EMULATOR_API_KEY,
        gwenEndpoint: emulator.url,
        writeKeys: [WRITE_KEY],
        adminToken: ADMIN_TOKEN,
        watch: false,
        retryBaseDelayMs: 10,
        retryMaxDelayMs: 50,
        authProbeMs: 50,
        logger,
        ...serverOptions,
        ...overrides,
      },
      {},
    );
  let server: RunningServer;
  try {
    server = await start();
  } catch (error) {
    await emulator.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(mappingsDir, { recursive: true, force: true });
    throw error;
  }
  const request = async (path: string, init: RequestInit): Promise<Answer> => {
    const response = await fetch(`${server.url}${path}`, init);
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {}
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    get server() {
      return server;
    },
    emulator,
    dataDir,
    mappingsDir,
    logs: () => lines.map(parseLine),
    logText: () => lines.join(""),
    post(path, body, postOptions = {}) {
      const writeKey = postOptions.writeKey === undefined ? WRITE_KEY : postOptions.writeKey;
      return request(path, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(writeKey === null ? {} : { authorization: basic(writeKey) }),
          ...postOptions.headers,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    get(path, headers = {}) {
      return request(path, { headers });
    },
    writeMapping: (name, text) => writeFile(join(mappingsDir, `${name}.jsonata`), text),
    async restart(overrides) {
      await server.close();
      server = await start(overrides);
    },
    async close() {
      await server.close();
      await emulator.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(mappingsDir, { recursive: true, force: true });
    },
  };
}

/**
 * `startTestServer` for a test file: every server a test starts is closed
 * after it, passed or failed. Call once, at the top of the file.
 */
export function serversClosedAfterEach(): (options?: TestServerOptions) => Promise<TestServer> {
  const open: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  return async (options) => {
    const server = await startTestServer(options);
    open.push(server);
    return server;
  };
}

export function basic(user: string): string {
  return `Basic ${Buffer.from(`${user}:`).toString("base64")}`;
}

/** The user ids the emulator (GWEN) accepted deliveries for, in the order it received them. */
export function deliveredUserIds(t: TestServer): string[] {
  return t.emulator.requests().map((request) => String(request.variables.userId));
}

/**
 * Waits for the API key check the server makes at start, so that faults set
 * on the emulator after it meet deliveries only.
 */
export function apiKeyChecked(t: TestServer): Promise<true> {
  return eventually(
    () => (t.emulator.stats().validateApiKey === 1 ? true : undefined),
    "the API key check",
  );
}

/** Polls `check` until it returns a value other than undefined (or fails after `timeoutMs`). */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function parseLine(line: string): Record<string, unknown> {
  return JSON.parse(line) as Record<string, unknown>;
}
