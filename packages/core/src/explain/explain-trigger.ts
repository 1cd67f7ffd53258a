import type { AstNode } from "../evaluator/compiled/ast.js";
import { createEvaluator } from "../evaluator/create-evaluator.js";
import { defaultEvaluationLimits, type Evaluator } from "../evaluator/evaluator.js";
import { parseJsonata } from "../evaluator/jsonata-evaluator.js";
import { toPlainJson } from "../evaluator/plain-json.js";
import { locateInMapping } from "../mapping/locate-in-mapping.js";
import type { MappingSource, SourceLocation } from "../mapping/mapping.js";
import { isTruthy } from "../trigger/truthiness.js";
import { type ClauseSource, type SourceSpan, triggerClauses } from "./trigger-clauses.js";

/** A part of a trigger and what it came to on one event. */
export interface EvaluatedPart {
  /** The part as written in the trigger. */
  readonly text: string;
  /** Its value on the event; absent when it came out `undefined` (a field the event does not have). */
  readonly value?: unknown;
  /** Set when evaluating it failed: jsonata's code (`T2010`, ...) and message. */
  readonly error?: { readonly code?: string; readonly message: string };
}

/** One clause of a trigger on one event: `properties.level >= 10 → false (properties.level = 3)`. */
export interface ClauseExplanation extends EvaluatedPart {
  /** Where the clause starts in the mapping file. */
  readonly location: SourceLocation;
  /** Its truth as the trigger reads it (JSONata's boolean cast). */
  readonly truthy: boolean;
  /** The values it compares or tests (its literals left out). */
  readonly operands: readonly EvaluatedPart[];
}

interface CompiledPart {
  readonly span: SourceSpan;
  readonly evaluator: Evaluator;
}

interface CompiledClause {
  readonly clause: CompiledPart;
  readonly location: SourceLocation;
  readonly operands: readonly CompiledPart[];
}

const compiledClauses = new WeakMap<MappingSource, readonly CompiledClause[]>();

/**
 * Each clause of a mapping's trigger (the parts its `and` and `or` combine)
 * with its value on `event`, and the values of what it compares: why the
 * trigger was true or false, clause by clause. For `gwenmap map --explain`,
 * test coverage and the playground alike. Each clause is evaluated on its
 * own, so it costs a trigger evaluation per clause: for explaining, not for
 * the hot path.
 */
export async function explainTrigger(
  mapping: MappingSource,
  event: unknown,
): Promise<ClauseExplanation[]> {
  const clauses = clausesOf(mapping);
  const explained: ClauseExplanation[] = [];
  for (const { clause, location, operands } of clauses) {
    const result = await evaluatePart(clause, event);
    const values: EvaluatedPart[] = [];
    for (const operand of operands) values.push(await evaluatePart(operand, event));
    explained.push({
      ...result,
      location,
      truthy: !result.error && isTruthy(result.value),
      operands: values,
    });
  }
  return explained;
}

function clausesOf(mapping: MappingSource): readonly CompiledClause[] {
  const known = compiledClauses.get(mapping);
  if (known) return known;
  const limits = defaultEvaluationLimits;
  const ast = parseJsonata(mapping.trigger, limits).ast() as unknown as AstNode;
  const compile = (span: SourceSpan): CompiledPart => ({
    span,
    evaluator: createEvaluator(span.text, limits),
  });
  const build = (clause: ClauseSource): CompiledClause => ({
    clause: compile(clause),
    location: locateInMapping(mapping, "trigger", clause.offset),
    operands: clause.operands.map(compile),
  });
  let compiled: readonly CompiledClause[];
  try {
    compiled = triggerClauses(mapping.trigger, ast).map(build);
  } catch {
    // a clause that does not stand alone (it reads a variable bound elsewhere): explain the whole trigger
    compiled = [build({ offset: 0, text: mapping.trigger, operands: [] })];
  }
  compiledClauses.set(mapping, compiled);
  return compiled;
}

async function evaluatePart(part: CompiledPart, event: unknown): Promise<EvaluatedPart> {
  try {
    const value = toPlainJson(await part.evaluator.evaluate(event));
    return value === undefined ? { text: part.span.text } : { text: part.span.text, value };
  } catch (thrown) {
    const error = (thrown ?? {}) as { code?: unknown; message?: unknown };
    return {
      text: part.span.text,
      error: {
        ...(typeof error.code === "string" ? { code: error.code } : {}),
        message: typeof error.message === "string" ? error.message : String(thrown),
      },
    };
  }
}
