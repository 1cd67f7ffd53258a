import type { SuiteOptions } from "../harness/figure.js";

/** How long each load measurement runs. */
export interface LoadTiming {
  /** Interleaved rounds per comparison. */
  readonly rounds: number;
  /** Seconds of one autocannon or client run. */
  readonly secondsPerRound: number;
  /** Seconds of load before measuring (connections, JIT); 0 for none. */
  readonly warmupSeconds: number;
  /** Whether in-process client runs get a warm-up too (full runs only: quick ones must stay short). */
  readonly warmClients: boolean;
}

/** Full: long enough for steady figures. Quick: under a minute for all suites. Smoke: proves it runs. */
export function loadTiming(options: SuiteOptions): LoadTiming {
  if (options.smoke)
    return { rounds: 1, secondsPerRound: 0.3, warmupSeconds: 0, warmClients: false };
  if (options.quick) {
    return { rounds: 1, secondsPerRound: 0.6, warmupSeconds: 0.3, warmClients: false };
  }
  return { rounds: 3, secondsPerRound: 4, warmupSeconds: 1, warmClients: true };
}
