import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorFaults } from "@gwenmap/gwen-adapter/emulator";
import { type Figure, type Suite, type SuiteOptions, withRatios } from "../harness/figure.js";
import { type ChildServer, startChildServer, withChildServers } from "../load/child-server.js";
import { setEmulatorFaults } from "../load/emulator-faults.js";
import { type LoadGenerator, startLoadGenerator } from "../load/run-load.js";
import { type DeliveryResult, measureDelivery } from "./delivery-run.js";
import { storeBacklog } from "./server-backlog-drain.js";
import { batchOf100 } from "./server-inputs.js";

const SUITE = "delivery";

/** One GWEN the server delivers to: how far away, and what else it does. */
interface Remote {
  readonly name: string;
  readonly faults: EmulatorFaults;
  /** The fixed `GWENMAP_CONCURRENCY` values the adaptive delivery is set against. */
  readonly sweep: readonly number[];
}

/** GWEN's rate limit in the third case: about what 21 requests in flight 20 ms away send. */
const MAX_RPS = 1_000;

const SWEEP = [16, 64, 128, 256, 512, 1024];

const FULL: readonly Remote[] = [
  { name: "GWEN 20 ms away", faults: { latencyMs: 20 }, sweep: SWEEP },
  { name: "GWEN 50 ms away", faults: { latencyMs: 50 }, sweep: SWEEP },
  {
    name: `GWEN 20 ms away, 429 above ${MAX_RPS.toLocaleString("en-US")} requests/s`,
    faults: { latencyMs: 20, maxRps: MAX_RPS },
    sweep: [8, 16, 32, 64],
  },
  // The same host: adaptive concurrency must not cost what the old default reached.
  { name: "GWEN answering at once", faults: {}, sweep: [16, 64, 256] },
];

/** Smoke runs: one plain and the rate-limited GWEN (every code path), against one fixed value, tiny runs. */
const SMOKE: readonly Remote[] = [FULL[0]!, FULL[2]!].map((remote) => ({ ...remote, sweep: [64] }));

const TIMING = {
  full: { deliveries: 80_000, seconds: 6, adaptiveRuns: 2 },
  smoke: { deliveries: 500, seconds: 0.3, adaptiveRuns: 1 },
} as const;

/**
 * The server's delivery to a remote GWEN (the emulator, answering 20 or 50
 * ms late, once with a rate limit that answers 429, and once at once):
 * adaptive concurrency with no setting against a sweep of fixed
 * `GWENMAP_CONCURRENCY` values in the same run, each delivering the same
 * stored backlog from a cold start. Adaptive runs before and after the
 * sweep, and counts as the mean of both (the machine's load drifts over a
 * sweep). Full and smoke runs (quick runs must stay under a minute).
 */
export const deliverySuite: Suite = {
  name: SUITE,
  async run(options) {
    if (options.quick && !options.smoke) return [];
    const generator = await startLoadGenerator();
    const backlogDir = await mkdtemp(join(tmpdir(), "gwenmap-bench-delivery-backlog-"));
    try {
      return await withChildServers([() => startChildServer("emulator.ts")], ([emulator]) =>
        runCases({ generator, emulator: emulator!, backlogDir }, options),
      );
    } finally {
      await generator.stop();
      await rm(backlogDir, { recursive: true, force: true });
    }
  },
};

