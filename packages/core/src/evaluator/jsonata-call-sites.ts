import jsonata from "jsonata";

/** jsonata's built-in functions: one object each, shared by every expression in the process. */
// biome-ignore format: a list of names reads best packed
const BUILTIN_NAMES = [
  "sum", "count", "max", "min", "average", "string", "substring", "substringBefore",
  "substringAfter", "lowercase", "uppercase", "length", "trim", "pad", "match", "contains",
  "replace", "split", "join", "formatNumber", "formatBase", "formatInteger", "parseInteger",
  "number", "floor", "ceil", "round", "abs", "sqrt", "power", "random", "boolean", "not", "map",
  "zip", "filter", "single", "reduce", "sift", "keys", "lookup", "append", "exists", "spread",
  "merge", "reverse", "each", "error", "assert", "type", "sort", "shuffle", "distinct",
  "base64encode", "base64decode", "encodeUrlComponent", "encodeUrl", "decodeUrlComponent",
  "decodeUrl", "eval", "toMillis", "fromMillis", "clone",
] as const;

/** The call site jsonata writes onto a function object each time a call by name invokes it. */
interface CallSite {
  position?: number;
  token?: string;
}

/** Clears jsonata's built-in call sites: see `callSiteEraser`. */
export interface CallSiteEraser {
  forget(): void;
}

let eraser: Promise<CallSiteEraser> | undefined;

/**
 * jsonata writes where a built-in was last called, and by what name, onto
 * its one function object, and places an error escaping a built-in applied
 * through a value (`x ~> $uppercase`) there: at a call of another
 * expression, or of an earlier event, however long ago. `forget` clears
 * them (the name is the built-in's own), so that right before an
 * evaluation by jsonata's interpreter an error's place depends on the
 * expression and its input only, as in the compiled evaluator. Evaluations
 * that interleave (jsonata awaits) can still write each other's sites: only
 * the interpreter's shared objects could prevent that. Made once: the
 * built-ins are collected at the first call.
 */
export function callSiteEraser(): Promise<CallSiteEraser> {
  eraser ??= collectBuiltins().then((sites) => ({
    forget() {
      for (const [name, site] of sites) {
        delete site.position;
        site.token = name;
      }
    },
  }));
  return eraser;
}

/** The built-in function objects, as jsonata hands them out (`$uppercase` evaluates to one). */
async function collectBuiltins(): Promise<readonly (readonly [string, CallSite])[]> {
  const listed = `[${BUILTIN_NAMES.map((name) => `$${name}`).join(", ")}]`;
  const objects = (await jsonata(listed).evaluate(undefined)) as unknown[];
  return BUILTIN_NAMES.flatMap((name, index) => {
    const object = objects[index];
    return typeof object === "object" && object !== null
      ? [[name, object as CallSite] as const]
      : [];
  });
}
