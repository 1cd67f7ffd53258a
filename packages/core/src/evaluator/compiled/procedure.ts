import type { Frame } from "./frame.js";
import { isJsonataError, jsonataError } from "./jsonata-error.js";
import { run, tick, weigh } from "./run-state.js";

/** A compiled expression node: its value for an input (the context `$`) in a scope. */
export type Evaluate = (input: unknown, frame: Frame) => unknown;

/** Checks arguments against a jsonata function signature, substituting the context where allowed. */
export interface Signature {
  validate(args: unknown[], context: unknown): unknown[];
}

/** What the compiled evaluator knows about a function value. */
export interface Callable {
  /** A built-in's name: errors raised in it name it, as jsonata's do once it has been called by name. */
  readonly name?: string;
  /** How many arguments it declares: higher-order functions pass index and array only if it takes them. */
  readonly arity: number;
  readonly signature?: Signature;
  /** Run with validated arguments; `depth` is jsonata's evaluation depth at the calling node. */
  invoke(args: unknown[], depth: number): unknown;
  /**
   * All the arguments the function binds, when it can be partially applied
   * (`$f(?, 2)`): lambdas' parameters, and built-ins' JavaScript parameters.
   */
  readonly slots?: number;
  /** Run with one value per slot, unchecked, as jsonata runs partially applied functions. */
  invokeSlots?(args: unknown[], depth: number): unknown;
}

const callableKey: unique symbol = Symbol("gwenmap.callable");

/**
 * Function values are JavaScript functions, so that a lambda left in a
 * result disappears when serialised, as JSON.stringify drops functions.
 */
export type Procedure = ((...args: unknown[]) => unknown) & { readonly [callableKey]: Callable };

export function createProcedure(callable: Callable): Procedure {
  const procedure = (...args: unknown[]) =>
    applyProcedure(procedure, args, undefined, run.depthBase);
  Object.defineProperty(procedure, callableKey, { value: callable });
  return procedure as Procedure;
}

export function callableOf(value: unknown): Callable | undefined {
  return typeof value === "function" ? (value as Partial<Procedure>)[callableKey] : undefined;
}

export function arityOf(value: unknown): number {
  if (typeof value !== "function") return 0;
  return (value as Partial<Procedure>)[callableKey]?.arity ?? value.length;
}

/** A call in tail position, returned instead of made so that tail recursion runs in a loop. */
export class TailCall {
  constructor(
    readonly procedure: Evaluate,
    readonly args: readonly Evaluate[],
    readonly input: unknown,
    readonly frame: Frame,
  ) {}
}

/**
 * Call a function value (jsonata's `apply`), running tail calls in a
 * trampoline. Functions passed in as bindings are called with `input` as `this`.
 */
export function applyProcedure(
  procedure: unknown,
  args: unknown[],
  input: unknown,
  depth: number,
): unknown {
  tick();
  let result = applyOnce(procedure, args, input, depth);
  while (result instanceof TailCall) {
    tick();
    const call = result;
    const saved = run.depthBase;
    run.depthBase = depth;
    const next = call.procedure(call.input, call.frame);
    const nextArgs = call.args.map((arg) => arg(call.input, call.frame));
    run.depthBase = saved;
    result = applyOnce(next, nextArgs, input, depth);
  }
  return result;
}

function applyOnce(procedure: unknown, args: unknown[], input: unknown, depth: number): unknown {
  if (typeof procedure !== "function") throw jsonataError("T1006");
  const callable = (procedure as Partial<Procedure>)[callableKey];
  if (callable === undefined) return procedure.apply(input, args);
  if (callable.name === undefined) {
    const validated = callable.signature ? callable.signature.validate(args, input) : args;
    return callable.invoke(validated, depth);
  }
  // built-ins do work in proportion to the strings and arrays they take and make
  for (let index = 0; index < args.length; index++) weigh(args[index]);
  try {
    const validated = callable.signature ? callable.signature.validate(args, input) : args;
    const result = callable.invoke(validated, depth);
    weigh(result);
    return result;
  } catch (error) {
    if (isJsonataError(error) && error.token === undefined) error.token = callable.name;
    throw error;
  }
}
