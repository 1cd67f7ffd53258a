import { type EmulatorFaults, validateFaults } from "@gwenmap/gwen-adapter/emulator";
import type { StringArgDef } from "citty";
import { UsageError } from "../errors.js";

type FaultField = keyof EmulatorFaults;

/** How each fault is given on the command line; the compiler checks that every fault has one. */
const faultFlags: Record<
  FaultField,
  { flag: string; kind: "number" | "text" | "list"; help: string }
> = {
  latencyMs: {
    flag: "latency-ms",
    kind: "number",
    help: "Delay before every answer, in ms (e.g. --latency-ms 50)",
  },
  dropRate: {
    flag: "drop-rate",
    kind: "number",
    help: "Share of requests whose connection is dropped without an answer (e.g. --drop-rate 0.01)",
  },
  stallRate: {
    flag: "stall-rate",
    kind: "number",
    help: "Share of requests never answered (e.g. --stall-rate 0.01)",
  },
  maxRps: {
    flag: "max-rps",
    kind: "number",
    help: "Most requests per second; above it 429 with Retry-After: 1 (e.g. --max-rps 500)",
  },
  rateLimitRate: {
    flag: "rate-limit-rate",
    kind: "number",
    help: "Share answered 429 with Retry-After (e.g. --rate-limit-rate 0.1)",
  },
  retryAfterSeconds: {
    flag: "retry-after-seconds",
    kind: "number",
    help: "The Retry-After of those 429 answers, default 1 (e.g. --retry-after-seconds 2)",
  },
  retryAfterFormat: {
    flag: "retry-after-format",
    kind: "text",
    help: "Retry-After as seconds or as an HTTP date (e.g. --retry-after-format date)",
  },
  errorRate: {
    flag: "error-rate",
    kind: "number",
    help: "Share answered with --error-status (e.g. --error-rate 0.2)",
  },
  failNext: {
    flag: "fail-next",
    kind: "number",
    help: "Answer the next N requests with --error-status, then recover (e.g. --fail-next 100)",
  },
  errorStatus: {
    flag: "error-status",
    kind: "number",
    help: "Status of --error-rate and --fail-next answers, default 503 (e.g. --error-status 500)",
  },
  graphqlErrorRate: {
    flag: "graphql-error-rate",
    kind: "number",
    help: "Share of mutations failing with a GraphQL error in a 200 answer (e.g. --graphql-error-rate 0.05)",
  },
  rejectUserIds: {
    flag: "reject-user-ids",
    kind: "list",
    help: "Comma-separated user ids whose mutations fail with a GraphQL error (e.g. --reject-user-ids 8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d)",
  },
  resetRate: {
    flag: "reset-rate",
    kind: "number",
    help: "Share run and recorded, then reset halfway through the answer (e.g. --reset-rate 0.01)",
  },
  slowBodyRate: {
    flag: "slow-body-rate",
    kind: "number",
    help: "Share run and recorded, then answered one byte at a time (e.g. --slow-body-rate 0.01)",
  },
  slowBodyIntervalMs: {
    flag: "slow-body-interval-ms",
    kind: "number",
    help: "Pause between the bytes of a slow answer, default 1000 (e.g. --slow-body-interval-ms 200)",
  },
};

/** The citty options of every fault, for `gwenmap emulator`. */
export function faultArgs(): Record<string, StringArgDef> {
  const args: Record<string, StringArgDef> = {};
  for (const { flag, help } of Object.values(faultFlags)) {
    args[flag] = { type: "string", description: help };
  }
  return args;
}

/** A check per fault option, so each bad value is reported where it is on the command line. */
export function faultChecks(): Record<string, (value: string) => unknown> {
  const checks: Record<string, (value: string) => unknown> = {};
  for (const { flag } of Object.values(faultFlags)) {
    checks[flag] = (value) => faultsFrom({ [flag]: value });
  }
  return checks;
}

/** The faults given on the command line, checked by the adapter; a bad value is a usage error. */
export function faultsFrom(args: Readonly<Record<string, unknown>>): EmulatorFaults {
  const input: Record<string, unknown> = {};
  for (const [field, { flag, kind }] of Object.entries(faultFlags)) {
    const value = args[flag];
    if (typeof value !== "string") continue;
    input[field] =
      kind === "number"
        ? Number(value)
        : kind === "list"
          ? value
              .split(",")
              .map((id) => id.trim())
              .filter(Boolean)
          : value;
  }
  const checked = validateFaults(input);
  if (!checked.ok) {
    const problems = checked.errors.map((error) => `--${flagOf(error)}`).join("; ");
    throw new UsageError(`invalid fault options: ${problems}`);
  }
  return checked.faults;
}

/** `errorRate: must be ...` becomes `error-rate: must be ...`. */
function flagOf(error: string): string {
  const [field = "", ...rest] = error.split(":");
  const flag = faultFlags[field as FaultField]?.flag ?? field;
  return [flag, ...rest].join(":");
}
