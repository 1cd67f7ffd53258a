import { type AstNode, decline } from "./ast.js";
import { compileFilter, type Filter } from "./compile-filter.js";
import { compileGroup } from "./compile-group.js";
import { type CompileContext, compileNode, mustCheckDepth } from "./compile-node.js";
import { compileSortStep } from "./compile-sort.js";
import type { Frame } from "./frame.js";
import { generateFieldReader } from "./generated-access.js";
import { jsonataError } from "./jsonata-error.js";
import type { Evaluate } from "./procedure.js";
import { enter, run, tick } from "./run-state.js";
import {
  collapse,
  createSequence,
  isCons,
  isSequence,
  pushItem,
  type Sequence,
  sequenceOf,
} from "./sequence.js";
import { lookupField } from "./values.js";

interface Step {
  readonly evaluate: Evaluate;
  readonly stages: readonly Filter[];
  /** An array constructor as the first step, or an order-by, is evaluated once, over the whole input. */
  readonly whole: boolean;
}

/**
 * A path `a.b[c].d` (jsonata's `evaluatePath`): each step is evaluated once
 * per item of the previous step's results, and the results are flattened,
 * except that a single array reached by the last step is returned as it is,
 * and arrays built by a constructor stay whole.
 */
export function compilePath(
  node: AstNode,
  level: number,
  context: CompileContext,
  finish: boolean,
): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const nodes = node.steps ?? [];
  const steps: Step[] = nodes.map((step, index) =>
    step.type === "sort"
      ? sortStep(step, level, context)
      : {
          evaluate: compileNode(step, level + 1, context),
          stages: (step.stages ?? []).map((stage) =>
            stage.type === "filter"
              ? compileFilter(stage.expr, level + 1, context)
              : decline("positional binding (#)", step),
          ),
          whole: index === 0 && step.consarray === true,
        },
  );
  const absolute = nodes[0]?.type === "variable";
  const keepSingleton = node.keepSingletonArray === true;
  const group = node.group === undefined ? undefined : compileGroup(node.group, level + 1, context);
  const last = steps.length - 1;
  const keepArray = node.keepArray === true;
  const general = (input: unknown, frame: Frame, from: number): unknown => {
    let items: unknown = input;
    let results: unknown = input;
    for (let index = from; index <= last; index++) {
      const step = steps[index]!;
      results = step.whole
        ? step.evaluate(items, frame)
        : evaluateStep(step, items as ArrayLike<unknown>, frame, index === last);
      if (results === undefined || (results as ArrayLike<unknown>).length === 0) break;
      items = results;
    }
    if (keepSingleton) {
      if (Array.isArray(results) && isCons(results) && !isSequence(results))
        results = sequenceOf(results);
      if (isSequence(results)) results.keepSingleton = true;
    }
    const value = group === undefined ? results : group(results, frame);
    return finish ? collapse(value, keepArray) : value;
  };
  const names = fieldNames(nodes);
  if (finish && names !== undefined && !keepSingleton && group === undefined && !keepArray)
    return fieldChain(names, level, context, general);
  return (input, frame) => {
    if (guarded) enter(level);
    return general(Array.isArray(input) && !absolute ? input : sequenceOf(input), frame, 0);
  };
}

function sortStep(step: AstNode, level: number, context: CompileContext): Step {
  if (step.tuple || step.index !== undefined || step.focus !== undefined)
    decline("order-by with positional or context binding", step);
  // jsonata evaluates the sort terms from the path itself, one level down
  return { evaluate: compileSortStep(step, level + 1, context), stages: [], whole: true };
}

/** The field names of a path made of plain names only (`a.b.c`), the most common kind. */
export function fieldNames(nodes: readonly AstNode[]): string[] | undefined {
  for (const node of nodes)
    if (
      node.type !== "name" ||
      node.stages !== undefined ||
      node.predicate !== undefined ||
      node.group !== undefined ||
      node.keepArray === true
    )
      return undefined;
  return nodes.map((node) => String(node.value));
}

/**
 * `a.b.c` over objects: while no array is met, each step has exactly one
 * value and the path's value is the last one, so the fields are read
 * directly; at the first array the general evaluation takes over.
 */
function fieldChain(
  names: readonly string[],
  level: number,
  context: CompileContext,
  general: (input: unknown, frame: Frame, from: number) => unknown,
): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const stepGuarded = mustCheckDepth(level + 1, context);
  const last = names.length - 1;
  if (!guarded && !stepGuarded) {
    const read = generateFieldReader(names, (object, index) =>
      lookupAcross(object, names, index, 0),
    );
    return (input, frame) => (Array.isArray(input) ? general(input, frame, 0) : read(input));
  }
  return (input, frame) => {
    if (guarded) enter(level);
    if (Array.isArray(input)) return general(input, frame, 0);
    let value = input;
    for (let index = 0; index <= last; index++) {
      if (stepGuarded) enter(level + 1);
      if (value === null || typeof value !== "object") return undefined;
      const object = value;
      if (!hasOwn.call(object, names[index]!)) return undefined;
      value = (object as Record<string, unknown>)[names[index]!];
      if (value === undefined) return undefined;
      // from an array on, each name is looked up in every item and the results flattened
      if (Array.isArray(value) && (index < last || isSequence(value)))
        return lookupAcross(object, names, index, stepGuarded ? level + 1 : 0);
    }
    return value;
  };
}

/**
 * jsonata's step evaluation for names from step `from` on, starting from
 * one object: the same flattening as `evaluateStep`, without the closures.
 */
export function lookupAcross(
  start: unknown,
  names: readonly string[],
  from: number,
  checkLevel: number,
): unknown {
  const last = names.length - 1;
  let items: ArrayLike<unknown> = sequenceOf(start);
  let results: unknown[] = createSequence();
  for (let index = from; index <= last; index++) {
    const key = names[index]!;
    const flattened = createSequence();
    let count = 0;
    let only: unknown;
    for (let item = 0; item < items.length; item++) {
      tick();
      if (checkLevel > 0) enter(checkLevel);
      // a name step's value collapses as any node's does before it is flattened
      const value = collapse(lookupField(items[item], key), false);
      if (value === undefined) continue;
      if (++count === 1) only = value;
      else if (count > run.maxSequence) throw jsonataError("D2015", { value: run.maxSequence });
      if (!Array.isArray(value) || isCons(value)) pushItem(flattened, value);
      else for (const each of value) pushItem(flattened, each);
    }
    results =
      index === last && count === 1 && Array.isArray(only) && !isSequence(only) ? only : flattened;
    if (results.length === 0) break;
    items = results;
  }
  return collapse(results, false);
}

const hasOwn = Object.prototype.hasOwnProperty;

function evaluateStep(
  step: Step,
  items: ArrayLike<unknown>,
  frame: Frame,
  lastStep: boolean,
): unknown {
  const flattened = createSequence();
  let count = 0;
  let only: unknown;
  for (let index = 0; index < items.length; index++) {
    tick();
    let value = step.evaluate(items[index], frame);
    for (const stage of step.stages) value = stage(value, frame);
    if (value === undefined) continue;
    if (++count === 1) only = value;
    // jsonata collects the step's values in a sequence before flattening them: same limit
    else if (count > run.maxSequence) throw jsonataError("D2015", { value: run.maxSequence });
    if (!Array.isArray(value) || isCons(value)) pushItem(flattened, value);
    else for (const each of value) pushItem(flattened, each);
  }
  if (lastStep && count === 1 && Array.isArray(only) && !isSequence(only)) return only;
  return flattened as Sequence;
}
