/**
 * JSONata's boolean cast (`$boolean`), which decides whether a trigger fired:
 * a trigger such as `properties.coupon` fires when the coupon is a non-empty string.
 * An array is true when any item is (a single item decides alone), however
 * deeply arrays nest: so the walk flattens them with a list of pending
 * values rather than recursion, which event data nested thousands of
 * levels deep would overflow.
 */
export function isTruthy(value: unknown): boolean {
  if (!Array.isArray(value)) return isTruthyItem(value);
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index--) pending.push(item[index]);
    } else if (isTruthyItem(item)) {
      return true;
    }
  }
  return false;
}

function isTruthyItem(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return value.length > 0;
    case "number":
      return value !== 0;
    case "boolean":
      return value;
    case "object":
      return value !== null && Object.keys(value).length > 0;
    default:
      return false;
  }
}
