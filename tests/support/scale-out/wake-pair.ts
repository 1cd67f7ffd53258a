/**
 * Two server processes on one PostgreSQL queue where only the second can
 * deliver (GWEN refuses the first one's key, so its delivery is paused):
 * an event posted to the first is delivered by the second, which only
 * learns of it by the first's notification or its own poll.
 */
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { beforeAll } from "vitest";
import { type AddCleanup, cleanupAfterAll } from "../cleanup/cleanups.js";
import { basicAuth } from "../reliability/events.js";
import { metricValue } from "../reliability/metrics.js";
import {
  eventually,
  type ServerProcess,
  SHIPPED_MAPPINGS,
  spawnServer,
  temporaryDataDir,
} from "../server/spawn-server.js";

const WRITE_KEY = "wake-pair-write-key";

export interface WakePair {
  /** Takes events; GWEN refuses its key, so it never delivers them. */
  readonly taker: ServerProcess;
  /** Delivers what the taker took. */
  readonly deliverer: ServerProcess;
}

/** What a wake-pair test file shares: see `wakePairFixture`. */
export interface WakePairFixture {
  /** Runs `cleanup` once the file's tests are done (before the emulator and the directory go). */
  readonly cleanup: AddCleanup;
  /** Starts a pair on the PostgreSQL queue at `queueUrl`; stopped once the tests are done. */
  start(queueUrl: string): Promise<WakePair>;
  /** When the delivery for `userId` reached the emulator (ms since the epoch), once it has. */
  receivedAt(userId: string): number | undefined;
}

/**
 * Call at the top of a test file: before its tests, an emulator that notes
 * when each user's delivery reached it and a data directory; after them,
 * everything stopped and removed, the last started first.
 */
export function wakePairFixture(): WakePairFixture {
  const cleanup = cleanupAfterAll();
  const receivedAt = new Map<string, number>();
  let emulator: Emulator | undefined;
  let dataDir = "";
  beforeAll(async () => {
    const data = await temporaryDataDir();
    cleanup(() => data.remove());
    dataDir = data.dir;
    const started = await startEmulator({
      onRequest: (request) => receivedAt.set(String(request.variables.userId), Date.now()),
    });
    cleanup(() => started.close());
    emulator = started;
  });
  const startServer = async (queueUrl: string, apiKey: string) => {
    const server = await spawnServer({
      GWENMAP_QUEUE_URL: queueUrl,
      GWENMAP_DATA_DIR: dataDir,
      GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
      GWENMAP_WRITE_KEYS: WRITE_KEY,
      GWEN_API_KEY: apiKey,
      GWEN_ENDPOINT: emulator?.url ?? "",
      GWENMAP_WATCH: "0",
    });
    cleanup(() => server.stop("SIGKILL"));
    return server;
  };
  return {
    cleanup,
    receivedAt: (userId) => receivedAt.get(userId),
    // Both start (the taker first), then the taker's delivery must be paused.
    async start(queueUrl) {
      const taker = await startServer(queueUrl, "refused-by-the-emulator");
      const deliverer = await startServer(queueUrl, DEFAULT_EMULATOR_API_KEY);
      await eventually(async () => {
        const health = (await (await fetch(`${taker.url}/healthz`)).json()) as {
          delivery: string;
        };
        return health.delivery === "paused" ? true : undefined;
      }, "the taker to pause its delivery");
      return { taker, deliverer };
    },
  };
}

/**
 * Posts a track call for `userId` to `server`, again while it answers 503
 * (its queue recovering); answers when the accepted request was sent.
 */
export async function postTrack(server: ServerProcess, userId: string): Promise<number> {
  for (;;) {
    const sentAt = Date.now();
    const answer = await fetch(`${server.url}/v1/track`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: basicAuth(WRITE_KEY),
      },
      body: JSON.stringify({ userId, event: "Level Completed" }),
    });
    if (answer.status === 200) return sentAt;
    if (answer.status !== 503) throw new Error(`the server answered ${answer.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Times another instance's notification woke `server` (to map, or to deliver). */
export function wakeups(server: ServerProcess): Promise<number> {
  return metricValue(server.url, "gwenmap_queue_wakeups_total");
}

/** A user id per number, as the shipped mappings expect (a UUID). */
export function userFor(index: number): string {
  return `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
}
