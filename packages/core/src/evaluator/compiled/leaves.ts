/**
 * Visit, in order, every value inside `value` that is not an array, however
 * deeply arrays nest in it (a value that is not an array is its own only
 * leaf). Walked with a list of pending items, not recursion: event data may
 * nest arrays thousands of levels deep. Returns how many items it looked at,
 * arrays included, for the time limit to charge.
 */
export function forEachLeaf(value: unknown, visit: (leaf: unknown) => void): number {
  if (!Array.isArray(value)) {
    visit(value);
    return 1;
  }
  let visited = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    visited++;
    if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index--) pending.push(item[index]);
    } else {
      visit(item);
    }
  }
  return visited;
}
