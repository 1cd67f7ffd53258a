import { AdaptiveConcurrency } from "./adaptive-concurrency.js";
import type { AdaptiveConcurrencyOptions } from "./adaptive-options.js";
import type { ConcurrencyLimit } from "./concurrency-limit.js";
import { FixedConcurrency } from "./fixed-concurrency.js";

/** How requests in flight are limited: learned up to a ceiling, or held at a number. */
export type ConcurrencySetting =
  | { readonly mode: "adaptive"; readonly maxConcurrency: number }
  | { readonly mode: "fixed"; readonly concurrency: number };

/** The limit a setting asks for; throws `InvalidOptionError` for a number out of range. */
export function createConcurrencyLimit(
  setting: ConcurrencySetting,
  options: Omit<AdaptiveConcurrencyOptions, "maxConcurrency"> = {},
): ConcurrencyLimit {
  return setting.mode === "fixed"
    ? new FixedConcurrency(setting.concurrency)
    : new AdaptiveConcurrency({ ...options, maxConcurrency: setting.maxConcurrency });
}

/** The most requests in flight a setting ever allows: size connection pools by it. */
export function concurrencyCeiling(setting: ConcurrencySetting): number {
  return setting.mode === "fixed" ? setting.concurrency : setting.maxConcurrency;
}
