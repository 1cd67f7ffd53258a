import { jsonataError } from "../jsonata-error.js";
import { run } from "../run-state.js";
import type { Implementation } from "./implementation.js";

/**
 * Date functions in their ISO 8601 forms only; pictures and time zones
 * (jsonata's XPath formatting) are left to jsonata: calls with them are
 * not compiled.
 */

const iso8601 =
  /^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$/;

export const now: Implementation = () => formatIso(run.timestamp);

export const millis: Implementation = () => run.timestamp;

export const toMillis: Implementation = ([timestamp]) => {
  if (timestamp === undefined) return undefined;
  if (!iso8601.test(timestamp as string)) throw jsonataError("D3110", { value: timestamp });
  return Date.parse(timestamp as string);
};

export const fromMillis: Implementation = ([millis]) =>
  millis === undefined ? undefined : formatIso(millis as number);

/** jsonata's default picture `[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]`, in UTC. */
function formatIso(millis: number): string {
  const date = new Date(millis);
  const pad = (value: number, width: number) =>
    value < 0 ? `-${String(-value).padStart(width, "0")}` : String(value).padStart(width, "0");
  // the year is cut to its last four digits, as the picture's width says
  return (
    `${pad(date.getUTCFullYear() % 10_000, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `.${pad(date.getUTCMilliseconds(), 3)}Z`
  );
}
