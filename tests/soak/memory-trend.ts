/** One memory reading of the server (bytes). */
export interface MemorySample {
  readonly at: number;
  readonly rss: number;
  readonly heapUsed: number;
}

/** How memory moved between the first and the last third of the run, after warm-up. */
export interface MemoryTrend {
  readonly samples: number;
  readonly firstRssMb: number;
  readonly lastRssMb: number;
  readonly firstHeapMb: number;
  readonly lastHeapMb: number;
  /** Last third's median over the first third's, minus one (0.1 = 10 % growth). */
  readonly rssGrowth: number;
  readonly heapGrowth: number;
}

const MB = 1_048_576;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Compares the median of the first third of the samples taken after
 * `warmUpMs` with the median of the last third: flat memory keeps both close.
 */
export function memoryTrend(samples: readonly MemorySample[], warmUpMs: number): MemoryTrend {
  const start = samples[0]?.at ?? 0;
  const steady = samples.filter((sample) => sample.at - start >= warmUpMs);
  const third = Math.max(1, Math.floor(steady.length / 3));
  const first = steady.slice(0, third);
  const last = steady.slice(-third);
  const firstRss = median(first.map((sample) => sample.rss));
  const lastRss = median(last.map((sample) => sample.rss));
  const firstHeap = median(first.map((sample) => sample.heapUsed));
  const lastHeap = median(last.map((sample) => sample.heapUsed));
  return {
    samples: steady.length,
    firstRssMb: firstRss / MB,
    lastRssMb: lastRss / MB,
    firstHeapMb: firstHeap / MB,
    lastHeapMb: lastHeap / MB,
    rssGrowth: lastRss / firstRss - 1,
    heapGrowth: lastHeap / firstHeap - 1,
  };
}
