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
 *
 * Parts that are plain already (ordinary objects and unflagged arrays with
 * nothing to drop, typically whole subtrees of the event such as
 * `properties`) are returned as they are rather than copied: the result may
 * share them with the input, which is never modified.
 */
export function toPlainJson(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    return typeof value === "function" ? undefined : value;
  }
  // Checking first costs no allocation, and most results are plain (subtrees of the event) or nearly.
  if (isPlain(value)) return value;
  if (Array.isArray(value)) return plainArray(value);
  return plainObject(value as Record<string, unknown>);
}

/** True when `value` is JSON data already: nothing to drop, no flags, ordinary prototypes. */
function isPlain(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value === "object") {
    return Array.isArray(value) ? isPlainArray(value) : isPlainObject(value as object);
  }
  return isPlainScalar(value);
}

// The walk is written out per container and per item, since it runs over every payload.
function isPlainObject(value: object): boolean {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  // for...in walks the enum cache without allocating; an inherited key (a polluted prototype) is
  // only looked at, never copied, since a plain value is returned as it is.
  for (const key in value) if (!isPlainItem((value as Record<string, unknown>)[key])) return false;
  return true;
}

function isPlainArray(value: unknown[]): boolean {
  if (isFlagged(value)) return false;
  for (let index = 0; index < value.length; index++) if (!isPlainItem(value[index])) return false;
  return true;
}

function isPlainItem(item: unknown): boolean {
  if (typeof item !== "object") return isPlainScalar(item);
  if (item === null) return true;
  return Array.isArray(item) ? isPlainArray(item) : isPlainObject(item);
}

function isPlainScalar(value: unknown): boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function plainArray(value: unknown[]): unknown[] {
  // jsonata's flags (own properties on the array) must not survive: a flagged array is always copied
  let out: unknown[] | undefined = isFlagged(value) ? value.slice(0, 0) : undefined;
  const length = value.length;
  for (let index = 0; index < length; index++) {
    const item = value[index];
    const plain = toPlainJson(item);
    if (plain === item && plain !== undefined) {
      out?.push(plain);
      continue;
    }
    out ??= value.slice(0, index);
    if (plain !== undefined) out.push(plain);
  }
  return out ?? value;
}

function isFlagged(value: unknown[]): boolean {
  const flags = value as {
    sequence?: unknown;
    keepSingleton?: unknown;
    outerWrapper?: unknown;
    tupleStream?: unknown;
  };
  return (
    flags.sequence !== undefined ||
    flags.keepSingleton !== undefined ||
    flags.outerWrapper !== undefined ||
    flags.tupleStream !== undefined ||
    Object.getPrototypeOf(value) !== Array.prototype
  );
}

function plainObject(value: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined =
    Object.getPrototypeOf(value) === Object.prototype ? undefined : {};
  const keys = Object.keys(value);
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index]!;
    const item = value[key];
    const plain = toPlainJson(item);
    if (plain === item && plain !== undefined) {
      if (out) setField(out, key, plain);
      continue;
    }
    if (!out) {
      out = {};
      for (let before = 0; before < index; before++) {
        const earlier = keys[before]!;
        setField(out, earlier, value[earlier]);
      }
    }
    if (plain !== undefined) setField(out, key, plain);
  }
  return out ?? value;
}

function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    out[key] = value;
  }
}
