/**
 * About how many characters `value` takes as JSON, counted only until it
 * passes `limit`: answers that count once it is over (so a huge payload costs
 * no more than `limit` to measure), or undefined when it is within. Strings
 * count their length and quotes (escapes are not counted), integers their
 * digits, other numbers the longest they can be written (no string is made to
 * measure them), containers their brackets and separators.
 */
export function jsonSizeOver(value: unknown, limit: number): number | undefined {
  const size = measure(value, 0, limit);
  return size > limit ? size : undefined;
}

function measure(value: unknown, size: number, limit: number): number {
  if (size > limit) return size;
  switch (typeof value) {
    case "string":
      return size + value.length + 2;
    case "number":
      return size + numberChars(value);
    case "boolean":
      return size + (value ? 4 : 5);
    case "object":
      if (value === null) return size + 4;
      if (Array.isArray(value)) {
        // Brackets, and a comma between items (undefined items are written as null).
        let total = size + 2;
        for (let index = 0; index < value.length; index++) {
          const item = value[index];
          const before = total + (index > 0 ? 1 : 0);
          total = item === undefined ? before + 4 : measure(item, before, limit);
          if (total > limit) return total;
        }
        return total;
      }
      return measureObject(value as Record<string, unknown>, size, limit);
    default:
      // undefined and functions are left out of JSON.
      return size;
  }
}

function measureObject(value: Record<string, unknown>, size: number, limit: number): number {
  let total = size + 1;
  let members = 0;
  for (const key in value) {
    const member = value[key];
    if (!Object.hasOwn(value, key) || member === undefined || typeof member === "function")
      continue;
    // The key in quotes, a colon, and a comma before every member but the first.
    total = measure(member, total + key.length + 3 + (members > 0 ? 1 : 0), limit);
    members += 1;
    if (total > limit) return total;
  }
  return total + 1;
}

/** The longest a JavaScript number is written in JSON (`-1.2345678901234567e-308`). */
const LONGEST_NUMBER = 24;

function numberChars(value: number): number {
  if (!Number.isSafeInteger(value)) return LONGEST_NUMBER;
  let digits = value < 0 ? 2 : 1;
  for (let rest = Math.abs(value); rest >= 10; rest = Math.floor(rest / 10)) digits += 1;
  return digits;
}
