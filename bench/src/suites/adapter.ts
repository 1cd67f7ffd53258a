import { buildRequest } from "@gwenmap/gwen-adapter";
import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";
import { type Figure, type Suite, type SuiteOptions, withRatios } from "../harness/figure.js";
import { type ChildServer, startChildServer, withChildServers } from "../load/child-server.js";
import { assertClean, compareLoad } from "../load/compare-load.js";
import { interleave } from "../load/interleave.js";
import { type LoadTiming, loadTiming } from "../load/load-timing.js";
import { type LoadGenerator, type LoadOptions, startLoadGenerator } from "../load/run-load.js";
import { type ClientResult, deliveryPayload, measureClient } from "./adapter-client.js";

const SUITE = "adapter";
const CONCURRENCIES = [1, 16, 64] as const;
const BATCH_SIZES = [10, 50] as const;
/** autocannon's connections against the emulator and its ceiling. */
const CONNECTIONS = 32;

/**
 * The GWEN emulator (every other suite delivers to it, so it must not be
 * their limit) against a bare `node:http` server answering the same bytes;
 * then `GwenClient` deliveries/s at several concurrencies against what
 * autocannon gets from the same emulator, and the gain of aliased batching.
 * The emulator and the ceiling run in child processes, autocannon in another.
 */
export const adapterSuite: Suite = {
  name: SUITE,
  async run(options) {
    const timing = loadTiming(options);
    const generator = await startLoadGenerator();
    try {
      return await withChildServers(
        [
          () => startChildServer("emulator.ts"),
          () => startChildServer("http-ceiling.ts", ["graphql"]),
        ],
        async ([emulator, ceiling]) => [
          ...(await emulatorCases([emulator!, ceiling!], { generator, timing, options })),
          ...(await clientCases(emulator!, { generator, timing, options })),
          ...(await batchCases(emulator!, timing, options)),
        ],
      );
    } finally {
      await generator.stop();
    }
  },
};

function sendEventLoad(url: string, connections: number): LoadOptions {
  return {
    url,
    body: JSON.stringify(buildRequest("sendEvent", deliveryPayload)),
    headers: { authorization: DEFAULT_EMULATOR_API_KEY },
    connections,
  };
}

/** How a suite's load cases run: the load generator, the timing and the suite's options. */
interface LoadRun {
  readonly generator: LoadGenerator;
  readonly timing: LoadTiming;
  readonly options: SuiteOptions;
}

async function emulatorCases(
  [emulator, ceiling]: readonly [ChildServer, ChildServer],
  run: LoadRun,
): Promise<Figure[]> {
  const { generator, timing, options } = run;
  options.log("adapter: emulator against a bare node:http server");
  const cases = {
    emulator: `emulator, SendEvent (autocannon, ${CONNECTIONS} connections)`,
    bare: `bare node:http, same answer (autocannon, ${CONNECTIONS} connections)`,
  };
  const results = await compareLoad(
    generator,
    [
      { name: cases.emulator, load: sendEventLoad(emulator.url, CONNECTIONS) },
      { name: cases.bare, load: sendEventLoad(`${ceiling.url}/graphql`, CONNECTIONS) },
    ],
    timing,
  );
  const figures = results.map(assertClean).map((result) => ({
    suite: SUITE,
    case: result.name,
    value: result.requestsPerSecond,
    unit: "requests/s",
  }));
  return withRatios(figures, [[cases.emulator, cases.bare]]);
}

async function clientCases(emulator: ChildServer, run: LoadRun): Promise<Figure[]> {
  const { generator, timing, options } = run;
  const figures: Figure[] = [];
  for (const concurrency of CONCURRENCIES) {
    options.log(`adapter: GwenClient at concurrency ${concurrency}`);
    const client = `GwenClient.send, concurrency ${concurrency}`;
    const load = `autocannon -> emulator, ${concurrency} connections`;
    if (timing.warmClients) {
      const seconds = timing.warmupSeconds;
      await measureClient({ endpoint: emulator.url, concurrency, batchSize: 1, seconds });
      await generator.run({
        ...sendEventLoad(emulator.url, concurrency),
        durationSeconds: seconds,
      });
    }
    const [clientRuns, loadRuns] = await interleave<number>(
      [
        () =>
          measureClient({
            endpoint: emulator.url,
            concurrency,
            batchSize: 1,
            seconds: timing.secondsPerRound,
          }).then(checked),
        () =>
          generator
            .run({
              ...sendEventLoad(emulator.url, concurrency),
              durationSeconds: timing.secondsPerRound,
            })
            .then((result) => assertClean({ name: load, ...result }).requestsPerSecond),
      ],
      timing.rounds,
    );
    figures.push(
      ...withRatios(
        [
          { suite: SUITE, case: client, value: mean(clientRuns!), unit: "deliveries/s" },
          { suite: SUITE, case: load, value: mean(loadRuns!), unit: "requests/s" },
        ],
        [[client, load]],
      ),
    );
  }
  return figures;
}

async function batchCases(
  emulator: ChildServer,
  timing: LoadTiming,
  options: SuiteOptions,
): Promise<Figure[]> {
  const concurrency = 16;
  options.log(`adapter: aliased batching at concurrency ${concurrency}`);
  const single = `GwenClient.send (1 per request), concurrency ${concurrency}`;
  const sizes = [1, ...BATCH_SIZES];
  for (const batchSize of timing.warmClients ? sizes : []) {
    const seconds = timing.warmupSeconds;
    await measureClient({ endpoint: emulator.url, concurrency, batchSize, seconds });
  }
  const runs = await interleave(
    sizes.map(
      (batchSize) => () =>
        measureClient({
          endpoint: emulator.url,
          concurrency,
          batchSize,
          seconds: timing.secondsPerRound,
        }).then(checked),
    ),
    timing.rounds,
  );
  const figures = sizes.map((size, index) => ({
    suite: SUITE,
    case:
      size === 1
        ? single
        : `GwenClient.sendBatch (${size} per request), concurrency ${concurrency}`,
    value: mean(runs[index]!),
    unit: "deliveries/s",
  }));
  return withRatios(
    figures,
    figures.slice(1).map((figure) => [figure.case, single] as const),
  );
}

function checked(result: ClientResult): number {
  if (result.failed > 0) throw new Error(`${result.failed} deliveries were not ok`);
  return result.deliveriesPerSecond;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
