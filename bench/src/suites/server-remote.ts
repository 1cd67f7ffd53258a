import { type Figure, type SuiteOptions, withRatios } from "../harness/figure.js";
import type { ChildServer } from "../load/child-server.js";
import { setEmulatorFaults } from "../load/emulator-faults.js";
import type { LoadGenerator } from "../load/run-load.js";
import { clientAloneName, type DeliveryShape, measureClientAlone } from "./adapter-client.js";
import { measureEndToEnd } from "./server-end-to-end.js";
import { batchOf100 } from "./server-inputs.js";
import { startServer } from "./server-process.js";

/**
 * GWEN's round trip from a server in the same region: the emulator answers
 * this much later. The other end-to-end cases answer at once, which makes
 * the shared cores the limit; here, as in production, the round trip is.
 */
export const REMOTE_LATENCY_MS = 20;
/** Events per run: about 15 s at one delivery per request (16 in flight, 20 ms each). */
const EVENTS_BY_BATCH: Readonly<Record<number, number>> = { 1: 10_000, 20: 100_000 };

/**
 * End to end with GWEN 20 ms away, one and 20 deliveries per request,
 * each against the bare client at the same concurrency and latency: whether
 * the server reaches what the round trip allows. Full and smoke runs.
 */
export async function remoteGwenCases(
  deps: { generator: LoadGenerator; emulator: ChildServer; concurrency: number; suite: string },
  options: SuiteOptions,
): Promise<Figure[]> {
  if (options.quick && !options.smoke) return [];
  await setLatency(deps.emulator, REMOTE_LATENCY_MS);
  try {
    const figures: Figure[] = [];
    const pairs: [string, string][] = [];
    for (const batchSize of [1, 20]) {
      const events = options.smoke ? 500 : EVENTS_BY_BATCH[batchSize]!;
      const names = caseNames(events, { concurrency: deps.concurrency, batchSize });
      options.log(`server: ${names.server}`);
      const server = await startServer(deps.emulator.url, {
        GWENMAP_BATCH_SIZE: String(batchSize),
        GWENMAP_CONCURRENCY: String(deps.concurrency),
      });
      const result = await measureEndToEnd(
        deps.generator,
        { emulator: deps.emulator, server },
        { shape: batchOf100, events, connections: 4 },
      ).finally(() => server.stop());
      const alone = await measureClientAlone(
        deps.emulator.url,
        { concurrency: deps.concurrency, batchSize },
        options,
      );
      figures.push(
        { suite: deps.suite, case: names.server, value: result.eventsPerSecond, unit: "events/s" },
        { suite: deps.suite, case: names.alone, value: alone, unit: "deliveries/s" },
      );
      pairs.push([names.server, names.alone]);
    }
    return withRatios(figures, pairs);
  } finally {
    await setLatency(deps.emulator, 0);
  }
}

function caseNames(events: number, shape: DeliveryShape) {
  const away = `GWEN ${REMOTE_LATENCY_MS} ms away`;
  const batch = shape.batchSize > 1 ? `, GWENMAP_BATCH_SIZE=${shape.batchSize}` : "";
  return {
    server: `end to end, ${away}${batch}: ${events.toLocaleString("en-US")} events, acknowledged to delivered`,
    alone: `${clientAloneName(shape)}, ${away}`,
  };
}

/** Replaces the emulator's faults with an answer delay (0: none). */
function setLatency(emulator: ChildServer, latencyMs: number): Promise<void> {
  return setEmulatorFaults(emulator, latencyMs > 0 ? { latencyMs } : {});
}
