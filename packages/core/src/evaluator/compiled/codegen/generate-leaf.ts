import type { AstNode } from "../ast.js";
import { builtinProcedure, usesClock } from "../functions/builtins.js";
import type { Generation, Scope } from "./generation.js";
import { readOwnField } from "./own-field.js";
import { quote } from "./source.js";
import { anyKind, Kind, kindOf, type Value } from "./value-kind.js";

/** A string, number, boolean or null literal (`compileLiteral`). */
export function generateLiteral(generation: Generation, node: AstNode, level: number): Value {
  generation.guard(level);
  return { code: generation.source.literal(node.value), kind: kindOf(node.value) };
}

/** A field name on its own (`compileName`): own properties only, mapped over arrays. */
export function generateName(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  const { source } = generation;
  generation.guard(level);
  const name = String(node.value);
  const input = scope.input;
  const value = source.temp();
  const object = `${input} !== null && typeof ${input} === "object"`;
  const plain = scope.single === true ? object : `${object} && !Array.isArray(${input})`;
  source.line(`if (${plain}) { ${readOwnField(value, input, name)} }`);
  source.line(`else ${value} = rt.lookupField(${input}, ${quote(name)});`);
  return { code: value, kind: anyKind };
}

/**
 * `$` (the context, unwrapped from the singleton that wraps an input
 * array), `$$` and other variables: looked up in scope, then among the
 * built-in functions (`compileVariable`, always finishing: the generator
 * delegates nodes with predicates).
 */
export function generateVariable(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  const { source } = generation;
  const keepArray = node.keepArray === true;
  const name = String(node.value);
  generation.guard(level);
  const value = source.temp();
  if (name === "") {
    const input = scope.input;
    source.line(
      `${value} = Array.isArray(${input}) && ${input}.outerWrapper ? ${input}[0] : ${input};`,
    );
    source.line(`${value} = rt.collapse(${value}, ${keepArray});`);
    return { code: value, kind: anyKind };
  }
  const builtin = builtinProcedure(name, node);
  if (usesClock(name)) generation.context.clock.needed = true;
  source.line(`${value} = ${scope.frame}.lookup(${quote(name)});`);
  source.line(
    `${value} = ${value} === UNBOUND ? ${source.literal(builtin)} : rt.collapse(${value}, ${keepArray});`,
  );
  return { code: value, kind: builtin === undefined ? anyKind : anyKind | Kind.function };
}
