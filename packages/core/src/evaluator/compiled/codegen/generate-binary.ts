import type { AstNode } from "../ast.js";
import { operations } from "../compile-binary.js";
import type { Generation, Scope } from "./generation.js";
import { Kind, only, type Value } from "./value-kind.js";

/** The JavaScript operator of each jsonata operator that has a fast path: fixed text, never the node's. */
const arithmetic: Record<string, string> = { "+": "+", "-": "-", "*": "*", "/": "/", "%": "%" };
const comparison: Record<string, string> = { "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

/**
 * Binary operators (`compileBinary`). Numbers meet numbers and strings
 * strings inline; every other case calls the closure compiler's operation
 * through `rt.operate`, which raises its errors at the operator, as jsonata does.
 */
export function generateBinary(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  const operator = String(node.value);
  if (operator === "and" || operator === "or")
    return generateLogical(generation, { node, level, scope, isAnd: operator === "and" });
  const operation = operations[operator];
  if (operation === undefined) throw new Error(`unknown operator ${operator}`);
  const { source } = generation;
  generation.guard(level);
  const left = generation.node(node.lhs as AstNode, level + 1, scope);
  const right = generation.node(node.rhs!, level + 1, scope);
  const site = source.constant({ operation, operator, position: node.position });
  const slow = `rt.operate(${left.code}, ${right.code}, ${site})`;
  const l = left.code;
  const r = right.code;
  const value = source.temp();
  const js = arithmetic[operator];
  if (js !== undefined) {
    source.line(
      `${value} = typeof ${l} === "number" && typeof ${r} === "number" && ${l} - ${l} === 0 && ${r} - ${r} === 0 ? ${l} ${js} ${r} : ${slow};`,
    );
    return { code: value, kind: Kind.number | Kind.undefined };
  }
  const compare = comparison[operator];
  if (compare !== undefined) {
    source.line(
      `${value} = typeof ${l} === "number" && typeof ${r} === "number" ? ${l} ${compare} ${r} : ${slow};`,
    );
    return { code: value, kind: Kind.boolean | Kind.undefined };
  }
  if (operator === "=" || operator === "!=") {
    const same = operator === "=" ? "true" : "false";
    source.line(
      `${value} = ${l} === undefined || ${r} === undefined ? false : ${l} === ${r} ? ${same} : ${slow};`,
    );
    return { code: value, kind: Kind.boolean };
  }
  if (operator === "&") {
    source.line(
      `${value} = typeof ${l} === "string" && typeof ${r} === "string" ? ${l} + ${r} : ${slow};`,
    );
    return { code: value, kind: Kind.string };
  }
  source.line(`${value} = ${slow};`);
  return {
    code: value,
    kind: operator === "in" ? Kind.boolean : Kind.sequence | Kind.undefined,
  };
}

/**
 * `[a..b]`, an array constructor of one range: the integers are made as
 * the constructor's array, rather than as a sequence then copied
 * (`rt.rangeArray`). Undefined when `node` is no range.
 */
export function generateRangeArray(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value | undefined {
  if (node.type !== "binary" || node.value !== ".." || (node.predicate ?? []).length > 0)
    return undefined;
  if (node.group !== undefined || node.keepArray === true) return undefined;
  const { source } = generation;
  generation.guard(level);
  const left = generation.node(node.lhs as AstNode, level + 1, scope);
  const right = generation.node(node.rhs!, level + 1, scope);
  const site = source.constant({
    operation: operations[".."],
    operator: "..",
    position: node.position,
  });
  const value = source.temp();
  source.line(`${value} = rt.rangeArray(${left.code}, ${right.code}, ${site});`);
  return { code: value, kind: Kind.array };
}

interface Logical {
  readonly node: AstNode;
  readonly level: number;
  readonly scope: Scope;
  readonly isAnd: boolean;
}

/**
 * `and`/`or`: the right side only when the left does not decide, and an
 * error raised anywhere in the right side is placed at the operator, as
 * jsonata's evaluation of the right operand places it.
 */
function generateLogical(generation: Generation, logical: Logical): Value {
  const { source } = generation;
  const { node, level, scope, isAnd } = logical;
  generation.guard(level);
  const left = generation.node(node.lhs as AstNode, level + 1, scope);
  const value = source.temp();
  source.line(`${value} = ${truth(left)};`);
  const error = source.temp();
  const position = source.literal(node.position);
  const token = isAnd ? '"and"' : '"or"';
  source.block(`if (${isAnd ? value : `!${value}`})`, () => {
    source.block("try", () => {
      const right = generation.node(node.rhs!, level + 1, scope);
      source.line(`${value} = ${truth(right)};`);
    });
    source.block(`catch (${error})`, () => {
      source.line(`throw rt.locate(${error}, ${position}, ${token});`);
    });
  });
  return { code: value, kind: Kind.boolean };
}

/** `toBoolean(value) === true`, inline for the kinds whose truth is one comparison. */
export function truth(value: Value): string {
  if (only(value, Kind.boolean | Kind.undefined)) return `${value.code} === true`;
  if (only(value, Kind.string | Kind.undefined))
    return `(${value.code} !== undefined && ${value.code}.length > 0)`;
  const v = value.code;
  return `(typeof ${v} === "string" ? ${v}.length > 0 : typeof ${v} === "boolean" ? ${v} : rt.toBoolean(${v}) === true)`;
}
