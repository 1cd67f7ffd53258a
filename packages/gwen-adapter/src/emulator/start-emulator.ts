import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EmulatorError } from "../errors.js";
import { CONTROL_PREFIX, handleControl } from "./control-routes.js";
import { DocumentCache } from "./document-cache.js";
import { DEFAULT_EMULATOR_API_KEY, EmulatorState } from "./emulator-state.js";
import type { EmulatorFaults } from "./faults.js";
import { handleGraphQL } from "./graphql-handler.js";
import { sendJson } from "./http-io.js";
import type { RecordedRequest } from "./recorder.js";
import { gwenSchema } from "./schema.js";

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Accepted API keys (default `["gwen-emulator-key"]`). */
  apiKeys?: readonly string[];
  /** Faults from the start; change them later with `setFaults` or `POST /_emulator/faults`. */
  faults?: EmulatorFaults;
  /** Keep accepted operations for `requests()` (default true; turn off for long benchmarks). */
  record?: boolean;
  /** Keep only the latest this many operations (default: all), so a long-running emulator stays small. */
  recordLimit?: number;
  /** Called for every accepted operation, e.g. to log it. */
  onRequest?: (request: RecordedRequest) => void;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT/graphql`. */
  readonly url: string;
  readonly port: number;
  /** Accepted operations, in arrival order (one per alias of a batch). */
  requests(): RecordedRequest[];
  /** Forgets the recorded operations. */
  clear(): void;
  /** The current faults. */
  faults(): EmulatorFaults;
  /** Replaces every fault; throws `EmulatorError` (`E_INVALID_FAULTS`) when invalid. */
  setFaults(faults: EmulatorFaults): void;
  /** Replaces the accepted API keys. */
  setApiKeys(keys: readonly string[]): void;
  /** Counts by outcome (`requests`, `ok`, `operations`, `unauthorized`, `rateLimited`, ...). */
  stats(): Record<string, number>;
  /** Sets every count back to 0. */
  resetStats(): void;
  /** Stops listening and destroys every open connection (stalled ones included). */
  close(): Promise<void>;
}

/**
 * Starts a local GWEN: a GraphQL server (graphql-js, GWEN's schema) on plain
 * `node:http` that checks the API key, records what it accepts and injects
 * the configured faults.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const state = new EmulatorState({
    record: options.record ?? true,
    recordLimit: options.recordLimit,
    onRequest: options.onRequest,
  });
  state.setApiKeys(options.apiKeys ?? [DEFAULT_EMULATOR_API_KEY]);
  state.setFaults(options.faults ?? {});
  const cache = new DocumentCache(gwenSchema);
  const server = createServer((request, response) => {
    const path = request.url ?? "";
    const handled = path.startsWith(CONTROL_PREFIX)
      ? handleControl(request, response, state)
      : routeGraphQL(request, response, { state, cache });
    handled.catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, { error: `Emulator bug: ${(error as Error).message}` });
    });
  });
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port ?? 0, host);
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${urlHost}:${port}/graphql`,
    port,
    requests: () => state.recorder.list(),
    clear: () => state.recorder.clear(),
    faults: () => ({ ...state.faults }),
    setFaults: (faults) => state.setFaults(faults),
    setApiKeys: (keys) => state.setApiKeys(keys),
    stats: () => state.stats.snapshot(),
    resetStats: () => state.stats.reset(),
    close: () => stop(server),
  };
}

function routeGraphQL(
  request: Parameters<typeof handleGraphQL>[0],
  response: Parameters<typeof handleGraphQL>[1],
  deps: Parameters<typeof handleGraphQL>[2],
): Promise<void> {
  const path = (request.url ?? "").split("?")[0];
  if (path !== "/graphql") {
    sendJson(response, 404, {
      error: `Not found: the GWEN emulator answers POST /graphql, not ${path}`,
    });
    return Promise.resolve();
  }
  if (request.method !== "POST") {
    response.setHeader("allow", "POST");
    sendJson(response, 405, { error: "Use POST for /graphql" });
    return Promise.resolve();
  }
  return handleGraphQL(request, response, deps);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (cause: NodeJS.ErrnoException) => {
      reject(
        new EmulatorError(
          "E_EMULATOR_START",
          `The GWEN emulator cannot listen on ${host}:${port} (${cause.code ?? cause.message}): choose another port, or 0 for a free one.`,
          { cause },
        ),
      );
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
