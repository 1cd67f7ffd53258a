import { InvalidOptionError } from "../errors.js";

/** Options of `AdaptiveConcurrency`; only `maxConcurrency` is worth changing. */
export interface AdaptiveConcurrencyOptions {
  /** The ceiling: the limit never grows above it (default 1024). */
  maxConcurrency?: number;
  /** The limit at the start (default 32, twice a fixed setting's old default; slow start doubles it). */
  initialConcurrency?: number;
  /** The share of the limit kept when it shrinks, above 0 and below 1 (default 0.9). */
  decreaseRatio?: number;
  /** The weight of a new interval's round trip in the moving average, above 0 and below 1 (default 0.4). */
  ewmaAlpha?: number;
  /** How many moving standard deviations above the average count as rising latency (default 2.5). */
  rttDeviationScale?: number;
  /** The least time in ms a slow start's round takes, so how often at most the limit doubles (default 150). */
  slowStartRoundMs?: number;
  /** The clock, in ms (default `performance.now`); tests pass their own. */
  now?: () => number;
}

/**
 * The defaults: Vector's for the ratio, the weight and the scale (chosen
 * there by simulation). Vector starts at 1 under a ceiling of 200; here the
 * slow start begins at 32 (twice what gwenmap held fixed before: its rounds
 * of 150 ms make each level cost more time) and may reach 1,024, since a
 * GWEN 50 ms away needs several hundred requests in flight before the
 * server's own cores are the limit (see bench/README.md).
 */
export const ADAPTIVE_DEFAULTS = {
  maxConcurrency: 1024,
  initialConcurrency: 32,
  decreaseRatio: 0.9,
  ewmaAlpha: 0.4,
  rttDeviationScale: 2.5,
  slowStartRoundMs: 150,
} as const;

export type ResolvedAdaptiveOptions = Required<AdaptiveConcurrencyOptions>;

/** Fills in defaults; throws `InvalidOptionError` naming the option out of range. */
export function resolveAdaptiveOptions(
  options: AdaptiveConcurrencyOptions,
): ResolvedAdaptiveOptions {
  const value = (name: keyof typeof ADAPTIVE_DEFAULTS) => options[name] ?? ADAPTIVE_DEFAULTS[name];
  return {
    maxConcurrency: check("maxConcurrency", value("maxConcurrency"), WHOLE),
    initialConcurrency: check("initialConcurrency", value("initialConcurrency"), WHOLE),
    decreaseRatio: check("decreaseRatio", value("decreaseRatio"), FRACTION),
    ewmaAlpha: check("ewmaAlpha", value("ewmaAlpha"), FRACTION),
    rttDeviationScale: check("rttDeviationScale", value("rttDeviationScale"), NON_NEGATIVE),
    slowStartRoundMs: check("slowStartRoundMs", value("slowStartRoundMs"), NON_NEGATIVE),
    now: options.now ?? (() => performance.now()),
  };
}

interface Range {
  readonly accepts: (value: number) => boolean;
  readonly description: string;
}

const WHOLE: Range = {
  accepts: (value) => Number.isInteger(value) && value >= 1,
  description: "a whole number of at least 1",
};
const FRACTION: Range = {
  accepts: (value) => value > 0 && value < 1,
  description: "a number above 0 and below 1",
};
const NON_NEGATIVE: Range = {
  accepts: (value) => Number.isFinite(value) && value >= 0,
  description: "a number of at least 0",
};

function check(name: string, value: number, range: Range): number {
  if (!range.accepts(value)) {
    throw new InvalidOptionError(
      "E_INVALID_OPTION",
      `${name} must be ${range.description}, not ${String(value)}.`,
    );
  }
  return value;
}
