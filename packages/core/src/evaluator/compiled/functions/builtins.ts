import { type AstNode, decline } from "../ast.js";
import type { CompileContext } from "../compile-node.js";
import { createProcedure, type Procedure, type Signature } from "../procedure.js";
import { mayPassFunction, parseSignature } from "../signature.js";
import * as collections from "./collection-functions.js";
import * as dates from "./date-functions.js";
import * as higherOrder from "./higher-order-functions.js";
import type { Implementation } from "./implementation.js";
import * as numeric from "./numeric-functions.js";
import { pictureFunction } from "./picture-functions.js";
import * as strings from "./string-functions.js";

interface Definition {
  readonly implementation: Implementation;
  /** jsonata's signature for the function. */
  readonly signature: string;
  /** The length of jsonata's JavaScript implementation, which callbacks' arity is read from. */
  readonly arity: number;
}

const define = (implementation: Implementation, signature: string, arity: number): Definition => ({
  implementation,
  signature,
  arity,
});

const definitions: Record<string, Definition> = {
  sum: define(collections.sum, "<a<n>:n>", 1),
  count: define(collections.count, "<a:n>", 1),
  max: define(collections.max, "<a<n>:n>", 1),
  min: define(collections.min, "<a<n>:n>", 1),
  average: define(collections.average, "<a<n>:n>", 1),
  string: define(strings.string, "<x-b?:s>", 1),
  substring: define(strings.substring, "<s-nn?:s>", 3),
  substringBefore: define(strings.substringBefore, "<s-s:s>", 2),
  substringAfter: define(strings.substringAfter, "<s-s:s>", 2),
  lowercase: define(strings.lowercase, "<s-:s>", 1),
  uppercase: define(strings.uppercase, "<s-:s>", 1),
  length: define(strings.length, "<s-:n>", 1),
  trim: define(strings.trim, "<s-:s>", 1),
  pad: define(strings.pad, "<s-ns?:s>", 3),
  contains: define(strings.contains, "<s-(sf):b>", 2),
  match: define(strings.match, "<s-f<s:o>n?:a<o>>", 3),
  replace: define(strings.replace, "<s-(sf)(sf)n?:s>", 4),
  split: define(strings.split, "<s-(sf)n?:a<s>>", 3),
  join: define(strings.join, "<a<s>s?:s>", 2),
  formatBase: define(numeric.formatBase, "<n-n?:s>", 2),
  formatNumber: define(pictureFunction("formatNumber"), "<n-so?:s>", 3),
  formatInteger: define(pictureFunction("formatInteger"), "<n-s:s>", 2),
  parseInteger: define(pictureFunction("parseInteger"), "<s-s:n>", 2),
  number: define(numeric.number, "<(nsb)-:n>", 1),
  floor: define(numeric.floor, "<n-:n>", 1),
  ceil: define(numeric.ceil, "<n-:n>", 1),
  round: define(numeric.round, "<n-n?:n>", 2),
  abs: define(numeric.abs, "<n-:n>", 1),
  sqrt: define(numeric.sqrt, "<n-:n>", 1),
  power: define(numeric.power, "<n-n:n>", 2),
  boolean: define(collections.boolean, "<x-:b>", 1),
  not: define(collections.not, "<x-:b>", 1),
  map: define(higherOrder.map, "<af>", 2),
  zip: define(collections.zip, "<a+>", 0),
  filter: define(higherOrder.filter, "<af>", 2),
  single: define(higherOrder.single, "<af?>", 2),
  reduce: define(higherOrder.reduce, "<afj?:j>", 3),
  sift: define(higherOrder.sift, "<o-f?:o>", 2),
  keys: define(collections.keys, "<x-:a<s>>", 1),
  lookup: define(collections.lookup, "<x-s:x>", 2),
  append: define(collections.append, "<xx:a>", 2),
  exists: define(collections.exists, "<x:b>", 1),
  spread: define(collections.spread, "<x-:a<o>>", 1),
  merge: define(collections.merge, "<a<o>:o>", 1),
  reverse: define(collections.reverse, "<a:a>", 1),
  each: define(higherOrder.each, "<o-f:a>", 2),
  error: define(collections.error, "<s?:x>", 1),
  assert: define(collections.assert, "<bs?:x>", 2),
  type: define(collections.type, "<x:s>", 1),
  sort: define(higherOrder.sort, "<af?:a>", 2),
  distinct: define(collections.distinct, "<x:x>", 1),
  base64encode: define(strings.base64encode, "<s-:s>", 1),
  base64decode: define(strings.base64decode, "<s-:s>", 1),
  encodeUrlComponent: define(strings.encodeUrlComponent, "<s-:s>", 1),
  encodeUrl: define(strings.encodeUrl, "<s-:s>", 1),
  decodeUrlComponent: define(strings.decodeUrlComponent, "<s-:s>", 1),
  decodeUrl: define(strings.decodeUrl, "<s-:s>", 1),
  toMillis: define(dates.toMillis, "<s-s?:n>", 2),
  fromMillis: define(dates.fromMillis, "<n-s?s?:s>", 3),
  now: define(dates.now, "<s?s?:s>", 2),
  millis: define(dates.millis, "<:n>", 0),
};