async function runCases(
  deps: { generator: LoadGenerator; emulator: ChildServer; backlogDir: string },
  options: SuiteOptions,
): Promise<Figure[]> {
  const { generator, emulator, backlogDir } = deps;
  const timing = options.smoke ? TIMING.smoke : TIMING.full;
  options.log(`${SUITE}: storing a backlog of ${timing.deliveries} deliveries`);
  await storeBacklog(generator, emulator, {
    shape: batchOf100,
    events: timing.deliveries,
    connections: 4,
    dataDir: backlogDir,
  });
  const figures: Figure[] = [];
  const remotes = (options.smoke ? SMOKE : FULL).filter(
    (remote) => options.only === undefined || remote.name.includes(options.only),
  );
  for (const remote of remotes) {
    await setEmulatorFaults(emulator, remote.faults);
    try {
      const run = async (env: Record<string, string>, label: string) => {
        options.log(`${SUITE}: ${remote.name}, ${label}`);
        const result = await measureDelivery(emulator, { backlogDir, ...timing, env });
        // Each run's own figures: the table shows adaptive as the mean of its runs.
        options.log(`${SUITE}:   ${describeRun(result)}`);
        return result;
      };
      const adaptive = [await run({}, "adaptive (no setting)")];
      const fixed: [number, DeliveryResult][] = [];
      for (const concurrency of remote.sweep) {
        const env = { GWENMAP_CONCURRENCY: String(concurrency) };
        fixed.push([concurrency, await run(env, `GWENMAP_CONCURRENCY=${concurrency}`)]);
      }
      if (timing.adaptiveRuns > 1) adaptive.push(await run({}, "adaptive (no setting), again"));
      figures.push(...remoteFigures(remote, meanOf(adaptive), fixed));
    } finally {
      await setEmulatorFaults(emulator, {});
    }
  }
  return figures;
}

function remoteFigures(
  remote: Remote,
  adaptive: DeliveryResult,
  fixed: readonly [number, DeliveryResult][],
): Figure[] {
  const [bestConcurrency, best] = fixed.reduce((a, b) =>
    b[1].deliveriesPerSecond > a[1].deliveriesPerSecond ? b : a,
  );
  const limited = remote.faults.maxRps !== undefined;
  const names = {
    adaptive: `${remote.name}: adaptive concurrency (no setting)`,
    best: `${remote.name}: best fixed GWENMAP_CONCURRENCY of the sweep`,
    bestConcurrency: `${remote.name}: the best fixed GWENMAP_CONCURRENCY`,
    adaptive429: `${remote.name}: adaptive concurrency, 429 answers`,
    best429: `${remote.name}: best fixed GWENMAP_CONCURRENCY, 429 answers`,
    limit: `${remote.name}: adaptive concurrency, its limit at the end`,
  };
  const figure = (name: string, value: number, unit: string): Figure => ({
    suite: SUITE,
    case: name,
    value,
    unit,
  });
  const figures: Figure[] = [
    figure(names.adaptive, adaptive.deliveriesPerSecond, "deliveries/s"),
    figure(names.best, best.deliveriesPerSecond, "deliveries/s"),
    figure(names.bestConcurrency, bestConcurrency, "requests"),
    figure(names.limit, adaptive.limit ?? 0, "requests"),
    ...fixed.map(([concurrency, result]) =>
      figure(
        `${remote.name}: GWENMAP_CONCURRENCY=${concurrency}`,
        result.deliveriesPerSecond,
        "deliveries/s",
      ),
    ),
  ];
  const pairs: [string, string][] = [
    [names.adaptive, names.best],
    [names.limit, names.bestConcurrency],
  ];
  if (limited) {
    figures.push(
      figure(names.adaptive429, adaptive.rateLimited, "answers"),
      figure(names.best429, best.rateLimited, "answers"),
      ...fixed.map(([concurrency, result]) =>
        figure(
          `${remote.name}: GWENMAP_CONCURRENCY=${concurrency}, 429 answers`,
          result.rateLimited,
          "answers",
        ),
      ),
    );
    pairs.push([names.adaptive429, names.best429]);
  }
  return withRatios(figures, pairs);
}

function describeRun(result: DeliveryResult): string {
  const limit = result.limit === undefined ? "" : `, limit at the end ${result.limit}`;
  return `${Math.round(result.deliveriesPerSecond)} deliveries/s, ${result.rateLimited} 429s${limit}`;
}

/** The mean of several runs of one contender. */
function meanOf(results: readonly DeliveryResult[]): DeliveryResult {
  const mean = (values: readonly number[]) =>
    values.reduce((sum, value) => sum + value, 0) / values.length;
  const limits = results.flatMap((result) => (result.limit === undefined ? [] : [result.limit]));
  return {
    deliveriesPerSecond: mean(results.map((result) => result.deliveriesPerSecond)),
    rateLimited: mean(results.map((result) => result.rateLimited)),
    limit: limits.length > 0 ? mean(limits) : undefined,
  };
}
