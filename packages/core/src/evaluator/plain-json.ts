/**
 * jsonata hands back values that are JSON-like but not plain: arrays flagged
 * as sequences (`sequence`, `keepSingleton`, `outerWrapper`, see jsonata
 * issue #296), objects without a prototype, functions and `undefined` inside
 * containers. Payloads must be ordinary JSON data, so every result passes
 * through here once.
 *
 * - `undefined` object fields are dropped, `undefined` array items removed;
 * - functions (lambdas) become `undefined`, as in JSON.stringify;
 * - non-finite numbers cannot come out of jsonata (it raises D1001), so they are kept as they are.
 */
export function toPlainJson(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    return typeof value === "function" ? undefined : value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      const plain = toPlainJson(item);
      if (plain !== undefined) out.push(plain);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const plain = toPlainJson((value as Record<string, unknown>)[key]);
    if (plain === undefined) continue;
    if (key === "__proto__") {
      Object.defineProperty(out, key, {
        value: plain,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = plain;
    }
  }
  return out;
}
