/** One measured figure, as `--json` writes it and the table prints it. */
export interface Figure {
  readonly suite: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  /** The case this figure is compared with, measured in the same run. */
  readonly baseline?: string;
  /** value / baseline's value (for throughputs: above 1 is faster than the baseline). */
  readonly ratio?: number;
}

/** Settings every suite receives. */
export interface SuiteOptions {
  /** Short runs on small inputs: finishes in under a minute, for smoke tests and CI. */
  readonly quick: boolean;
  /**
   * Implies quick, with tiny inputs and the shortest runs: proves every suite
   * still runs end to end (the bench's own test); its figures mean nothing.
   */
  readonly smoke?: boolean;
  /**
   * Only the cases whose name holds this text, where a suite can leave the
   * others out (delivery: one GWEN's cases); other suites run whole.
   */
  readonly only?: string;
  /** Progress lines go here (stderr), so stdout stays the table. */
  readonly log: (line: string) => void;
}

export interface Suite {
  readonly name: string;
  run(options: SuiteOptions): Promise<Figure[]>;
}

/** Figures for `cases` expressed against `baselineCase`, which must be among them. */
export function withRatios(
  figures: readonly Figure[],
  pairs: readonly (readonly [string, string])[],
): Figure[] {
  const byCase = new Map(figures.map((figure) => [figure.case, figure]));
  return figures.map((figure) => {
    const pair = pairs.find(([name]) => name === figure.case);
    const baseline = pair ? byCase.get(pair[1]) : undefined;
    if (!baseline || baseline.value === 0) return figure;
    return { ...figure, baseline: baseline.case, ratio: figure.value / baseline.value };
  });
}
