import { markPlacedAfterAwaits } from "./concurrent-entries.js";
import type { Frame } from "./frame.js";
import { callsBack } from "./functions/builtins.js";
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
  /**
   * Where the function was last called from in this evaluation, as jsonata
   * writes it onto a function object (its `position` and `token`): an error
   * escaping the function is placed there. `stamp` is the evaluation that wrote it.
   */
  site?: { position: number | undefined; token: string | undefined; stamp: number };
  /** A lambda's context when it was made (`$` in its body). */
  readonly context?: { readonly input: unknown };
  /**
   * Applied with its own context as the input (what a missing argument of
   * a function its body tail-calls defaults to), rather than its caller's:
   * jsonata applies a function passed as an argument of a tail call so,
   * unwrapped, where it wraps the arguments of any other call in a closure
   * that applies them with no input.
   */
  readonly ownInput?: boolean;
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

/**
 * Remember where a function value is being called from, as jsonata does on
 * the function object when a call expression invokes it (`proc.position`
 * and `proc.token`, the name it was called by), or a tail call does (which
 * writes the name only when the callee is a variable): errors that escape it
 * are then placed at that call.
 */
export function markCallSite(
  procedure: unknown,
  position: number | undefined,
  token: string | undefined,
  tail = false,
): void {
  const callable = callableOf(procedure);
  if (callable !== undefined) markSite(callable, position, token, tail);
}

/** `markCallSite` for a function value whose `Callable` the caller holds already. */
export function markSite(
  callable: Callable,
  position: number | undefined,
  token: string | undefined,
  tail = false,
): void {
  let site = callable.site;
  if (site === undefined) {
    site = { position: undefined, token: undefined, stamp: run.id };
    callable.site = site;
  } else if (site.stamp !== run.id) {
    // what an earlier evaluation wrote is not this one's (built-ins are shared by every expression)
    site.token = undefined;
    site.stamp = run.id;
  }
  site.position = position;
  if (!tail || token !== undefined) site.token = token;
}

/** A call in tail position, returned instead of made so that tail recursion runs in a loop. */
export class TailCall {
  constructor(
    readonly procedure: Evaluate,
    readonly args: readonly Evaluate[],
    readonly input: unknown,
    readonly frame: Frame,
    /** Where the callee expression is, and its name when it is a variable (jsonata marks the callee with them). */
    readonly position: number | undefined,
    readonly token: string | undefined,
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
  const own = callableOf(procedure);
  const context = own?.ownInput === true ? own.context?.input : input;
  let result = applyOnce(procedure, args, context, depth);
  while (result instanceof TailCall) {
    tick();
    const call = result;
    const saved = run.depthBase;
    run.depthBase = depth;
    const next = call.procedure(call.input, call.frame);
    markCallSite(next, call.position, call.token, true);
    const nextArgs = call.args.map((arg) => unwrapped(arg(call.input, call.frame)));
    run.depthBase = saved;
    result = applyOnce(next, nextArgs, context, depth);
  }
  return result;
}

/** A lambda passed as an argument of a tail call: applied with its own context (see `ownInput`). */
function unwrapped(value: unknown): unknown {
  const callable = callableOf(value);
  if (callable?.context === undefined || callable.ownInput === true) return value;
  return createProcedure({ ...callable, ownInput: true });
}

function applyOnce(procedure: unknown, args: unknown[], input: unknown, depth: number): unknown {
  if (typeof procedure !== "function") throw jsonataError("T1006");
  const callable = (procedure as Partial<Procedure>)[callableKey];
  if (callable === undefined) {
    run.foreignCalls++;
    return procedure.apply(input, args);
  }
  const builtin = callable.name !== undefined;
  // built-ins do work in proportion to the strings and arrays they take (and the few that
  // make far more than they take, $pad, $join and $replace, charge what they make)
  if (builtin) for (let index = 0; index < args.length; index++) weigh(args[index]);
  try {
    const validated = callable.signature ? callable.signature.validate(args, input) : args;
    return callable.invoke(validated, depth);
  } catch (error) {
    throw placeError(error, callable);
  }
}

/**
 * jsonata's `applyInner`: an error escaping a function takes the function's
 * name and the call site last written onto it, which for a built-in (one
 * object however often it is called) may be a call inside this one.
 */
export function placeError(error: unknown, callable: Callable, direct = false): unknown {
  if (!isJsonataError(error)) return error;
  const site =
    callable.site !== undefined && callable.site.stamp === run.id ? callable.site : undefined;
  if (error.token === undefined) {
    const token = site?.token ?? callable.name;
    if (token !== undefined) error.token = token;
  }
  // jsonata keeps the error's own position when the call site's is 0 or unknown
  if (site?.position) error.position = site.position;
  // only a built-in called by name that calls nothing back reads its site before jsonata awaits
  if (!direct || callable.name === undefined || callsBack(callable.name))
    markPlacedAfterAwaits(error);
  return error;
}
