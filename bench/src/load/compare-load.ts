import { interleave } from "./interleave.js";
import type { LoadResult } from "./load-result.js";
import type { LoadTiming } from "./load-timing.js";
import type { LoadGenerator, LoadOptions } from "./run-load.js";

/** A server under load, by name. */
export interface LoadTarget {
  readonly name: string;
  readonly load: LoadOptions;
}

/** A target's runs put together. */
export interface LoadSummary extends LoadResult {
  readonly name: string;
}

/**
 * Loads the targets in interleaved rounds (see `interleave`) after a
 * warm-up of each (connections, JIT), which is not counted. Each
 * round is one autocannon run; throughput is all requests over all time,
 * latencies the request-weighted mean of the rounds' percentiles.
 */
export async function compareLoad(
  generator: LoadGenerator,
  targets: readonly LoadTarget[],
  timing: LoadTiming,
): Promise<LoadSummary[]> {
  if (timing.warmupSeconds > 0) {
    for (const target of targets) {
      await generator.run({ ...target.load, durationSeconds: timing.warmupSeconds });
    }
  }
  const runs = await interleave(
    targets.map(
      (target) => () => generator.run({ ...target.load, durationSeconds: timing.secondsPerRound }),
    ),
    timing.rounds,
  );
  return targets.map((target, index) => ({ name: target.name, ...combineRuns(runs[index]!) }));
}

/** Several runs one after another as one: all requests over all time, request-weighted latency percentiles. */
export function combineRuns(results: readonly LoadResult[]): LoadResult {
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  const durationSeconds = results.reduce((sum, r) => sum + r.durationSeconds, 0);
  const weighted = (pick: (r: LoadResult) => number) =>
    requests > 0 ? results.reduce((sum, r) => sum + pick(r) * r.requests, 0) / requests : 0;
  return {
    requests,
    durationSeconds,
    requestsPerSecond: durationSeconds > 0 ? requests / durationSeconds : 0,
    latencyP50Ms: weighted((r) => r.latencyP50Ms),
    latencyP99Ms: weighted((r) => r.latencyP99Ms),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** Throws when a run had answers outside 2xx or errors: its rate would not be one of successes. */
export function assertClean(summary: LoadSummary): LoadSummary {
  if (summary.non2xx > 0 || summary.errors > 0) {
    throw new Error(
      `${summary.name}: ${summary.non2xx} answers outside 2xx and ${summary.errors} errors in ${summary.requests} requests`,
    );
  }
  return summary;
}
