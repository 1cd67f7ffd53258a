import { type Figure, type Suite, type SuiteOptions, withRatios } from "../harness/figure.js";
import { interleave } from "../load/interleave.js";
import { readMetrics, sumOf } from "./server-backlog.js";
import { findPostgres, postgresServers } from "./server-postgres.js";
import { DELIVERY_PAUSED, type ServerProcess } from "./server-process.js";
import {
  type ArrivalClock,
  percentile,
  postToDelivery,
  startArrivalClock,
} from "./wakeups-latency.js";

const SUITE = "wakeups";
/** The bound: an event taken by one instance is delivered by another within 50 ms. */
const TARGET_MS = 50;
/**
 * How long an idle worker of the server sleeps between looks at the queue
 * (`IDLE_WAIT_MS` of its mapping and delivery workers): how late another
 * instance would find the event without a notification.
 */
const POLL_MS = 1_000;
/** Events measured per contender, one at a time, after a few that open the connections. */
const RUNS = { full: { events: 50, warmup: 3 }, smoke: { events: 3, warmup: 1 } } as const;
const PAUSE_TIMEOUT_MS = 30_000;

/**
 * Instances on one PostgreSQL queue waking each other (`LISTEN/NOTIFY`):
 * the latency from a track call posted to an instance that cannot deliver
 * (GWEN refuses its key) until the emulator receives the delivery another
 * instance sent, against the same with one instance that takes and
 * delivers, interleaved, on the same PostgreSQL and emulator. Full and
 * smoke runs, when PostgreSQL is there (quick runs have none).
 */
export const wakeupsSuite: Suite = {
  name: SUITE,
  async run(options) {
    if (options.quick && !options.smoke) return [];
    const databaseUrl = await findPostgres(options);
    if (!databaseUrl) return [];
    const clock = await startArrivalClock();
    try {
      return await measureWakeups(databaseUrl, clock, options);
    } finally {
      await clock.close();
    }
  },
};

async function measureWakeups(
  databaseUrl: string,
  clock: ArrivalClock,
  options: SuiteOptions,
): Promise<Figure[]> {
  const run = options.smoke ? RUNS.smoke : RUNS.full;
  const gwenEndpoint = clock.url;
  const servers: ServerProcess[] = [];
  const start = async (
    instances: number,
    instanceEnv: (index: number) => Record<string, string>,
  ) => {
    const started = await postgresServers(databaseUrl, {
      gwenEndpoint,
      instances,
      env: {},
      instanceEnv,
    })();
    servers.push(...started);
    return started;
  };
  try {
    options.log(`${SUITE}: starting one instance on a queue, and two on another`);
    const [alone] = await start(1, () => ({}));
    const [taker, deliverer] = await start(2, (index) => (index === 0 ? DELIVERY_PAUSED : {}));
    await deliveryPaused(taker!);
    const contenders = [() => postToDelivery(alone!, clock), () => postToDelivery(taker!, clock)];
    options.log(`${SUITE}: ${run.warmup} + ${run.events} events each, one at a time, interleaved`);
    // The first events open the connections (to PostgreSQL, to GWEN) the measured ones reuse.
    await interleave(contenders, run.warmup);
    const before = await wakeupsOf(deliverer!);
    const [aloneMs, crossedMs] = await interleave(contenders, run.events);
    const after = await wakeupsOf(deliverer!);
    options.log(
      `${SUITE}: over ${run.events} events the deliverer was woken ${after.deliveries - before.deliveries} times to deliver, ${after.requests - before.requests} to map`,
    );
    return latencyFigures(aloneMs!, crossedMs!);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

function latencyFigures(aloneMs: readonly number[], crossedMs: readonly number[]): Figure[] {
  const crossed = `posted to one instance, delivered by another, woken by NOTIFY (target ${TARGET_MS} ms; polling, without it: up to ${POLL_MS.toLocaleString("en-US")} ms)`;
  const alone = "posted to and delivered by one instance";
  const figures: Figure[] = [];
  const pairs: [string, string][] = [];
  for (const p of [50, 95]) {
    const name = (who: string) => `PostgreSQL queue, one event at a time, ${who}: latency p${p}`;
    figures.push(
      { suite: SUITE, case: name(crossed), value: percentile(crossedMs, p), unit: "ms" },
      { suite: SUITE, case: name(alone), value: percentile(aloneMs, p), unit: "ms" },
    );
    pairs.push([name(crossed), name(alone)]);
  }
  return withRatios(figures, pairs);
}

/** Waits until GWEN's refusal of the server's key has paused its delivery. */
async function deliveryPaused(server: ServerProcess): Promise<void> {
  const deadline = performance.now() + PAUSE_TIMEOUT_MS;
  while (sumOf(await readMetrics(server.url), /^gwenmap_delivery_paused (\S+)$/gm) !== 1) {
    if (performance.now() > deadline) throw new Error("the taker's delivery did not pause");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Times another instance's notification woke `server`, by work. */
async function wakeupsOf(server: ServerProcess): Promise<{ requests: number; deliveries: number }> {
  const text = await readMetrics(server.url);
  const woken = (work: string) =>
    sumOf(text, new RegExp(`^gwenmap_queue_wakeups_total\\{work="${work}"\\} (\\S+)$`, "gm"));
  return { requests: woken("requests"), deliveries: woken("deliveries") };
}
