/**
 * Faults the emulator injects, for tests and benchmarks. Every `...Rate` is
 * the share (0 to 1) of GraphQL requests that get the fault; each is drawn
 * independently, in the order listed here. All fields are optional.
 */
export interface EmulatorFaults {
  /** Delay added before every GraphQL answer, in ms. */
  latencyMs?: number;
  /** Connection destroyed without any answer. */
  dropRate?: number;
  /** Never answered (the client's headers timeout fires). */
  stallRate?: number;
  /** Hard limit of GraphQL requests per second; above it the answer is 429 with `Retry-After: 1`. */
  maxRps?: number;
  /** Answered 429 with `Retry-After` (see `retryAfterSeconds`, `retryAfterFormat`). */
  rateLimitRate?: number;
  /** The `Retry-After` of `rateLimitRate` answers, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** `Retry-After` as delay-seconds (default) or as an HTTP date. */
  retryAfterFormat?: "seconds" | "date";
  /** Answered with `errorStatus` (default 503) and a JSON error body. */
  errorRate?: number;
  /** The next N GraphQL requests are answered with `errorStatus`; counts down to 0 (a storm that ends). */
  failNext?: number;
  /** The status of `errorRate` answers: 500, 501, 400, 408, 423, ... (400 to 599). */
  errorStatus?: number;
  /** Each mutation fails with a GraphQL error in a 200 answer (per alias in a batch). */
  graphqlErrorRate?: number;
  /** Mutations for these user ids fail with a GraphQL error: deterministic per-alias failures. */
  rejectUserIds?: string[];
  /** Executed and recorded, then the connection is destroyed halfway through the answer's body. */
  resetRate?: number;
  /** Executed and recorded, then the answer's body trickles one byte per `slowBodyIntervalMs`. */
  slowBodyRate?: number;
  /** Pause between the bytes of a slow body, in ms (default 1000). */
  slowBodyIntervalMs?: number;
}

type FieldCheck = (value: unknown) => string | undefined;

const rate: FieldCheck = (value) =>
  typeof value === "number" && value >= 0 && value <= 1
    ? undefined
    : "must be a number from 0 to 1";
const nonNegative: FieldCheck = (value) =>
  typeof value === "number" && Number.isFinite(value) && value >= 0
    ? undefined
    : "must be a number of at least 0";
const positive: FieldCheck = (value) =>
  typeof value === "number" && Number.isFinite(value) && value > 0
    ? undefined
    : "must be a number above 0";

const CHECKS: Readonly<Record<keyof EmulatorFaults, FieldCheck>> = {
  latencyMs: nonNegative,
  dropRate: rate,
  stallRate: rate,
  maxRps: positive,
  rateLimitRate: rate,
  retryAfterSeconds: (value) =>
    Number.isInteger(value) && (value as number) >= 0
      ? undefined
      : "must be a whole number of at least 0",
  retryAfterFormat: (value) =>
    value === "seconds" || value === "date" ? undefined : 'must be "seconds" or "date"',
  errorRate: rate,
  failNext: (value) =>
    Number.isInteger(value) && (value as number) >= 0
      ? undefined
      : "must be a whole number of at least 0",
  errorStatus: (value) =>
    Number.isInteger(value) && (value as number) >= 400 && (value as number) <= 599
      ? undefined
      : "must be an HTTP status from 400 to 599",
  graphqlErrorRate: rate,
  rejectUserIds: (value) =>
    Array.isArray(value) && value.every((id) => typeof id === "string")
      ? undefined
      : "must be an array of strings",
  resetRate: rate,
  slowBodyRate: rate,
  slowBodyIntervalMs: positive,
};

/** The names of every fault field, in the order they are applied. */
export const FAULT_FIELDS = Object.keys(CHECKS) as (keyof EmulatorFaults)[];

/**
 * Checks a faults object (from options, `POST /_emulator/faults` or CLI flags):
 * the faults, or every problem as `field: what is wrong`.
 */
export function validateFaults(
  input: unknown,
): { ok: true; faults: EmulatorFaults } | { ok: false; errors: string[] } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: ["faults must be a JSON object"] };
  }
  const errors: string[] = [];
  for (const [field, value] of Object.entries(input)) {
    const check = CHECKS[field as keyof EmulatorFaults];
    if (!check) {
      errors.push(`${field}: unknown fault (known: ${FAULT_FIELDS.join(", ")})`);
      continue;
    }
    if (value === undefined) continue;
    const problem = check(value);
    if (problem) errors.push(`${field}: ${problem}, not ${JSON.stringify(value)}`);
  }
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, faults: { ...input } as EmulatorFaults };
}
