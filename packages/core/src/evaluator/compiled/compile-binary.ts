import type { AstNode } from "./ast.js";
import { type CompileContext, compileNode, mustCheckDepth } from "./compile-node.js";
import { isJsonataError } from "./jsonata-error.js";
import { arithmetic, comparison, concatenate, equality, includes, range } from "./operators.js";
import type { Evaluate } from "./procedure.js";
import { enter } from "./run-state.js";
import { toBoolean } from "./values.js";

export type Operation = (left: unknown, right: unknown, operator: string) => unknown;

export const operations: Record<string, Operation> = {
  "+": arithmetic,
  "-": arithmetic,
  "*": arithmetic,
  "/": arithmetic,
  "%": arithmetic,
  "=": equality,
  "!=": equality,
  "<": comparison,
  "<=": comparison,
  ">": comparison,
  ">=": comparison,
  "&": concatenate,
  "..": range,
  in: includes,
};

/** Binary operators; an error in the operation itself is located at the operator, as in jsonata. */
export function compileBinary(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const operator = String(node.value);
  const left = compileNode(node.lhs as AstNode, level + 1, context);
  const right = compileNode(node.rhs!, level + 1, context);
  const position = node.position;
  if (operator === "and" || operator === "or") {
    const isAnd = operator === "and";
    return (input, frame) => {
      if (guarded) enter(level);
      const leftValue = toBoolean(left(input, frame)) === true;
      if (isAnd ? !leftValue : leftValue) return leftValue;
      try {
        return toBoolean(right(input, frame)) === true;
      } catch (error) {
        throw locate(error, position, operator);
      }
    };
  }
  const operation = operations[operator];
  if (operation === undefined) throw new Error(`unknown operator ${operator}`);
  return (input, frame) => {
    if (guarded) enter(level);
    const leftValue = left(input, frame);
    const rightValue = right(input, frame);
    try {
      return operation(leftValue, rightValue, operator);
    } catch (error) {
      throw locate(error, position, operator);
    }
  };
}

export function locate(error: unknown, position: number | undefined, token: string): unknown {
  if (isJsonataError(error)) {
    error.position = position;
    error.token = token;
  }
  return error;
}
