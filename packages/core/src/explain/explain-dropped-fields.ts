import type { AstNode } from "../evaluator/compiled/ast.js";
import { defaultEvaluationLimits } from "../evaluator/evaluator.js";
import { parseJsonata } from "../evaluator/jsonata-evaluator.js";
import { toPlainJson } from "../evaluator/plain-json.js";
import { locateInMapping } from "../mapping/locate-in-mapping.js";
import type { Mapping, SourceLocation } from "../mapping/mapping.js";

/** A field the mapping writes that is not in the payload it delivered. */
export interface DroppedField {
  /** JSON pointer of the field in the payload, e.g. `/data/coupon`. */
  readonly path: string;
  /**
   * `undefined`: its expression came out undefined (JSONata leaves such a
   * field out); `empty`: it came out `null` or `""` at the top level, which
   * Segment drops before sending.
   */
  readonly reason: "undefined" | "empty";
  /** Where the field's key is written in the mapping file. */
  readonly location: SourceLocation;
}

interface WrittenField {
  readonly key: string;
  readonly offset: number;
  readonly value: AstNode;
}

/**
 * Which fields of a mapping's object constructor (`{ "key": ... }`, nested
 * objects included) did not make it into the payload it delivered for
 * `event`, and why. Evaluates the expression once more to see the result
 * before Segment's empty-field rule: for explaining, not for the hot path.
 */
export async function explainDroppedFields(
  mapping: Mapping,
  event: unknown,
  payload: Readonly<Record<string, unknown>>,
): Promise<DroppedField[]> {
  const ast = parseJsonata(mapping.expression, defaultEvaluationLimits).ast() as unknown as AstNode;
  const root = objectConstructorOf(ast);
  if (!root) return [];
  let raw: unknown;
  try {
    raw = toPlainJson(await mapping.evaluator.evaluate(event));
  } catch {
    return [];
  }
  const dropped: DroppedField[] = [];
  // `values`: what the expression produced at `path`, and what the delivery carries there.
  const visit = (node: AstNode, values: { result: unknown; delivered: unknown }, path: string) => {
    for (const field of fieldsOf(node)) {
      const pointer = `${path}/${field.key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      const produced = fieldOf(values.result, field.key);
      const sent = fieldOf(values.delivered, field.key);
      if (sent.present) {
        const nested = objectConstructorOf(field.value);
        if (nested) visit(nested, { result: produced.value, delivered: sent.value }, pointer);
        continue;
      }
      // Empty values are dropped only at the top (Segment's removeEmptyValues); deeper, only undefined ones.
      const reason = !produced.present ? "undefined" : path === "" ? "empty" : undefined;
      if (reason)
        dropped.push({
          path: pointer,
          reason,
          location: locateInMapping(mapping, "expression", field.offset),
        });
    }
  };
  visit(root, { result: raw, delivered: payload }, "");
  return dropped;
}

/** The object constructor an expression ends in: itself, or the last expression of a block. */
function objectConstructorOf(node: AstNode): AstNode | undefined {
  if (node.type === "unary" && node.value === "{") return node;
  if (node.type === "block") {
    const last = node.expressions?.at(-1);
    return last ? objectConstructorOf(last) : undefined;
  }
  return undefined;
}

/** The fields with a literal key, and where each key starts (jsonata's position is just past it). */
function fieldsOf(node: AstNode): WrittenField[] {
  const pairs = Array.isArray(node.lhs) ? node.lhs : [];
  return pairs
    .filter(([key]) => key.type === "string")
    .map(([key, value]) => {
      const name = String(key.value);
      return {
        key: name,
        offset: Math.max(0, (key.position ?? 0) - JSON.stringify(name).length),
        value,
      };
    });
}

function fieldOf(container: unknown, key: string): { present: boolean; value?: unknown } {
  if (container === null || typeof container !== "object" || Array.isArray(container))
    return { present: false };
  return Object.hasOwn(container, key)
    ? { present: true, value: (container as Record<string, unknown>)[key] }
    : { present: false };
}
