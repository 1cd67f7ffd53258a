import jsonata from "jsonata";
import { run } from "../run-state.js";
import type { Implementation } from "./implementation.js";

/**
 * The functions that format and parse with XPath pictures ($formatNumber,
 * $formatInteger, $parseInteger, $fromMillis and $toMillis with a picture
 * or a time zone, $now with them) are jsonata's own implementations, taken
 * once from jsonata itself: they are pure, and running jsonata's code gives
 * its results and errors exactly. jsonata hands its functions out only
 * through an evaluation, which is asynchronous: they arrive a few microtasks
 * after this module loads, long before any mapping is loaded, and an
 * evaluation that would need them sooner is left to jsonata's interpreter.
 */

interface JsonataFunction {
  implementation: (this: unknown, ...args: unknown[]) => unknown;
}

const names = ["formatNumber", "formatInteger", "parseInteger", "fromMillis", "toMillis"] as const;
type PictureFunction = (typeof names)[number];

let borrowed: Record<PictureFunction, JsonataFunction> | undefined;

// jsonata hands its picture functions over once, asynchronously, at load.
void jsonata(`{ ${names.map((name) => `"${name}": $${name}`).join(", ")} }`)
  .evaluate({})
  .then((functions: Record<PictureFunction, JsonataFunction>) => {
    borrowed = functions;
  });

/** Thrown when a picture function is called before jsonata handed it over. */
export class PictureFunctionsNotReady {
  readonly name = "PictureFunctionsNotReady";
}

/** What jsonata passes its functions as `this`: `$toMillis` with a picture reads the evaluation's timestamp. */
function focus(): unknown {
  return { environment: { timestamp: new Date(run.timestamp) } };
}

export function pictureFunction(name: PictureFunction): Implementation {
  return (args) => {
    const implementation = borrowed?.[name].implementation;
    if (implementation === undefined) throw new PictureFunctionsNotReady();
    return implementation.apply(focus(), args);
  };
}

/** `$now(picture, timezone)`: the evaluation's instant, formatted by jsonata's `$fromMillis`. */
export const nowWithPicture: Implementation = ([picture, timezone], depth) =>
  pictureFunction("fromMillis")([run.timestamp, picture, timezone], depth);
