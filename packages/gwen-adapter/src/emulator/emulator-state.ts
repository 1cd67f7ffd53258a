import { EmulatorError } from "../errors.js";
import { EmulatorStats } from "./emulator-stats.js";
import { type EmulatorFaults, validateFaults } from "./faults.js";
import { type RecordedRequest, Recorder } from "./recorder.js";

/** The emulator's API key when none is configured. */
export const DEFAULT_EMULATOR_API_KEY = "gwen-emulator-key";

/** The mutable state shared by the emulator's routes: keys, faults, records, counters. */
export class EmulatorState {
  readonly stats = new EmulatorStats();
  readonly recorder: Recorder;
  readonly record: boolean;
  readonly onRequest: ((request: RecordedRequest) => void) | undefined;
  #faults: EmulatorFaults = {};
  #rejectedUserIds: ReadonlySet<string> = new Set();
  #apiKeys: ReadonlySet<string> = new Set([DEFAULT_EMULATOR_API_KEY]);
  #window = { second: 0, count: 0 };

  constructor(options: {
    record: boolean;
    recordLimit: number | undefined;
    onRequest: ((request: RecordedRequest) => void) | undefined;
  }) {
    this.record = options.record;
    this.recorder = new Recorder(options.recordLimit);
    this.onRequest = options.onRequest;
  }

  get faults(): Readonly<EmulatorFaults> {
    return this.#faults;
  }

  /** Replaces every fault; throws `EmulatorError` (`E_INVALID_FAULTS`) listing each problem. */
  setFaults(faults: unknown): void {
    const result = validateFaults(faults);
    if (!result.ok) {
      throw new EmulatorError(
        "E_INVALID_FAULTS",
        `Invalid emulator faults: ${result.errors.join("; ")}.`,
      );
    }
    this.#faults = result.faults;
    this.#rejectedUserIds = new Set(result.faults.rejectUserIds ?? []);
  }

  isRejectedUser(userId: unknown): boolean {
    return typeof userId === "string" && this.#rejectedUserIds.has(userId);
  }

  /** Replaces the accepted API keys; throws `EmulatorError` when the list is not non-empty strings. */
  setApiKeys(keys: unknown): void {
    if (!Array.isArray(keys) || keys.some((key) => typeof key !== "string" || key === "")) {
      throw new EmulatorError(
        "E_INVALID_API_KEYS",
        "apiKeys must be an array of non-empty strings.",
      );
    }
    this.#apiKeys = new Set(keys as string[]);
  }

  isAcceptedKey(key: string | undefined): boolean {
    return key !== undefined && this.#apiKeys.has(key);
  }

  /** Whether this request is one of the `failNext` ones (and counts it down). */
  takeFailNext(): boolean {
    const remaining = this.#faults.failNext ?? 0;
    if (remaining <= 0) return false;
    this.#faults = { ...this.#faults, failNext: remaining - 1 };
    return true;
  }

  /** Counts a request against `maxRps` in the current one-second window; false when over it. */
  admitWithinRps(now: number): boolean {
    const limit = this.#faults.maxRps;
    if (limit === undefined) return true;
    const second = Math.floor(now / 1000);
    if (second !== this.#window.second) this.#window = { second, count: 0 };
    this.#window.count += 1;
    return this.#window.count <= limit;
  }
}
