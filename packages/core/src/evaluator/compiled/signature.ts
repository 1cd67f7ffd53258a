import jsonata from "jsonata";
import type { Signature } from "./procedure.js";

/**
 * Argument checking against a jsonata signature such as `<s-nn?:s>`.
 * The common case (every argument present and of its parameter's type) is
 * checked here without allocation; anything else (a missing argument that
 * takes the context, a type error, variadic parameters) goes to jsonata's
 * own validator, so context substitution and T0410/T0411/T0412 errors are
 * exactly jsonata's.
 */
export function parseSignature(definition: string): Signature {
  const parameters = parseParameters(definition);
  const fallback = jsonataValidator(definition);
  const simple = parameters.every((parameter) => !parameter.variadic);
  return {
    validate(args, context) {
      if (simple && args.length <= parameters.length && matchesDirectly(parameters, args)) {
        for (let index = 0; index < args.length; index++) {
          const parameter = parameters[index]!;
          if (parameter.array && !Array.isArray(args[index]) && args[index] !== undefined)
            args[index] = [args[index]];
        }
        return args;
      }
      return fallback.validate(args, context);
    },
  };
}

interface Parameter {
  /** The type symbols this parameter accepts (jsonata's regex character class), as bits. */
  accepts: number;
  array: boolean;
  subtype?: string;
  optional: boolean;
  /** Takes the context value when the argument is missing (`-`). */
  context: boolean;
  variadic: boolean;
  /** Names a function among its types (`f`, `(sf)`): what a built-in calls back. */
  takesFunction: boolean;
}

/**
 * Whether a call with arguments of these types (`typeof` names of literals,
 * undefined for a value that may be anything) may pass a function where
 * the signature takes one: an argument lands on its own parameter or, when
 * jsonata puts the context (or `~>` its left-hand value) first, on the next
 * one, if the literals fit there.
 */
export function mayPassFunction(
  definition: string,
  args: readonly ("string" | "number" | undefined)[],
  shifted: boolean,
): boolean {
  const parameters = parseParameters(definition);
  if (parameters.some((parameter) => parameter.variadic)) return true;
  return (shifted ? [1] : [0, 1]).some((shift) => {
    if (args.length + shift > parameters.length) return false;
    const landing = (index: number) => parameters[index + shift]!;
    const fits = args.every(
      (type, index) =>
        type === undefined || (landing(index).accepts & bits[type === "string" ? "s" : "n"]!) !== 0,
    );
    return fits && args.some((type, index) => type === undefined && landing(index).takesFunction);
  });
}

function matchesDirectly(parameters: readonly Parameter[], args: readonly unknown[]): boolean {
  for (let index = 0; index < parameters.length; index++) {
    const parameter = parameters[index]!;
    if (index >= args.length) {
      if (!parameter.optional || parameter.context) return false;
      continue;
    }
    const arg = args[index];
    if ((parameter.accepts & symbolBit(arg)) === 0) return false;
    if (parameter.subtype !== undefined && arg !== undefined && !itemsMatch(parameter.subtype, arg))
      return false;
  }
  return true;
}

/** Array parameters with an item type (`a<n>`): the cases jsonata accepts without complaint. */
function itemsMatch(subtype: string, arg: unknown): boolean {
  if (!Array.isArray(arg)) return symbolOf(arg) === subtype;
  for (const item of arg) if (symbolOf(item) !== subtype[0]) return false;
  return true;
}

const bits: Record<string, number> = { f: 1, s: 2, n: 4, b: 8, l: 16, a: 32, o: 64, m: 128 };

function symbolBit(value: unknown): number {
  switch (typeof value) {
    case "function":
      return 1;
    case "string":
      return 2;
    case "number":
      return 4;
    case "boolean":
      return 8;
    case "object":
      return value === null ? 16 : Array.isArray(value) ? 32 : 64;
    default:
      return 128;
  }
}

function bitsOf(symbols: string): number {
  let mask = 0;
  for (const symbol of symbols) mask |= bits[symbol] ?? 0;
  return mask;
}

function symbolOf(value: unknown): string {
  switch (typeof value) {
    case "function":
      return "f";
    case "string":
      return "s";
    case "number":
      return "n";
    case "boolean":
      return "b";
    case "object":
      return value === null ? "l" : Array.isArray(value) ? "a" : "o";
    default:
      return "m";
  }
}

const symbolClasses: Record<string, string> = {
  s: "sm",
  n: "nm",
  b: "bm",
  l: "lm",
  o: "om",
  a: "asnblfom",
  f: "f",
  j: "asnblom",
  x: "asnblfom",
};

function parseParameters(definition: string): Parameter[] {
  const parameters: Parameter[] = [];
  const end = definition.indexOf(":") === -1 ? definition.length - 1 : definition.indexOf(":");
  for (let position = 1; position < end; position++) {
    const symbol = definition.charAt(position);
    const previous = parameters[parameters.length - 1];
    if (symbol in symbolClasses) {
      parameters.push({
        accepts: bitsOf(symbolClasses[symbol]!),
        array: symbol === "a",
        optional: false,
        context: false,
        variadic: false,
        takesFunction: symbol === "f",
      });
    } else if (symbol === "(") {
      const close = definition.indexOf(")", position);
      const symbols = definition.slice(position + 1, close);
      parameters.push({
        accepts: bitsOf(`${symbols}m`),
        array: false,
        optional: false,
        context: false,
        variadic: false,
        takesFunction: symbols.includes("f"),
      });
      position = close;
    } else if (symbol === "<" && previous !== undefined) {
      const close = matchingAngle(definition, position);
      if (previous.array) previous.subtype = definition.slice(position + 1, close);
      position = close;
    } else if (symbol === "?" && previous !== undefined) {
      previous.optional = true;
    } else if (symbol === "-" && previous !== undefined) {
      previous.context = true;
    } else if (symbol === "+" && previous !== undefined) {
      previous.variadic = true;
    }
  }
  return parameters;
}

function matchingAngle(text: string, open: number): number {
  let depth = 0;
  for (let position = open; position < text.length; position++) {
    if (text[position] === "<") depth++;
    else if (text[position] === ">" && --depth === 0) return position;
  }
  return text.length;
}

/** jsonata's own validator for a signature, taken from the tree of a lambda declaring it. */
function jsonataValidator(definition: string): Signature {
  const tree = jsonata(`function()${definition}{0}`).ast() as { signature?: Signature };
  if (tree.signature === undefined) throw new Error(`not a signature: ${definition}`);
  return tree.signature;
}
