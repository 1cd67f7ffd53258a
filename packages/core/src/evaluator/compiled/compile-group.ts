import type { AstGroup, AstNode } from "./ast.js";
import { type CompileContext, compileNode } from "./compile-node.js";
import { failedEntry } from "./concurrent-entries.js";
import type { Frame } from "./frame.js";
import { generateObjectBuilder } from "./generated-access.js";
import { jsonataError } from "./jsonata-error.js";
import type { Evaluate } from "./procedure.js";
import { tick } from "./run-state.js";
import { append, sequenceOf } from "./sequence.js";
import { setField } from "./values.js";

/** An object constructor applied to a value (jsonata's `evaluateGroupExpression`). */
export type Grouping = (value: unknown, frame: Frame) => Record<string, unknown>;

interface Pair {
  readonly key: Evaluate;
  readonly value: Evaluate;
}

interface Group {
  data: unknown;
  pair: number;
}

/**
 * `{ key: value, ... }`: every item of the input is filed under each key it
 * evaluates to (items sharing a key are appended together), then each
 * value is evaluated with its group as the context. Keys come out in
 * JavaScript's own key order, as jsonata's do.
 */
export function compileGroup(group: AstGroup, level: number, context: CompileContext): Grouping {
  const pairs: Pair[] = group.lhs.map(([key, value]) => ({
    key: compileNode(key, level, context),
    value: compileNode(value, level, context),
  }));
  const literal = literalKeyOrder(group.lhs);
  const general = groupItems(pairs, group.position);
  if (literal === undefined) return general;
  // One item and distinct literal keys, the usual payload shape: no grouping to do.
  const build = generateObjectBuilder(
    literal.map(({ key }) => key),
    literal.map(({ pair }) => pairs[pair]!.value),
  );
  return (value, frame) => (Array.isArray(value) ? general(value, frame) : build(value, frame));
}

function groupItems(pairs: readonly Pair[], position: number | undefined): Grouping {
  return (value, frame) => {
    let items = Array.isArray(value) ? value : sequenceOf(value);
    if (items.length === 0) items = [undefined];
    const groups: Record<string, Group> = Object.create(null);
    for (const item of items) {
      tick();
      for (let index = 0; index < pairs.length; index++) {
        const key = pairs[index]!.key(item, frame);
        if (key === undefined) continue;
        if (typeof key !== "string") throw jsonataError("T1003", { position, value: key });
        if (key === "_jsonata_lambda" || key === "_jsonata_function")
          throw jsonataError("D1013", { position, value: key });
        const existing = groups[key];
        if (existing === undefined) groups[key] = { data: item, pair: index };
        else if (existing.pair !== index) throw jsonataError("D1009", { position, value: key });
        else existing.data = append(existing.data, item);
      }
    }
    const result: Record<string, unknown> = {};
    const keys = Object.keys(groups);
    const groupValue = (key: string) => {
      const entry = groups[key]!;
      return pairs[entry.pair]!.value(entry.data, frame);
    };
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      let field: unknown;
      try {
        field = groupValue(key);
      } catch (error) {
        failedEntry(
          error,
          () => {
            for (let rest = index + 1; rest < keys.length; rest++) groupValue(keys[rest]!);
          },
          keys.length > 1,
        );
      }
      if (field !== undefined) setField(result, key, field);
    }
    return result;
  };
}

/** The pairs in the order their keys will be set, when every key is a distinct string literal. */
export function literalKeyOrder(
  pairs: readonly [AstNode, AstNode][],
): { key: string; pair: number }[] | undefined {
  const order: Record<string, number> = Object.create(null);
  for (const [index, [key]] of pairs.entries()) {
    if (key.type !== "string" || key.predicate !== undefined || key.group !== undefined)
      return undefined;
    const text = String(key.value);
    // keys needing care (duplicates, reserved names, __proto__) take the general route
    if (text in order || text.startsWith("_jsonata_") || text === "__proto__") return undefined;
    order[text] = index;
  }
  return Object.keys(order).map((key) => ({ key, pair: order[key]! }));
}
