/**
 * JSONata's boolean cast (`$boolean`), which decides whether a trigger fired:
 * a trigger such as `properties.coupon` fires when the coupon is a non-empty string.
 */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) {
    if (value.length === 1) return isTruthy(value[0]);
    return value.some(isTruthy);
  }
  switch (typeof value) {
    case "string":
      return value.length > 0;
    case "number":
      return value !== 0;
    case "boolean":
      return value;
    case "function":
      return false;
    case "object":
      return Object.keys(value).length > 0;
    default:
      return false;
  }
}
