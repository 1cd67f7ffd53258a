const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Reads a duration as written in an environment variable: `500ms`, `90s`,
 * `30m`, `4h`, `1d`, or a plain number of seconds. Answers milliseconds, or
 * undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNITS[(match[2] ?? "s").toLowerCase()] ?? 1_000;
  return Math.round(Number(match[1]) * unit);
}
