import { type AstNode, decline } from "./ast.js";
import { compileFilter, type Filter } from "./compile-filter.js";
import { compileGroup } from "./compile-group.js";
import { type CompileContext, compileNode } from "./compile-node.js";
import type { Frame } from "./frame.js";
import { jsonataError } from "./jsonata-error.js";
import type { Evaluate } from "./procedure.js";
import { enter, run } from "./run-state.js";
import {
  createSequence,
  isCons,
  isSequence,
  pushItem,
  type Sequence,
  sequenceOf,
} from "./sequence.js";

interface Step {
  readonly evaluate: Evaluate;
  readonly stages: readonly Filter[];
  /** An array constructor as the first step is evaluated once, over the whole input. */
  readonly whole: boolean;
}

/**
 * A path `a.b[c].d` (jsonata's `evaluatePath`): each step is evaluated once
 * per item of the previous step's results, and the results are flattened,
 * except that a single array reached by the last step is returned as it is,
 * and arrays built by a constructor stay whole.
 */
export function compilePath(node: AstNode, level: number, context: CompileContext): Evaluate {
  const nodes = node.steps ?? [];
  const steps: Step[] = nodes.map((step, index) => ({
    evaluate: compileNode(step, level + 1, context),
    stages: (step.stages ?? []).map((stage) =>
      stage.type === "filter"
        ? compileFilter(stage.expr, level + 1, context)
        : decline("positional binding (#)", step),
    ),
    whole: index === 0 && step.consarray === true,
  }));
  const absolute = nodes[0]?.type === "variable";
  const keepSingleton = node.keepSingletonArray === true;
  const group = node.group === undefined ? undefined : compileGroup(node.group, level + 1, context);
  const last = steps.length - 1;
  return (input, frame) => {
    enter(level);
    let items: unknown = Array.isArray(input) && !absolute ? input : sequenceOf(input);
    let results: unknown;
    for (let index = 0; index <= last; index++) {
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
    return group === undefined ? results : group(results, frame);
  };
}

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
