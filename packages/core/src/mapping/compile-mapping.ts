import type jsonata from "jsonata";
import type { MappingError } from "../errors.js";
import { createEvaluator } from "../evaluator/create-evaluator.js";
import type { EvaluationLimits, Evaluator } from "../evaluator/evaluator.js";
import { parseJsonata } from "../evaluator/jsonata-evaluator.js";
import { findForbiddenUse } from "./forbidden-functions.js";
import type { Mapping } from "./mapping.js";
import { errorAt, type ParsedMappingFile } from "./parse-mapping-file.js";

export type CompileMappingResult =
  | { readonly ok: true; readonly mapping: Mapping }
  | { readonly ok: false; readonly errors: readonly MappingError[] };

interface JsonataSyntaxError {
  code: string;
  position?: number;
  token?: string;
  message?: string;
}

/**
 * Compile a mapping's trigger and expression once. Syntax errors and
 * forbidden functions are reported at their file:line:col.
 */
export function compileMapping(
  parsed: ParsedMappingFile,
  limits: EvaluationLimits,
): CompileMappingResult {
  const { source } = parsed;
  const triggerPosition = (position: number) =>
    parsed.triggerOffsets[Math.min(position, parsed.triggerOffsets.length - 1)] ?? 0;
  const expressionPosition = (position: number) => parsed.expressionOffset + position;

  const trigger = compilePart(
    parsed,
    { text: source.trigger, toFileOffset: triggerPosition },
    limits,
  );
  const expression = compilePart(
    parsed,
    { text: source.expression, toFileOffset: expressionPosition },
    limits,
  );
  if (!trigger.ok || !expression.ok) {
    return {
      ok: false,
      errors: [
        ...(trigger.ok ? [] : [trigger.error]),
        ...(expression.ok ? [] : [expression.error]),
      ],
    };
  }
  return {
    ok: true,
    mapping: { ...source, triggerEvaluator: trigger.evaluator, evaluator: expression.evaluator },
  };
}

type PartResult = { ok: true; evaluator: Evaluator } | { ok: false; error: MappingError };

/** One part of a mapping (its trigger or its expression): its text, and where each of its positions is in the file. */
interface MappingPart {
  readonly text: string;
  readonly toFileOffset: (position: number) => number;
}

function compilePart(
  parsed: ParsedMappingFile,
  part: MappingPart,
  limits: EvaluationLimits,
): PartResult {
  const { text, toFileOffset } = part;
  const where = (position: number) => ({
    file: parsed.source.file,
    text: parsed.text,
    offset: toFileOffset(position),
  });
  let ast: jsonata.ExprNode;
  try {
    ast = parseJsonata(text, limits).ast();
  } catch (thrown) {
    const error = thrown as JsonataSyntaxError;
    return {
      ok: false,
      error: errorAt(where(tokenStart(error)), {
        code: "E_MAPPING_SYNTAX",
        message: error.message ?? String(thrown),
        jsonataCode: error.code,
      }),
    };
  }
  const forbidden = findForbiddenUse(ast);
  if (forbidden) {
    const start = Math.max(0, forbidden.position - forbidden.name.length - 1);
    return {
      ok: false,
      error: errorAt(where(start), {
        code: "E_MAPPING_FORBIDDEN",
        message: `$${forbidden.name} is not allowed in mappings: it would run event data as code; write the expression out instead`,
      }),
    };
  }
  return { ok: true, evaluator: createEvaluator(text, limits) };
}

/** jsonata reports the offset just past the offending token: step back to its first character. */
function tokenStart(error: JsonataSyntaxError): number {
  const position = error.position ?? 0;
  const token = error.token;
  const length = token && token !== "(end)" ? token.length : 1;
  return Math.max(0, position - length);
}
