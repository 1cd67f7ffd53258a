import { forEachNode } from "../evaluator/compiled/ast.js";
import { compileExpression } from "../evaluator/compiled/compile-expression.js";
import { defaultEvaluationLimits } from "../evaluator/evaluator.js";
import { parseJsonata } from "../evaluator/jsonata-evaluator.js";
import { locateInMapping } from "../mapping/locate-in-mapping.js";
import type { Mapping } from "../mapping/mapping.js";

/** How often one conditional (`c ? a : b`) of a mapping's expression took each branch. */
export interface BranchCoverage {
  /** Where its `?` is in the mapping file (1-based). */
  readonly line: number;
  readonly column: number;
  readonly kind: "condition";
  /** Evaluations in which the condition was true (its then-branch ran). */
  readonly whenTrue: number;
  /** Evaluations in which it was false (its else-branch ran, or nothing when it has none). */
  readonly whenFalse: number;
}

/** Branch counts of one mapping, or `measured: false` when they cannot be counted. */
export type BranchCount =
  | { readonly measured: true; readonly branches: readonly BranchCoverage[] }
  | { readonly measured: false; readonly branches: readonly [] };

interface Tally {
  whenTrue: number;
  whenFalse: number;
}

/**
 * Evaluate `mapping`'s expression on `events` (those its trigger let through)
 * with every conditional instrumented, and count the branches taken. The
 * engine's own evaluators stay uninstrumented: this compiles a second copy.
 * Expressions the compiled evaluator declines run on jsonata's interpreter,
 * whose branches cannot be observed.
 */
export function countBranches(mapping: Mapping, events: readonly unknown[]): BranchCount {
  const limits = defaultEvaluationLimits;
  const ast = parseJsonata(mapping.expression, limits).ast();
  const tallies = new Map<number, Tally>();
  for (const position of conditionPositions(ast))
    tallies.set(position, { whenTrue: 0, whenFalse: 0 });
  const compiled = compileExpression(ast, limits, {
    onBranch: (position, taken) => {
      const tally = tallies.get(position);
      if (tally === undefined) return;
      if (taken) tally.whenTrue++;
      else tally.whenFalse++;
    },
  });
  if (!compiled.ok) return { measured: false, branches: [] };
  for (const event of events) {
    try {
      compiled.evaluator.evaluate(event);
    } catch {
      // a failing evaluation is the engine's rejection to report; the branches it reached still count
    }
  }
  const branches = [...tallies].map(([position, tally]) => ({
    ...lineAndColumn(locateInMapping(mapping, "expression", position - 1)),
    kind: "condition" as const,
    ...tally,
  }));
  return { measured: true, branches };
}

/** The positions of every conditional in jsonata's tree, in source order. */
function conditionPositions(tree: unknown): number[] {
  const positions: number[] = [];
  forEachNode(tree, (node) => {
    if (node.type === "condition" && node.position !== undefined) positions.push(node.position);
  });
  return positions.sort((a, b) => a - b);
}

function lineAndColumn(location: { line: number; column: number }): {
  line: number;
  column: number;
} {
  return { line: location.line, column: location.column };
}
