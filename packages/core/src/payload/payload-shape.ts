import { type AstNode, bindsTuples } from "../evaluator/compiled/ast.js";
import { literalKeyOrder } from "../evaluator/compiled/compile-group.js";
import { fieldNames } from "../evaluator/compiled/compile-path.js";
import type { EvaluationLimits } from "../evaluator/evaluator.js";
import { parseJsonata } from "../evaluator/jsonata-evaluator.js";

/**
 * Where a payload field's value may be a part of the event itself, read
 * once from the mapping's expression: for `{"data": properties, "user":
 * {"id": userId}}`, `data` may be the event's `properties` and `user.id`
 * its `userId`. It is only a place to look: whether the value really is
 * that part of the event is decided for every payload, by identity
 * (`toPlainJsonTrusting`). Fields not listed may be anything.
 */
export type PayloadShape = ReadonlyMap<string, PayloadShape | EventPath>;

/** A path of field names from the event's root (`[]` is the event itself). */
export type EventPath = readonly string[];

/**
 * Every field an object constructor with literal keys builds, in its
 * order: a nested constructor's fields, the path of the event's part a
 * value may be (as in `PayloadShape`), or `"value"`: anything else.
 * Whatever it is given, such a constructor makes an ordinary object whose
 * keys are among these (it leaves out those whose value is undefined).
 */
export type BuiltObject = ReadonlyMap<string, BuiltObject | EventPath | "value">;

/**
 * The shape of the payload `expression` builds, when it is an object
 * constructor with literal keys of which at least one may be a part of
 * the event; undefined otherwise.
 */
export function payloadShapeOf(
  expression: string,
  limits: EvaluationLimits,
): PayloadShape | undefined {
  const built = builtPayloadOf(expression, limits);
  return built === undefined ? undefined : payloadShapeOfBuilt(built);
}

/** `payloadShapeOf` for the fields `builtPayloadOf` found. */
export function payloadShapeOfBuilt(built: BuiltObject): PayloadShape | undefined {
  const shape = eventPartsOf(built);
  return shape.size > 0 ? shape : undefined;
}

/** The fields of the payload `expression` builds, when it is an object constructor with literal keys. */
export function builtPayloadOf(
  expression: string,
  limits: EvaluationLimits,
): BuiltObject | undefined {
  let tree: AstNode;
  try {
    tree = parseJsonata(expression, limits).ast() as AstNode;
  } catch {
    return undefined;
  }
  return builtObject(unwrapped(tree));
}

function eventPartsOf(built: BuiltObject): PayloadShape {
  const shape = new Map<string, PayloadShape | EventPath>();
  for (const [key, field] of built) {
    if (field === "value") continue;
    shape.set(key, field instanceof Map ? eventPartsOf(field) : (field as EventPath));
  }
  return shape;
}

/** `(x)`, a block of one expression, is `x`. */
function unwrapped(node: AstNode): AstNode {
  let subject = node;
  while (subject.type === "block" && subject.expressions?.length === 1 && plainNode(subject))
    subject = subject.expressions[0]!;
  return subject;
}

function builtObject(node: AstNode): BuiltObject | undefined {
  if (node.type !== "unary" || node.value !== "{" || !plainNode(node)) return undefined;
  const pairs = node.lhs as unknown as [AstNode, AstNode][];
  const order = literalKeyOrder(pairs);
  if (order === undefined) return undefined;
  const built = new Map<string, BuiltObject | EventPath | "value">();
  for (const { key, pair } of order) {
    const value = unwrapped(pairs[pair]![1]);
    built.set(key, eventPath(value) ?? builtObject(value) ?? "value");
  }
  return built;
}

/** A path of plain names from the context, or `$`: the event's part it may be. */
function eventPath(node: AstNode): EventPath | undefined {
  if (!plainNode(node)) return undefined;
  if (node.type === "variable") return node.value === "" ? [] : undefined;
  if (node.type !== "path" || node.keepSingletonArray === true) return undefined;
  const steps = node.steps ?? [];
  if (steps.some(bindsTuples)) return undefined;
  const names = fieldNames(steps);
  return names === undefined ? undefined : names;
}

/** No predicate, group-by, `[]`, or tuple binding on the node itself. */
function plainNode(node: AstNode): boolean {
  return (
    (node.predicate ?? []).length === 0 &&
    node.group === undefined &&
    node.keepArray !== true &&
    !bindsTuples(node)
  );
}
