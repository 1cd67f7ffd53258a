import { Kind, only, type Value } from "./value-kind.js";

/**
 * Fast paths for the built-ins mappings call most, by name, with their
 * usual arguments. A template gives a test of the argument values under
 * which the built-in's result is one JavaScript expression: then the call
 * costs no argument array, no signature check and no call of the
 * implementation. The work the closure compiler charges for the arguments
 * (`weigh`: a string's length, an array's) is charged the same. When the
 * test fails the call is made as the closure compiler makes it, whose
 * checks raise jsonata's errors. Only arities jsonata checks without
 * substituting the context get a template.
 */
export interface FastPath {
  /** When the fast path applies (text over the argument variables). */
  readonly test: string;
  /** What the arguments weigh, charged before the result: an expression, or "" for nothing. */
  readonly charge: string;
  /** The result. */
  readonly result: string;
  readonly kind: number;
}

type Template = (args: readonly Value[]) => readonly FastPath[] | undefined;

const isString = (value: Value) => `typeof ${value.code} === "string"`;
const isNumber = (value: Value) => `typeof ${value.code} === "number"`;
const isUndefined = (value: Value) => `${value.code} === undefined`;
/** A string, or anything when the kinds already say so. */
const string = (value: Value) => (only(value, Kind.string) ? "true" : isString(value));

/** A function of one string (`<s-:s>`), undefined for undefined. */
function ofString(result: (text: string) => string, kind: number): Template {
  return (args) => {
    if (args.length !== 1) return undefined;
    const [text] = args as [Value];
    return [
      { test: string(text), charge: `${text.code}.length`, result: result(text.code), kind },
      { test: isUndefined(text), charge: "", result: "undefined", kind: Kind.undefined },
    ];
  };
}

/** A function of one number (`<n-:n>`), undefined for undefined. */
function ofNumber(result: (value: string) => string): Template {
  return (args) => {
    if (args.length !== 1) return undefined;
    const [value] = args as [Value];
    return [
      { test: isNumber(value), charge: "", result: result(value.code), kind: Kind.number },
      { test: isUndefined(value), charge: "", result: "undefined", kind: Kind.undefined },
    ];
  };
}

const templates: Record<string, Template> = {
  lowercase: ofString((text) => `${text}.toLowerCase()`, Kind.string),
  uppercase: ofString((text) => `${text}.toUpperCase()`, Kind.string),
  trim: ofString((text) => `rt.trim(${text})`, Kind.string),
  length: ofString((text) => `rt.codePointCount(${text})`, Kind.number),
  string: (args) => (args.length === 1 ? ofString((text) => text, Kind.string)(args) : undefined),
  floor: ofNumber((value) => `Math.floor(${value})`),
  ceil: ofNumber((value) => `Math.ceil(${value})`),
  abs: ofNumber((value) => `Math.abs(${value})`),
  round(args) {
    if (args.length === 1)
      return ofNumber((value) => `rt.roundHalfEven(${value}, undefined)`)(args);
    if (args.length !== 2) return undefined;
    const [value, places] = args as [Value, Value];
    const test = `${isNumber(places)} && `;
    return [
      {
        test: test + isNumber(value),
        charge: "",
        result: `rt.roundHalfEven(${value.code}, ${places.code})`,
        kind: Kind.number,
      },
      { test: test + isUndefined(value), charge: "", result: "undefined", kind: Kind.undefined },
    ];
  },
  number(args) {
    if (args.length !== 1) return undefined;
    const [value] = args as [Value];
    return [{ test: isNumber(value), charge: "", result: value.code, kind: Kind.number }];
  },
  sum(args) {
    if (args.length !== 1) return undefined;
    const [values] = args as [Value];
    const v = values.code;
    return [
      // -0 sums to 0, as jsonata's total starting at 0 does
      { test: isNumber(values), charge: "", result: `0 + ${v}`, kind: Kind.number },
      { test: isUndefined(values), charge: "", result: "undefined", kind: Kind.undefined },
      {
        test: `Array.isArray(${v}) && rt.allNumbers(${v})`,
        charge: `${v}.length`,
        result: `rt.sumOf(${v})`,
        kind: Kind.number,
      },
    ];
  },
  count(args) {
    if (args.length !== 1) return undefined;
    const [values] = args as [Value];
    const v = values.code;
    return [
      { test: isUndefined(values), charge: "", result: "0", kind: Kind.number },
      {
        test: `Array.isArray(${v})`,
        charge: `${v}.length`,
        result: `${v}.length`,
        kind: Kind.number,
      },
    ];
  },
  exists(args) {
    if (args.length !== 1) return undefined;
    const [value] = args as [Value];
    const v = value.code;
    return [
      {
        test: `typeof ${v} === "string" || Array.isArray(${v})`,
        charge: `${v}.length`,
        result: "true",
        kind: Kind.boolean,
      },
      { test: "true", charge: "", result: `${v} !== undefined`, kind: Kind.boolean },
    ];
  },
  boolean(args) {
    if (args.length !== 1) return undefined;
    const [value] = args as [Value];
    return [
      {
        test: `typeof ${value.code} === "boolean"`,
        charge: "",
        result: value.code,
        kind: Kind.boolean,
      },
    ];
  },
  not(args) {
    if (args.length !== 1) return undefined;
    const [value] = args as [Value];
    return [
      {
        test: `typeof ${value.code} === "boolean"`,
        charge: "",
        result: `!${value.code}`,
        kind: Kind.boolean,
      },
    ];
  },
  contains(args) {
    if (args.length !== 2) return undefined;
    const [text, token] = args as [Value, Value];
    const test = `${string(token)} && `;
    return [
      {
        test: test + string(text),
        charge: `${text.code}.length + ${token.code}.length`,
        result: `${text.code}.indexOf(${token.code}) !== -1`,
        kind: Kind.boolean,
      },
      {
        test: test + isUndefined(text),
        charge: `${token.code}.length`,
        result: "undefined",
        kind: Kind.undefined,
      },
    ];
  },
  replace(args) {
    if (args.length !== 3) return undefined;
    const [text, pattern, replacement] = args as [Value, Value, Value];
    const p = pattern.code;
    const r = replacement.code;
    const test = `${string(pattern)} && ${p} !== "" && ${string(replacement)} && `;
    return [
      {
        test: test + string(text),
        charge: `${text.code}.length + ${p}.length + ${r}.length`,
        result: `rt.replaceText(${text.code}, ${p}, ${r})`,
        kind: Kind.string,
      },
      {
        test: test + isUndefined(text),
        charge: `${p}.length + ${r}.length`,
        result: "undefined",
        kind: Kind.undefined,
      },
    ];
  },
};

/** The fast paths for a direct call of built-in `name` with these arguments, tried in order. */
export function fastPaths(name: string, args: readonly Value[]): readonly FastPath[] | undefined {
  return Object.hasOwn(templates, name) ? templates[name]!(args) : undefined;
}
