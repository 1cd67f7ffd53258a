import type jsonata from "jsonata";

/**
 * What a trigger's syntax tree says about the events it can match, read
 * without evaluating it. `types`/`events` undefined means "any".
 * `exact` means the trigger is nothing but those tests, so an event filed
 * under them matches without evaluating the trigger at all.
 */
export interface TriggerFilter {
  readonly types?: ReadonlySet<string>;
  readonly events?: ReadonlySet<string>;
  readonly exact: boolean;
}

const unconstrained: TriggerFilter = { exact: false };

/** The fields the index files mappings under. */
type IndexedField = "type" | "event";

/**
 * Read `type = "x"`, `"x" = type`, `type in ["x", "y"]`, the same for
 * `event`, and their combinations with `and` (intersection) and `or`
 * (union, only when both sides are constrained). Anything else is "any".
 */
export function classifyTrigger(node: jsonata.ExprNode): TriggerFilter {
  if (node.type === "binary") {
    if (node.value === "and")
      return both(classifyTrigger(side(node.lhs)), classifyTrigger(side(node.rhs)));
    if (node.value === "or")
      return either(classifyTrigger(side(node.lhs)), classifyTrigger(side(node.rhs)));
    const test = fieldTest(node);
    if (test) return { [test.field === "type" ? "types" : "events"]: test.values, exact: true };
  }
  if (node.type === "block" && node.expressions?.length === 1)
    return classifyTrigger(node.expressions[0]!);
  return unconstrained;
}

function side(node: jsonata.ExprNode["lhs"]): jsonata.ExprNode {
  return (node ?? { type: "value" }) as jsonata.ExprNode;
}

function both(left: TriggerFilter, right: TriggerFilter): TriggerFilter {
  const types = intersect(left.types, right.types);
  const events = intersect(left.events, right.events);
  return {
    ...(types ? { types } : {}),
    ...(events ? { events } : {}),
    exact:
      left.exact && right.exact && !(left.types && right.types) && !(left.events && right.events),
  };
}

function either(left: TriggerFilter, right: TriggerFilter): TriggerFilter {
  const constrainedAlike =
    Boolean(left.types) === Boolean(right.types) && Boolean(left.events) === Boolean(right.events);
  if (!constrainedAlike || (!left.types && !left.events)) return unconstrained;
  const types = union(left.types, right.types);
  const events = union(left.events, right.events);
  // `type in [a] or type in [b]` is still exact; mixing fields (a or b over two fields) is not a product.
  const singleField = !(types && events);
  return {
    ...(types ? { types } : {}),
    ...(events ? { events } : {}),
    exact: left.exact && right.exact && singleField,
  };
}

function intersect(
  a?: ReadonlySet<string>,
  b?: ReadonlySet<string>,
): ReadonlySet<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  return new Set([...a].filter((value) => b.has(value)));
}

function union(a?: ReadonlySet<string>, b?: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (!a || !b) return undefined;
  return new Set([...a, ...b]);
}

function fieldTest(
  node: jsonata.ExprNode,
): { field: IndexedField; values: ReadonlySet<string> } | undefined {
  const lhs = side(node.lhs);
  const rhs = side(node.rhs);
  if (node.value === "=") {
    const field = indexedField(lhs) ?? indexedField(rhs);
    const literal = stringLiteral(rhs) ?? stringLiteral(lhs);
    if (field && literal !== undefined) return { field, values: new Set([literal]) };
  }
  if (node.value === "in") {
    const field = indexedField(lhs);
    const values = stringArray(rhs);
    if (field && values) return { field, values: new Set(values) };
  }
  return undefined;
}

function indexedField(node: jsonata.ExprNode): IndexedField | undefined {
  // jsonata's types omit "path", which its parser does produce.
  if ((node.type as string) !== "path" || node.steps?.length !== 1) return undefined;
  const step = node.steps[0]!;
  const plainStep = step.type === "name" && !hasDecorations(step);
  return plainStep && (step.value === "type" || step.value === "event") ? step.value : undefined;
}

/** Predicates, group-by, focus or index bindings change what a step yields. */
function hasDecorations(step: jsonata.ExprNode): boolean {
  const decorated = step as jsonata.ExprNode & Record<string, unknown>;
  return ["stages", "predicate", "group", "focus", "index", "tuple", "keepArray"].some(
    (key) => decorated[key] !== undefined,
  );
}

function stringLiteral(node: jsonata.ExprNode): string | undefined {
  return node.type === "string" && typeof node.value === "string" ? node.value : undefined;
}

function stringArray(node: jsonata.ExprNode): string[] | undefined {
  if (node.type === "string") return [node.value as string];
  if (node.type !== "unary" || node.value !== "[" || !node.expressions) return undefined;
  const values = node.expressions.map(stringLiteral);
  return values.every((value) => value !== undefined) ? (values as string[]) : undefined;
}
