import type { AstNode } from "../ast.js";
import { literalKeyOrder } from "../compile-group.js";
import { generateRangeArray } from "./generate-binary.js";
import { generatePathArray } from "./generate-path.js";
import type { Generation, Scope } from "./generation.js";
import { integer, quote, type Source } from "./source.js";
import { Kind, may, type Value } from "./value-kind.js";

/** Negation, and the array and object constructors (`compileUnary`). */
export function generateUnary(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  if (node.value === "[") return generateArray(generation, node, level, scope);
  if (node.value === "{") return generateObject(generation, node, level, scope);
  const { source } = generation;
  generation.guard(level);
  const operand = generation.node(node.expression!, level + 1, scope);
  const value = source.temp();
  const v = operand.code;
  source.line(
    `${value} = ${v} === undefined ? undefined : typeof ${v} === "number" && ${v} - ${v} === 0 ? -${v} : rt.negate(${v}, ${source.literal(node.position)});`,
  );
  return { code: value, kind: Kind.number | Kind.undefined };
}

/**
 * Entries of a constructor, evaluated in order. When one fails, the
 * entries after it are still evaluated (by their closures: a failure is
 * rare), as jsonata evaluates them concurrently, to tell which error it
 * reports (`failedEntry`).
 */
function generateEntries(
  generation: Generation,
  entries: readonly { node: AstNode; scope: Scope; level: number }[],
  emit: (value: Value, index: number) => void,
): void {
  const { source } = generation;
  if (entries.length <= 1) {
    // with nothing after it, a failure is the constructor's error as it is
    entries.forEach((entry, index) => {
      emit(generation.node(entry.node, entry.level, entry.scope), index);
    });
    return;
  }
  const at = source.temp();
  const error = source.temp();
  const closures = entries.map((entry) => generation.lazyClosure(entry.node, entry.level));
  source.block("try", () => {
    entries.forEach((entry, index) => {
      source.line(`${at} = ${integer(index)};`);
      emit(generation.node(entry.node, entry.level, entry.scope), index);
    });
  });
  source.block(`catch (${error})`, () => {
    const first = entries[0]!.scope;
    source.line(
      `rt.failedAmong(${error}, [${closures.join(", ")}], ${at} + 1, ${first.input}, ${first.frame});`,
    );
  });
}

/**
 * `[a, b, ...]`: every entry is evaluated, then appended (an array
 * contributes its items) except nested array constructors, which stay
 * arrays (`compileArray`).
 */
function generateArray(generation: Generation, node: AstNode, level: number, scope: Scope): Value {
  const { source } = generation;
  generation.guard(level);
  const items = node.expressions ?? [];
  const single = items.length === 1 && items[0]!.value !== "[" ? items[0]! : undefined;
  const collected =
    single &&
    (generatePathArray(generation, single, level + 1, scope) ??
      generateRangeArray(generation, single, level + 1, scope));
  if (collected) {
    if (node.consarray === true) source.line(`rt.markCons(${collected.code});`);
    return collected;
  }
  const values: Value[] = [];
  generateEntries(
    generation,
    items.map((item) => ({ node: item, scope, level: level + 1 })),
    (value) => {
      const held = source.temp();
      source.line(`${held} = ${value.code};`);
      values.push({ code: held, kind: value.kind });
    },
  );
  const result = source.temp();
  source.line(`${result} = [];`);
  values.forEach((value, index) => {
    if (items[index]!.value === "[")
      source.line(`if (${value.code} !== undefined) ${result}.push(${value.code});`);
    else if (may(value, Kind.array | Kind.sequence))
      source.line(`if (${value.code} !== undefined) rt.appendInto(${result}, ${value.code});`);
    else
      source.block(`if (${value.code} !== undefined)`, () => {
        source.line(`if (${result}.length >= R.maxSequence) rt.tooLong(${result}.length + 1);`);
        source.line("if (--R.ticks <= 0) rt.clock();");
        source.line(`${result}.push(${value.code});`);
      });
  });
  if (node.consarray === true) source.line(`rt.markCons(${result});`);
  return { code: result, kind: Kind.array };
}

/**
 * `{ "k": v, ... }` with distinct literal keys, over one value: the object
 * is filled in the order its keys will have, leaving out undefined values
 * (`generateObjectBuilder`). Over an array (grouping), and with any other
 * keys, the closure compiler's grouping runs.
 */
function generateObject(generation: Generation, node: AstNode, level: number, scope: Scope): Value {
  const pairs = node.lhs as [AstNode, AstNode][];
  const order = literalKeyOrder(pairs);
  if (order === undefined) return generation.delegate(node, level, scope);
  const { source } = generation;
  generation.guard(level);
  const result = source.temp();
  const build = () => {
    const single = { ...scope, single: true };
    const values: Value[] = [];
    generateEntries(
      generation,
      order.map(({ pair }) => ({ node: pairs[pair]![1], scope: single, level: level + 1 })),
      (value) => values.push(value),
    );
    buildObject(source, result, { keys: order.map(({ key }) => key), values });
  };
  // an object constructor within another over the same input knows it is no array
  if (scope.single === true) build();
  else {
    const grouping = generation.lazyClosure(node, level);
    source.block(`if (Array.isArray(${scope.input}))`, () => {
      source.line(`${result} = ${grouping}(${scope.input}, ${scope.frame});`);
    });
    source.block("else", build);
  }
  return { code: result, kind: Kind.object };
}

/**
 * The object, from its values already evaluated (nothing can see the
 * object before it is done, so filling it after evaluating every entry is
 * the same as filling it entry by entry): as one object literal when every
 * value is defined, the fast way to make an object in V8, else field by
 * field, leaving out the undefined ones. The keys are in the order
 * JavaScript gives them, so both ways make the same object.
 */
function buildObject(
  source: Source,
  result: string,
  fields: { readonly keys: readonly string[]; readonly values: readonly Value[] },
): void {
  const { keys, values } = fields;
  const literal = `{ ${keys.map((key, index) => `${quote(key)}: ${values[index]!.code}`).join(", ")} }`;
  const maybeUndefined = values.filter((value) => may(value, Kind.undefined));
  if (maybeUndefined.length === 0) {
    source.line(`${result} = ${literal};`);
    return;
  }
  const defined = maybeUndefined.map((value) => `${value.code} !== undefined`).join(" && ");
  source.line(`if (${defined}) ${result} = ${literal};`);
  source.block("else", () => {
    source.line(`${result} = {};`);
    keys.forEach((key, index) => {
      const value = values[index]!;
      const set = `${result}[${quote(key)}] = ${value.code};`;
      source.line(may(value, Kind.undefined) ? `if (${value.code} !== undefined) ${set}` : set);
    });
  });
}
