import { type AstNode, decline } from "./ast.js";
import { compileBinary } from "./compile-binary.js";
import { compileApply, compileFunctionCall } from "./compile-call.js";
import { compileBind, compileBlock, compileCondition } from "./compile-control.js";
import { compileFilter } from "./compile-filter.js";
import { compileGroup } from "./compile-group.js";
import { compileLambda } from "./compile-lambda.js";
import { compileLiteral, compileVariable } from "./compile-leaf.js";
import { compilePartial } from "./compile-partial.js";
import { compilePath } from "./compile-path.js";
import { compileRegex } from "./compile-regex.js";
import { compileDescendants, compileName, compileWildcard } from "./compile-selectors.js";
import { compileUnary } from "./compile-unary.js";
import type { Evaluate } from "./procedure.js";
import { collapse } from "./sequence.js";

/** What compiling one expression needs to know, and learns about it as a whole. */
export interface CompileContext {
  /** Set when the expression calls $now() or $millis(): read the clock once per evaluation. */
  readonly clock: { needed: boolean };
  /** The depth limit (jsonata's D1011). */
  readonly maxDepth: number;
  /** Compiling a function body, whose depth depends on where it is called from. */
  readonly inLambda: boolean;
  /** Names the expression binds somewhere: a built-in of that name must be looked up in scope. */
  readonly boundNames: ReadonlySet<string>;
  /** Told which branch every conditional takes (coverage); absent, conditionals pay nothing. */
  readonly onBranch?: BranchProbe;
}

/** Called with a conditional's position in the expression and whether its then-branch was taken. */
export type BranchProbe = (position: number, taken: boolean) => void;

/**
 * Compile one node of jsonata's tree into a closure. `level` is the node's
 * depth as jsonata counts it (one per `evaluate` call) below the root of the
 * body it sits in; the closure checks it against the depth limit on entry.
 * Then, as jsonata's `evaluate` does for every node: the node's predicates
 * filter its value, its group-by (`{...}` after it) regroups it, and a
 * sequence collapses to its single item or to undefined.
 */
export function compileNode(node: AstNode, level: number, context: CompileContext): Evaluate {
  const filters = (node.predicate ?? []).map((stage) =>
    stage.type === "filter"
      ? compileFilter(stage.expr, level + 1, context)
      : decline("positional binding (#)", node),
  );
  const group =
    node.type !== "path" && node.group !== undefined
      ? compileGroup(node.group, level + 1, context)
      : undefined;
  const keepArray = node.keepArray === true;
  const plain = filters.length === 0 && group === undefined;
  // the most frequent nodes collapse their own values when nothing comes between
  const raw = compileRaw(node, level, context, plain);
  if (plain) {
    if (selfCollapsing(node) || (!keepArray && !producesSequences(node))) return raw;
    return (input, frame) => collapse(raw(input, frame), keepArray);
  }
  return (input, frame) => {
    let value = raw(input, frame);
    for (const filter of filters) value = filter(value, frame);
    if (group !== undefined) value = group(value, frame);
    return collapse(value, keepArray);
  };
}

/**
 * Outside function bodies a node's depth is fixed, so it needs checking only
 * if it is beyond the limit; inside them it depends on the caller.
 */
export function mustCheckDepth(level: number, context: CompileContext): boolean {
  return context.inLambda || level > context.maxDepth;
}

export function selfCollapsing(node: AstNode): boolean {
  return node.type === "path" || node.type === "function" || node.type === "variable";
}

/**
 * Nodes whose own value may be a sequence. A child's value was collapsed
 * once by the child, but that value may itself be a sequence: a lambda
 * whose body ends in a tail call returns a built-in's result uncollapsed,
 * and `$map` keeps it as an item. jsonata collapses again at every node, so
 * nodes that pass a child's value on (conditions, blocks) collapse it too.
 */
export function producesSequences(node: AstNode): boolean {
  switch (node.type) {
    case "condition":
    case "block":
    case "path":
    case "name":
    case "variable":
    case "function":
    case "apply":
    case "wildcard":
    case "descendant":
    case "bind":
      return true;
    case "binary":
      return node.value === "..";
    default:
      return false;
  }
}

/** `collapse`: the node collapses its own value (path, function call and variable nodes do). */
function compileRaw(
  node: AstNode,
  level: number,
  context: CompileContext,
  collapse: boolean,
): Evaluate {
  rejectTupleSteps(node);
  switch (node.type) {
    case "path":
      return compilePath(node, level, context, collapse);
    case "binary":
      return compileBinary(node, level, context);
    case "unary":
      return compileUnary(node, level, context);
    case "name":
      return compileName(node, level, context);
    case "string":
    case "number":
    case "value":
      return compileLiteral(node, level, context);
    case "wildcard":
      return compileWildcard(level, context);
    case "descendant":
      return compileDescendants(level, context);
    case "condition":
      return compileCondition(node, level, context);
    case "block":
      return compileBlock(node, level, context);
    case "bind":
      return compileBind(node, level, context);
    case "function":
      return compileFunctionCall(node, level, context, collapse);
    case "variable":
      return compileVariable(node, level, context, collapse);
    case "lambda":
      return compileLambda(node, level, context);
    case "apply":
      return compileApply(node, level, context);
    case "regex":
      return compileRegex(node, level, context);
    case "partial":
      return compilePartial(node, level, context);
    case "transform":
      return decline("transform (|...|...|)", node);
    case "parent":
      return decline("parent operator (%)", node);
    case "sort":
      return decline("order-by (^)", node);
    default:
      return decline(`${node.type} expression`, node);
  }
}

/** Steps binding the context (`@`) or position (`#`) run over jsonata's tuple streams: not compiled. */
export function rejectTupleSteps(node: AstNode): void {
  if (node.tuple || node.focus !== undefined || node.index !== undefined)
    decline("context or positional variable binding (@, #)", node);
  if (node.ancestor !== undefined || node.seekingParent !== undefined)
    decline("parent operator (%)", node);
}
