import { jsonataError } from "../jsonata-error.js";
import { run } from "../run-state.js";
import type { Implementation } from "./implementation.js";
import { nowWithPicture, pictureFunction } from "./picture-functions.js";

/**
 * Date functions: the ISO 8601 forms written here (the common case, and
 * fast); with a picture or a time zone, jsonata's own implementations.
 */

const iso8601 =
  /^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$/;

export const now: Implementation = (args, depth) =>
  args[0] === undefined && args[1] === undefined
    ? formatIso(run.timestamp)
    : nowWithPicture(args, depth);

export const millis: Implementation = () => run.timestamp;

const toMillisWithPicture = pictureFunction("toMillis");
const fromMillisWithPicture = pictureFunction("fromMillis");

export const toMillis: Implementation = (args, depth) => {
  const [timestamp, picture] = args;
  if (picture !== undefined) return toMillisWithPicture(args, depth);
  if (timestamp === undefined) return undefined;
  if (!iso8601.test(timestamp as string)) throw jsonataError("D3110", { value: timestamp });
  return Date.parse(timestamp as string);
};

export const fromMillis: Implementation = (args, depth) => {
  const [millis, picture, timezone] = args;
  if (picture !== undefined || timezone !== undefined) return fromMillisWithPicture(args, depth);
  return millis === undefined ? undefined : formatIso(millis as number);
};

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
