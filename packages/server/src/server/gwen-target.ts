import { concurrencyCeiling, GwenClient } from "@gwenmap/gwen-adapter";
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import type { Logger } from "pino";
import type { ServerConfig } from "../config/server-options.js";

/** Where deliveries go: a client for GWEN, and the in-process emulator when it stands in for GWEN. */
export interface GwenTarget {
  readonly client: GwenClient;
  readonly emulator?: Emulator;
  /** What the log says deliveries go to (never with the key). */
  readonly description: string;
}

/** What the in-process emulator's `/_emulator/requests` keeps: the latest this many operations. */
const EMULATOR_RECORD_LIMIT = 1_000;

/**
 * Creates the GWEN client. Without `GWEN_API_KEY` an emulator is started in
 * this process first, and the log says so loudly: nothing reaches GWEN.
 */
export async function connectGwen(config: ServerConfig, logger: Logger): Promise<GwenTarget> {
  const shared = {
    connections: concurrencyCeiling(config.concurrency),
    ...(config.rateLimit === undefined ? {} : { maxRequestsPerSecond: config.rateLimit }),
  };
  if (config.gwen.kind === "remote") {
    const client = new GwenClient({
      apiKey: config.gwen.apiKey,
      ...(config.gwen.endpoint === undefined ? {} : { endpoint: config.gwen.endpoint }),
      ...shared,
    });
    return { client, description: client.endpoint };
  }
  const emulatorLog = logger.child({ component: "gwen-emulator" });
  const emulator = await startEmulator({
    recordLimit: EMULATOR_RECORD_LIMIT,
    // One line per delivery: only at debug.
    ...(emulatorLog.isLevelEnabled("debug")
      ? {
          onRequest: (request) =>
            emulatorLog.debug(
              { operation: request.operationName, variables: request.variables },
              `GWEN emulator accepted ${request.operationName} for user ${String(request.variables.userId)}`,
            ),
        }
      : {}),
  });
  logger.warn(
    { emulator: emulator.url },
    `NO GWEN_API_KEY: DELIVERIES GO TO AN IN-PROCESS GWEN EMULATOR AT ${emulator.url}, NOT TO GWEN. Set GWEN_API_KEY to deliver to GWEN.`,
  );
  const client = new GwenClient({
    apiKey: DEFAULT_EMULATOR_API_KEY,
    endpoint: emulator.url,
    ...shared,
  });
  return { client, emulator, description: `the in-process GWEN emulator at ${emulator.url}` };
}
