import { type AstNode, decline } from "./ast.js";
import { compileFilter } from "./compile-filter.js";
import { type CompileContext, compileNode } from "./compile-node.js";
import type { Frame } from "./frame.js";
import { mergeSort } from "./functions/higher-order-functions.js";
import { jsonataError } from "./jsonata-error.js";
import type { Evaluate } from "./procedure.js";

interface SortTerm {
  readonly expression: Evaluate;
  readonly descending: boolean;
}

/**
 * An order-by step `^(a, >b)` (jsonata's `evaluateSortExpression`): the
 * step's whole input is sorted, stably, by each term in turn; undefined
 * sorts last, and terms must be all strings or all numbers.
 */
export function compileSortStep(
  node: AstNode,
  level: number,
  context: CompileContext,
): (items: unknown, frame: Frame) => unknown {
  const terms: SortTerm[] = ((node as { terms?: AstTerm[] }).terms ?? []).map((term) => ({
    expression: compileNode(term.expression, level, context),
    descending: term.descending === true,
  }));
  const stages = (node.stages ?? []).map((stage) =>
    stage.type === "filter"
      ? compileFilter(stage.expr, level, context)
      : decline("positional binding (#)", node),
  );
  const position = node.position;
  return (items, frame) => {
    const swap = (a: unknown, b: unknown): boolean => {
      let comparison = 0;
      for (let index = 0; comparison === 0 && index < terms.length; index++) {
        const term = terms[index]!;
        const left = term.expression(a, frame);
        const right = term.expression(b, frame);
        // undefined sorts last, whatever the direction
        if (left === undefined) {
          comparison = right === undefined ? 0 : 1;
          continue;
        }
        if (right === undefined) {
          comparison = -1;
          continue;
        }
        checkComparable(left, right, position);
        if (left === right) continue;
        comparison = (left as number) < (right as number) ? -1 : 1;
        if (term.descending) comparison = -comparison;
      }
      return comparison === 1;
    };
    const list = items as unknown[];
    let result: unknown = list.length <= 1 ? list : mergeSort(list, swap);
    for (const stage of stages) result = stage(result, frame);
    return result;
  };
}

function checkComparable(left: unknown, right: unknown, position: number | undefined): void {
  const leftType = typeof left;
  const rightType = typeof right;
  const leftOk = leftType === "string" || leftType === "number";
  if (!leftOk || !(rightType === "string" || rightType === "number"))
    throw jsonataError("T2008", { position, value: leftOk ? right : left });
  if (leftType !== rightType) throw jsonataError("T2007", { position, value: left, value2: right });
}

interface AstTerm {
  expression: AstNode;
  descending?: boolean;
}
