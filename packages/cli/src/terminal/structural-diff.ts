import { diffLinesUnified } from "jest-diff";
import type { Colors } from "./colors.js";

const SHOW_WHOLE_LINES = 60;

export interface DiffLabels {
  readonly expected: string;
  readonly actual: string;
}

/**
 * A line diff of two JSON values, with object keys sorted at every level so
 * that only real differences show (key order never matters in a payload).
 * An absent side (`undefined`) shows the other side whole.
 */
export function structuralDiff(
  expected: unknown,
  actual: unknown,
  options: { labels: DiffLabels; colors: Colors },
): string {
  const { labels, colors } = options;
  const before = linesOf(expected);
  const after = linesOf(actual);
  return diffLinesUnified(before, after, {
    aAnnotation: labels.expected,
    bAnnotation: labels.actual,
    aColor: colors.red,
    bColor: colors.green,
    commonColor: colors.dim,
    changeColor: colors.inverse,
    patchColor: colors.yellow,
    changeLineTrailingSpaceColor: (text) => text,
    commonLineTrailingSpaceColor: (text) => text,
    contextLines: 5,
    // Whole payloads read best; only long ones are cut to the changes and their context.
    expand: Math.max(before.length, after.length) <= SHOW_WHOLE_LINES,
  });
}

function linesOf(value: unknown): string[] {
  return value === undefined ? [] : JSON.stringify(sortKeys(value), null, 2).split("\n");
}

/** The same value with every object's keys in alphabetical order. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return sorted;
}
