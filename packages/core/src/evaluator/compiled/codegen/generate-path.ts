import { type AstNode, bindsTuples, forEachNode } from "../ast.js";
import { mustCheckDepth } from "../compile-node.js";
import { fieldNames } from "../compile-path.js";
import { type Generation, rootScope, type Scope } from "./generation.js";
import { readOwnField } from "./own-field.js";
import { integer, quote, type Source } from "./source.js";
import { anyKind, Kind, type Value } from "./value-kind.js";

/**
 * A path. `a.b.c` made of plain names, the most common kind, is read field
 * by field in straight-line code with a property access of its own per
 * name, as the closure compiler's `fieldChain` reads it: while no array is
 * met each step has exactly one value. From the first array on, the rest
 * of the path runs in generated loops (`readAcross`); an input array goes
 * to the closure-compiled path, which flattens exactly as jsonata's
 * `evaluatePath` does. Other paths are left to the closure compiler.
 */
export function generatePath(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  const names = plainChain(generation, node, level);
  if (names === undefined) return generation.delegate(node, level, scope);
  return readFields(generation, { node, level, scope, names, collect: false });
}

/**
 * `[a.b.c]`, an array constructor of one path of plain names: the path's
 * values are collected into the array the constructor returns, as
 * appending the path's value to an empty array would collect them (the
 * same items, limits and charges), without the sequence in between.
 * Undefined when `node` is no such path.
 */
