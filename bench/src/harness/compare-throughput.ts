/** A function measured for how many times a second it completes. */
export interface Contender {
  readonly name: string;
  readonly run: () => unknown;
}

export interface Throughput {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly ops: number;
}

export interface CompareOptions {
  /** Total measuring time per contender, split over the rounds. */
  readonly durationMs: number;
  readonly rounds: number;
}

/**
 * Measure contenders side by side. These machines are shared and noisy, so a
 * contender's time is split into rounds interleaved with the others' (A B C A
 * B C ...): a burst of noise then hits all of them alike and their ratios stay
 * meaningful. Calls are timed in batches, since timing sub-microsecond calls
 * one by one would measure the clock. A promise returned by `run` is awaited.
 */
export async function compareThroughput(
  contenders: readonly Contender[],
  options: CompareOptions,
): Promise<Throughput[]> {
  const slice = options.durationMs / options.rounds;
  const totals = contenders.map(() => ({ ops: 0, ms: 0 }));
  for (const contender of contenders) await runFor(contender.run, Math.min(slice, 200));
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, contender] of contenders.entries()) {
      const { ops, ms } = await runFor(contender.run, slice);
      totals[index]!.ops += ops;
      totals[index]!.ms += ms;
    }
  }
  return contenders.map((contender, index) => {
    const { ops, ms } = totals[index]!;
    return { name: contender.name, ops, opsPerSecond: ms > 0 ? (ops * 1000) / ms : 0 };
  });
}

async function runFor(run: () => unknown, sliceMs: number): Promise<{ ops: number; ms: number }> {
  let batch = 1;
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < sliceMs) {
    const batchStart = now;
    for (let i = 0; i < batch; i++) {
      const result = run();
      if (result instanceof Promise) await result;
    }
    ops += batch;
    now = performance.now();
    if (now - batchStart < 1) batch *= 2;
  }
  return { ops, ms: now - start };
}
