/**
 * A copy of a JSON-like value: its arrays and plain objects copied at every
 * level, everything else (strings, numbers, functions passed in) shared.
 * jsonata's interpreter writes into its input (a group-by over an empty
 * array pushes `undefined` into it; `[]` flags an array it returns), so
 * each evaluation it makes gets a copy, and the next mapping of the same
 * event reads the event as it arrived. Walked with a list of pending
 * containers, not recursion: events may nest thousands of levels deep.
 */
export function freshCopy(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const root = emptyLike(value);
  const pending: [source: object, target: object][] = [[value, root]];
  while (pending.length > 0) {
    const [source, target] = pending.pop()!;
    if (Array.isArray(source)) {
      const items = target as unknown[];
      for (let index = 0; index < source.length; index++)
        items.push(copyOne(source[index], pending));
      continue;
    }
    for (const key of Object.keys(source)) {
      const item = copyOne((source as Record<string, unknown>)[key], pending);
      if (key === "__proto__")
        Object.defineProperty(target, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else (target as Record<string, unknown>)[key] = item;
    }
  }
  return root;
}

function copyOne(value: unknown, pending: [object, object][]): unknown {
  if (value === null || typeof value !== "object") return value;
  const copy = emptyLike(value);
  pending.push([value, copy]);
  return copy;
}

function emptyLike(value: object): object {
  return Array.isArray(value) ? [] : {};
}
