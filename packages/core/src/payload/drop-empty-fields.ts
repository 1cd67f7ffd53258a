type Schema = Readonly<Record<string, unknown>>;

/**
 * Segment's pipeline drops top-level payload fields that are `null` or the
 * empty string before it validates, unless the field's schema allows null.
 * Doing the same keeps the shipped mappings request-for-request identical to
 * the Segment destination (an identify without `context.ip` sends no `ip`).
 * Returns the payload itself when nothing is dropped.
 */
export function dropEmptyFields(
  payload: Record<string, unknown>,
  schema: Schema,
): Record<string, unknown> {
  let result: Record<string, unknown> | undefined;
  // for...in allocates nothing; an inherited key (a polluted prototype) is not the payload's
  for (const key in payload) {
    const value = payload[key];
    if (value !== "" && value !== null) continue;
    if (!Object.hasOwn(payload, key) || (value === null && allowsNull(schema, key))) continue;
    result ??= { ...payload };
    delete result[key];
  }
  return result ?? payload;
}

function allowsNull(schema: Schema, key: string): boolean {
  const properties = schema.properties as Record<string, Schema> | undefined;
  const field = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
  const type = field?.type;
  return type === "null" || (Array.isArray(type) && type.includes("null"));
}
