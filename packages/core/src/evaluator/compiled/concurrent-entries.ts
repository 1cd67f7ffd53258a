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
 * An entry of a constructor failed with `error`: evaluate the entries after
 * it (`evaluateRest`), as jsonata does, and throw `error` when none of them
 * fails, `ConcurrentFailures` when one does. Running out of time stops at once.
 */
export function failedEntry(error: unknown, evaluateRest: () => void): never {
  if (isTimeout(error) || error instanceof ConcurrentFailures) throw error;
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
