import { isJsonataError } from "./jsonata-error.js";

/**
 * jsonata evaluates the entries of an array or object constructor
 * concurrently (`Promise.all`), so when two or more of them fail, the error
 * it reports is whichever rejects first, which depends on how many awaits
 * each took. The compiled evaluator cannot tell which that is, so it says
 * so by throwing this, and the evaluation is made again by jsonata's
 * interpreter, whose error is the one reported. With one failing entry the
 * error is that entry's, in both engines.
 */
export class ConcurrentFailures {
  readonly name = "ConcurrentFailures";
  /** The error of the first entry that failed, in the order of the constructor. */
  constructor(readonly first: unknown) {}
}

/**
 * Errors placed at the call site last written onto the function they
 * escaped, where jsonata reads that site after awaiting (an error escaping
 * a lambda, a function that calls function arguments, or a function called
 * through a value rather than by name): in a constructor, another entry
 * evaluated meanwhile by jsonata may have written the site, or not yet.
 */
const placedAfterAwaits = new WeakSet<object>();

export function markPlacedAfterAwaits(error: object): void {
  placedAfterAwaits.add(error);
}

/**
 * An entry of a constructor failed with `error`: evaluate the entries after
 * it (`evaluateRest`), as jsonata does, and throw `error` when none of them
 * fails, `ConcurrentFailures` when one does, or when the constructor has
 * `others` entries and the error's place depends on jsonata's interleaving
 * of them (`markPlacedAfterAwaits`). Running out of time stops at once.
 */
export function failedEntry(error: unknown, evaluateRest: () => void, others: boolean): never {
  if (isTimeout(error) || error instanceof ConcurrentFailures) throw error;
  if (others && typeof error === "object" && error !== null && placedAfterAwaits.has(error))
    throw new ConcurrentFailures(error);
  try {
    evaluateRest();
  } catch (other) {
    if (isTimeout(other) || other instanceof ConcurrentFailures) throw other;
    throw new ConcurrentFailures(error);
  }
  throw error;
}

function isTimeout(error: unknown): boolean {
  return isJsonataError(error) && error.code === "D1012";
}
