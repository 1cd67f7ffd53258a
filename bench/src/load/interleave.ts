/**
 * Runs each measurement `rounds` times, interleaved (A B C A B C ...), so a
 * burst of noise on this shared machine hits every contender alike. Returns
 * each contender's results in round order.
 */
export async function interleave<T>(
  measurements: readonly (() => Promise<T>)[],
  rounds: number,
): Promise<T[][]> {
  const results = measurements.map((): T[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, measure] of measurements.entries()) {
      results[index]!.push(await measure());
    }
  }
  return results;
}
