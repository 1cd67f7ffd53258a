import type { AstNode } from "./ast.js";
import { type CompileContext, compileNode, mustCheckDepth } from "./compile-node.js";
import { Frame } from "./frame.js";
import type { Evaluate } from "./procedure.js";
import { enter } from "./run-state.js";
import { toBoolean } from "./values.js";

/** `c ? a : b` (and `c ? a`): the branch is chosen by the effective boolean value of `c`. */
export function compileCondition(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const condition = compileNode(node.condition!, level + 1, context);
  const then = compileNode(node.then!, level + 1, context);
  const otherwise =
    node.else === undefined ? undefined : compileNode(node.else, level + 1, context);
  const probe = context.onBranch;
  if (probe !== undefined) {
    const position = node.position ?? 0;
    return (input, frame) => {
      if (guarded) enter(level);
      const taken = toBoolean(condition(input, frame)) === true;
      probe(position, taken);
      if (taken) return then(input, frame);
      return otherwise === undefined ? undefined : otherwise(input, frame);
    };
  }
  return (input, frame) => {
    if (guarded) enter(level);
    if (toBoolean(condition(input, frame))) return then(input, frame);
    return otherwise === undefined ? undefined : otherwise(input, frame);
  };
}

/** `(a; b; c)`: a new scope for `:=`, the value of the last expression. */
export function compileBlock(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const expressions = (node.expressions ?? []).map((expression) =>
    compileNode(expression, level + 1, context),
  );
  return (input, frame) => {
    if (guarded) enter(level);
    const scope = new Frame(frame);
    let result: unknown;
    for (const expression of expressions) result = expression(input, scope);
    return result;
  };
}

/** `$name := value`: binds in the current scope and is worth the value. */
export function compileBind(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const name = String((node.lhs as AstNode).value);
  const value = compileNode(node.rhs!, level + 1, context);
  return (input, frame) => {
    if (guarded) enter(level);
    const result = value(input, frame);
    frame.bind(name, result);
    return result;
  };
}