export function generatePathArray(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value | undefined {
  return readPlainPath(generation, { node, level, scope }, { collect: true });
}

/**
 * The argument of `$sum(a.b.c)`: a path of plain names whose last step
 * meets an array is summed in that step's loop (`readSum`), without
 * collecting its values first. Undefined when `node` is no such path.
 */
export function generatePathSum(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value | undefined {
  return readPlainPath(generation, { node, level, scope }, { collect: false, sum: true });
}

/** A path of plain names without predicates read for `use`, or undefined when `node` is none. */
function readPlainPath(
  generation: Generation,
  at: { readonly node: AstNode; readonly level: number; readonly scope: Scope },
  use: Pick<FieldChain, "collect" | "sum">,
): Value | undefined {
  if ((at.node.predicate ?? []).length > 0) return undefined;
  const names = plainChain(generation, at.node, at.level);
  if (names === undefined) return undefined;
  return readFields(generation, { ...at, names, ...use });
}

/** The names of a path the generator reads as a chain of fields, or undefined. */
function plainChain(generation: Generation, node: AstNode, level: number): string[] | undefined {
  if (node.type !== "path") return undefined;
  const steps = node.steps ?? [];
  // positional (#), context (@) and parent (%) bindings run over tuple streams: the closure compiler's
  if ([node, ...steps].some(bindsTuples)) return undefined;
  const names = fieldNames(steps);
  const plain =
    names !== undefined &&
    names.length <= maxSteps &&
    node.keepSingletonArray !== true &&
    node.group === undefined &&
    node.keepArray !== true &&
    !mustCheckDepth(level, generation.context) &&
    !mustCheckDepth(level + 1, generation.context);
  return plain ? names : undefined;
}

/** Longer paths of names are left to the closure compiler, rather than generate a loop per step. */
const maxSteps = 8;

interface FieldChain {
  readonly node: AstNode;
  readonly level: number;
  readonly scope: Scope;
  readonly names: readonly string[];
  /** Collect the values into a fresh array (`generatePathArray`) rather than give the path's value. */
  readonly collect: boolean;
  /** The value is `$sum`'s argument: see `generatePathSum`. */
  readonly sum?: boolean;
}

function readFields(generation: Generation, chain: FieldChain): Value {
  const { source } = generation;
  const { names, scope, collect } = chain;
  const value = source.temp();
  const object = source.temp();
  const field = source.temp();
  const namesConstant = source.constant(names);
  const last = names.length - 1;
  const finish = (result: string) => (collect ? `rt.arrayOf(${result})` : result);
  const nothing = collect ? "[]" : "undefined";
  // a labelled block, left with `break` at the first step without a single value
  source.block(`${value}:`, () => {
    source.line(`${object} = ${scope.input};`);
    names.forEach((name, index) => {
      const read = () => {
        // a kept value is never the input's: the input was an object when it was read
        if (index === 0 && scope.single !== true) {
          const whole = generation.lazyClosure(chain.node, chain.level);
          source.line(
            `if (Array.isArray(${object})) { ${value} = ${finish(`${whole}(${object}, ${scope.frame})`)}; break ${value}; }`,
          );
        }
        source.line(
          `if (${object} === null || typeof ${object} !== "object") { ${value} = ${nothing}; break ${value}; }`,
        );
        source.line(readOwnField(field, object, name));
      };
      const kept = keptField(generation, scope, names.slice(0, index + 1));
      if (kept === undefined) read();
      else {
        source.line(`if (${kept} !== undefined && R.foreignCalls === 0) ${field} = ${kept};`);
        source.block("else", () => {
          read();
          source.line(`${kept} = ${field};`);
        });
      }
      source.line(`if (${field} === undefined) { ${value} = ${nothing}; break ${value}; }`);
      if (index < last) {
        const across = { names, from: index, namesConstant, collect };
        const helper =
          chain.sum === true && index === last - 1
            ? readSum(generation, { key: names[last]!, whole: readAcross(generation, across) })
            : readAcross(generation, across);
        source.line(
          `if (Array.isArray(${field})) { ${value} = ${helper}(${object}, ${field}); break ${value}; }`,
        );
        source.line(`${object} = ${field};`);
      } else {
        const across = `rt.lookupAcross(${object}, ${namesConstant}, ${integer(index)}, 0)`;
        source.line(
          `if (Array.isArray(${field}) && ${field}.sequence === true) { ${value} = ${finish(across)}; break ${value}; }`,
        );
      }
    });
    source.line(`${value} = ${finish(field)};`);
  });
  return { code: value, kind: collect ? Kind.array : anyKind };
}

/**
 * The variable that keeps the value of the expression's input at `names`
 * for the rest of the evaluation, where the generated function reads it
 * straight from its input: a path from the input has no side effect (it
 * charges no time and raises no error), so `properties.revenue` and
 * `properties.currency` read `properties` once. The input read again is
 * the same while no function from outside jsonata (a binding, a function
 * in the data) has run: once one has, every read is made afresh.
 */
function keptField(
  generation: Generation,
  scope: Scope,
  names: readonly string[],
): string | undefined {
  const key = pathKey(names);
  if (scope.input !== rootScope.input || !generation.source.inMain) return undefined;
  return generation.repeatedPaths.has(key) ? generation.source.remember(key) : undefined;
}

/** A path of names as `repeatedPaths` and `keptField` know it (a key of ours, never code). */
function pathKey(names: readonly string[]): string {
  return JSON.stringify(names);
}

/** The paths of plain names (and their beginnings) that `tree` reads more than once. */
export function repeatedPaths(tree: AstNode): ReadonlySet<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  forEachNode(tree, (node) => {
    const names = node.type === "path" ? fieldNames(node.steps ?? []) : undefined;
    for (let length = 1; length <= (names?.length ?? 0); length++) {
      const key = pathKey(names!.slice(0, length));
      if (seen.has(key)) repeated.add(key);
      seen.add(key);
    }
  });
  return repeated;
}

interface Across {
  readonly names: readonly string[];
  /** The step whose value is an array. */
  readonly from: number;
  readonly namesConstant: string;
  readonly collect: boolean;
}

/**
 * From the first array on, each remaining name is looked up in every item
 * and the results flattened, as `lookupAcross` does, in generated loops
 * with an access of their own per name, in a helper function of the
 * object and its array. The array met is iterated as it is
 * (`lookupAcross` copies its items into a sequence first, checking the
 * sequence length limit, which is checked here too); a sequence or an
 * array built by a constructor hands over to `lookupAcross`.
 */
function readAcross(generation: Generation, across: Across): string {
  const { source } = generation;
  const { names, from, collect } = across;
  const object = source.parameter();
  const field = source.parameter();
  return source.helper([object, field], () => {
    const handOver = `rt.lookupAcross(${object}, ${across.namesConstant}, ${integer(from)}, 0)`;
    source.line(
      `if (${field}.sequence === true || ${field}.cons === true) return ${collect ? `rt.arrayOf(${handOver})` : handOver};`,
    );
    let items = field;
    for (let step = from + 1; step < names.length; step++) {
      const last = step === names.length - 1;
      // the first step also charges the object the array was found in, and checks the array's length as `lookupAcross` copies it
      const first = step === from + 1;
      items = acrossStep(source, {
        items,
        key: names[step]!,
        last,
        collect: collect && last,
        ...(first && {
          before: {
            units: 1,
            check: `if (${field}.length > R.maxSequence) rt.tooLong(R.maxSequence);`,
          },
        }),
      });
      // nothing left to look in: the path is undefined, and `[path]` empty (the last step says it itself)
      if (!last) source.line(`if (${items}.length === 0) return ${collect ? "[]" : "undefined"};`);
    }
    return collect ? items : `rt.collapse(${items}, false)`;
  });
}

/**
 * The last step of `$sum`'s path over an array of objects, summed as it
 * goes: a number when every item is an object whose field is a number or
 * missing (charged as `$sum` charges the sequence of two or more numbers
 * it would have been given, which it then sums in the same order), and
 * undefined when none has the field. At anything else the step is read
 * as usual by `whole` (`readAcross`), from the charges before this one,
 * and `$sum` does what it does with that value.
 */
function readSum(
  generation: Generation,
  step: { readonly key: string; readonly whole: string },
): string {
  const { source } = generation;
  const object = source.parameter();
  const items = source.parameter();
  return source.helper([object, items], () => {
    const ticks = source.temp();
    const total = source.temp();
    const count = source.temp();
    const index = source.temp();
    const item = source.temp();
    const found = source.temp();
    const whole = `{ R.ticks = ${ticks}; return ${step.whole}(${object}, ${items}); }`;
    source.line(`${ticks} = R.ticks; ${total} = 0; ${count} = 0;`);
    source.line(
      `if (${items}.sequence === true || ${items}.cons === true) return ${step.whole}(${object}, ${items});`,
    );
    // as `readAcross` charges and checks its first step
    source.line(`if ((R.ticks -= ${items}.length + 1) <= 0) rt.clock();`);
    source.line(`if (${items}.length > R.maxSequence) rt.tooLong(R.maxSequence);`);
    source.block(`for (${index} = 0; ${index} < ${items}.length; ${index}++)`, () => {
      source.line(`${item} = ${items}[${index}];`);
      source.line(
        `if (${item} === null || typeof ${item} !== "object" || Array.isArray(${item})) ${whole}`,
      );
      source.line(readOwnField(found, item, step.key));
      source.line(`if (${found} === undefined) continue;`);
      source.line(`if (typeof ${found} !== "number") ${whole}`);
      source.line(`${total} += ${found}; ${count}++;`);
    });
    source.line(`if (${count} === 0) return undefined;`);
    source.line(`if (${count} > 1 && (R.ticks -= ${count}) <= 0) rt.clock();`);
    return total;
  });
}

/**
 * One name looked up in every item, the values flattened into a sequence
 * (one step of `lookupAcross`). The results are made as long as the items
 * (an array grown by `push` costs as much again) and filled by index while
 * the values are scalars; any other value first cuts them to what was filled
 * and is then added as `lookupAcross` adds it.
 */
function acrossStep(
  source: Source,
  step: {
    readonly items: string;
    readonly key: string;
    readonly last: boolean;
    /** Collect into the constructor's array: see `finishCollected`. */
    readonly collect: boolean;
    /** Units charged with the items', and a check made once they are, before the loop. */
    readonly before?: { readonly units: number; readonly check: string };
  },
): string {
  const { items } = step;
  const key = quote(step.key);
  const results = source.temp();
  const filled = source.temp();
  const count = source.temp();
  const only = source.temp();
  const index = source.temp();
  const item = source.temp();
  const found = source.temp();
  const fresh = step.collect
    ? `new Array(${items}.length)`
    : `rt.presizedSequence(${items}.length)`;
  const cut = `if (${results}.length !== ${filled}) ${results}.length = ${filled};`;
  const max = source.temp();
  // a unit of work per item, charged at once as `spend` charges a built-in's (the clock is read before the step, not within it)
  const units = step.before === undefined ? "" : ` + ${integer(step.before.units)}`;
  source.line(`if ((R.ticks -= ${items}.length${units}) <= 0) rt.clock();`);
  if (step.before !== undefined) source.line(step.before.check);
  source.line(
    `${results} = ${fresh}; ${filled} = 0; ${count} = 0; ${only} = undefined; ${max} = R.maxSequence;`,
  );
  source.block(`for (${index} = 0; ${index} < ${items}.length; ${index}++)`, () => {
    source.line(`${item} = ${items}[${index}];`);
    source.line(
      `if (${item} !== null && typeof ${item} === "object" && !Array.isArray(${item})) { ${readOwnField(found, item, step.key)} }`,
    );
    source.line(`else ${found} = rt.lookupField(${item}, ${key});`);
    source.line(`if (${found} === undefined) continue;`);
    // a scalar, the usual value of an item's field: one value, never the only array
    source.line(
      `if (typeof ${found} !== "object" || ${found} === null) { if (++${count} > ${max} || ${filled} >= ${max}) rt.tooLong(${max}); ${results}[${filled}++] = ${found}; continue; }`,
    );
    source.line(
      `if (Array.isArray(${found}) && ${found}.sequence === true) { ${found} = rt.collapse(${found}, false); if (${found} === undefined) continue; }`,
    );
    source.line(cut);
    source.line(
      `if (++${count} === 1) ${only} = ${found}; else if (${count} > ${max}) rt.tooLong(${max});`,
    );
    source.line(
      `if (!Array.isArray(${found}) || ${found}.cons === true) { if (${results}.length >= ${max}) rt.tooLong(${max}); ${results}.push(${found}); }`,
    );
    source.line(`else rt.pushAll(${results}, ${found});`);
    source.line(`${filled} = ${results}.length;`);
  });
  source.line(cut);
  const onlyArray = `${count} === 1 && Array.isArray(${only}) && ${only}.sequence !== true`;
  if (step.collect) {
    const collected = source.temp();
    source.line(`${collected} = rt.finishCollected(${results}, ${onlyArray});`);
    return collected;
  }
  // one plain array found is the value, even empty (jsonata's `[]` for `items.v` over `[{"v": []}]`)
  if (step.last)
    source.line(
      `if (${onlyArray}) ${results} = ${only}; else if (${results}.length === 0) return undefined;`,
    );
  return results;
}