/** jsonata's functions that the compiled evaluator leaves to jsonata, and why. */
const notCompiled: Record<string, string> = {
  random: "random numbers",
  shuffle: "random order",
  eval: "evaluating expressions at run time",
  clone: "transforms",
};

const procedures = new Map<string, Procedure>();
const signatures = new Map<string, Signature>();

function signatureFor(name: string): Signature {
  let signature = signatures.get(name);
  if (signature === undefined) {
    signature = parseSignature(definitions[name]!.signature);
    signatures.set(name, signature);
  }
  return signature;
}

function procedureFor(name: string): Procedure {
  let procedure = procedures.get(name);
  if (procedure === undefined) {
    const definition = definitions[name]!;
    procedure = createProcedure({
      name,
      arity: definition.arity,
      signature: signatureFor(name),
      invoke: definition.implementation,
      // jsonata reads a partially applied built-in's parameters from its source: `string` has two
      slots: name === "string" ? 2 : definition.arity,
      invokeSlots: definition.implementation,
    });
    procedures.set(name, procedure);
  }
  return procedure;
}

export function isJsonataBuiltin(name: string): boolean {
  return name in definitions || name in notCompiled;
}

/**
 * Built-ins that call function arguments (and so await in jsonata before they
 * can fail): those whose signature takes a function (`f`).
 */
export function callsBack(name: string): boolean {
  return definitions[name]?.signature.includes("f") ?? false;
}

/**
 * Whether a call of built-in `name` may call back: see `mayPassFunction`.
 * None of them calls its first parameter, which takes the context value.
 */
export function mayCallBack(
  name: string,
  args: readonly ("string" | "number" | undefined)[],
  applied: boolean,
): boolean {
  return callsBack(name) && mayPassFunction(definitions[name]!.signature, args, applied);
}

/** Functions that read the evaluation's instant (`$toMillis` with a picture defaults parts to it). */
export function usesClock(name: string): boolean {
  return name === "now" || name === "millis" || name === "toMillis";
}

/**
 * The built-in function a `$name` reference denotes when nothing in scope
 * shadows it; undefined when `name` is no built-in. Declines the functions
 * that are not compiled.
 */
export function builtinProcedure(name: string, node: AstNode): Procedure | undefined {
  if (name in notCompiled) decline(`$${name} (${notCompiled[name]})`, node);
  if (definitions[name] === undefined) return undefined;
  return procedureFor(name);
}

/** A built-in called directly by name, `$name(...)`, with what calling it needs. */
export interface BuiltinCall {
  readonly name: string;
  /** jsonata's signature of the function, as text (`<s-:s>`). */
  readonly signatureText: string;
  readonly procedure: Procedure;
  readonly signature: Signature;
  readonly implementation: Implementation;
}

/**
 * The built-in a direct call `$name(...)` names, or undefined when the
 * callee is anything else. Declines calls of functions not compiled.
 */
export function directBuiltin(node: AstNode, context: CompileContext): BuiltinCall | undefined {
  if (node.type !== "variable" || node.predicate !== undefined || node.group !== undefined)
    return undefined;
  if (node.keepArray === true) return undefined;
  const name = String(node.value);
  if (name in notCompiled) decline(`$${name} (${notCompiled[name]})`, node);
  const definition = definitions[name];
  if (definition === undefined) return undefined;
  if (usesClock(name)) context.clock.needed = true;
  return {
    name,
    signatureText: definition.signature,
    procedure: procedureFor(name),
    signature: signatureFor(name),
    implementation: definition.implementation,
  };
}
