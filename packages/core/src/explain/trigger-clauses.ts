import type { AstNode } from "../evaluator/compiled/ast.js";

/** A piece of a trigger's source: where it starts (0-based) and its text as written. */
export interface SourceSpan {
  readonly offset: number;
  readonly text: string;
}

/** One clause of a trigger: a leaf of its `and` / `or` tree, with the parts worth showing the values of. */
export interface ClauseSource extends SourceSpan {
  /** What the clause compares or tests (`properties.level` in `properties.level >= 10`); literals left out. */
  readonly operands: readonly SourceSpan[];
}

const comparisons = new Set(["=", "!=", "<", "<=", ">", ">=", "in"]);

/**
 * Split a trigger into the clauses its `and` and `or` combine, in source
 * order, by cutting its text at the operators jsonata's tree locates (each
 * node's `position` is the offset just past its operator). Parentheses
 * around a group are looked through. A trigger with no `and` / `or` is one clause.
 */
export function triggerClauses(source: string, ast: AstNode): ClauseSource[] {
  const clauses: ClauseSource[] = [];
  const visit = (node: AstNode, start: number, end: number): void => {
    if (isJunction(node)) {
      const operatorEnd = node.position ?? end;
      const operatorStart = operatorEnd - String(node.value).length;
      visit(node.lhs as AstNode, start, operatorStart);
      visit(node.rhs as AstNode, operatorEnd, end);
      return;
    }
    const span = trimmed(source, start, end);
    const inner =
      node.type === "block" && node.expressions?.length === 1 ? unwrapped(span) : undefined;
    if (inner && node.expressions?.[0]) {
      visit(node.expressions[0], inner.offset, inner.offset + inner.text.length);
      return;
    }
    clauses.push({ ...span, operands: operandsOf(source, node, span) });
  };
  visit(ast, 0, source.length);
  return clauses;
}

function isJunction(node: AstNode): boolean {
  return node.type === "binary" && (node.value === "and" || node.value === "or");
}

/** The parts of a comparison, or the single argument of a call like `$exists(x)`, that are not literals. */
function operandsOf(source: string, node: AstNode, span: SourceSpan): SourceSpan[] {
  const end = span.offset + span.text.length;
  if (node.type === "binary" && comparisons.has(String(node.value))) {
    const operatorEnd = node.position ?? end;
    const operatorStart = operatorEnd - String(node.value).length;
    return [
      { node: node.lhs as AstNode, from: span.offset, to: operatorStart },
      { node: node.rhs as AstNode, from: operatorEnd, to: end },
    ]
      .filter((part) => !isLiteral(part.node))
      .map((part) => trimmed(source, part.from, part.to));
  }
  const [argument, ...more] = node.arguments ?? [];
  if (node.type === "function" && argument && more.length === 0 && !isLiteral(argument)) {
    const open = span.text.indexOf("(");
    const close = span.text.lastIndexOf(")");
    if (open > 0 && close > open)
      return [trimmed(source, span.offset + open + 1, span.offset + close)];
  }
  return [];
}

function isLiteral(node: AstNode): boolean {
  if (node.type === "string" || node.type === "number" || node.type === "value") return true;
  return node.type === "unary" && node.value === "-" && node.expression?.type === "number";
}

function trimmed(source: string, start: number, end: number): SourceSpan {
  const text = source.slice(start, end);
  const leading = text.length - text.trimStart().length;
  return { offset: start + leading, text: text.trim() };
}

/** The inside of `( ... )`, when the span is wrapped in one pair of parentheses. */
function unwrapped(span: SourceSpan): SourceSpan | undefined {
  if (!span.text.startsWith("(") || !span.text.endsWith(")")) return undefined;
  const inner = span.text.slice(1, -1);
  const leading = inner.length - inner.trimStart().length;
  return { offset: span.offset + 1 + leading, text: inner.trim() };
}
