import type { AstNode } from "../ast.js";
import { truth } from "./generate-binary.js";
import type { Generation, Scope } from "./generation.js";
import { quote } from "./source.js";
import { Kind, type Value } from "./value-kind.js";

/** `c ? a : b` (`compileCondition`; with a coverage probe the closure compiler is used instead). */
export function generateCondition(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  const { source } = generation;
  generation.guard(level);
  const condition = generation.node(node.condition!, level + 1, scope);
  const value = source.temp();
  let kind = node.else === undefined ? Kind.undefined : 0;
  source.block(`if (${truth(condition)})`, () => {
    const then = generation.node(node.then!, level + 1, scope);
    source.line(`${value} = ${then.code};`);
    kind |= then.kind;
  });
  source.block("else", () => {
    if (node.else === undefined) {
      source.line(`${value} = undefined;`);
      return;
    }
    const otherwise = generation.node(node.else, level + 1, scope);
    source.line(`${value} = ${otherwise.code};`);
    kind |= otherwise.kind;
  });
  return { code: value, kind };
}

/**
 * `(a; b; c)`: the value of the last expression, in a scope of its own
 * for what `:=` binds in it (`compileBlock`). A block that binds nothing
 * directly shares its parent's scope: lookups through an empty scope find
 * what the parent's find.
 */
export function generateBlock(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  const { source } = generation;
  generation.guard(level);
  let inner = scope;
  const expressions = node.expressions ?? [];
  if (expressions.some(bindsHere)) {
    const frame = source.temp();
    source.line(`${frame} = new Frame(${scope.frame});`);
    inner = { ...scope, frame };
  }
  let last: Value = { code: "undefined", kind: Kind.undefined };
  for (const expression of expressions) last = generation.node(expression, level + 1, inner);
  return last;
}

/** Whether `node` binds a variable into the scope it is evaluated in (not into a scope of its own). */
function bindsHere(node: AstNode): boolean {
  if (node.type === "bind") return true;
  if (node.type === "block" || node.type === "lambda") return false;
  for (const key of Object.keys(node) as (keyof AstNode)[]) {
    if (key === "signature") continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (reaches(item)) return true;
    } else if (reaches(child)) return true;
  }
  return false;
}

function reaches(child: unknown): boolean {
  if (child === null || typeof child !== "object") return false;
  if (Array.isArray(child)) return child.some(reaches);
  if (typeof (child as AstNode).type === "string") return bindsHere(child as AstNode);
  return Object.values(child).some(reaches);
}

/** `$name := value`: binds in the current scope and is worth the value (`compileBind`). */
export function generateBind(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  generation.guard(level);
  const name = quote(String((node.lhs as AstNode).value));
  const value = generation.node(node.rhs!, level + 1, scope);
  generation.source.line(`${scope.frame}.bind(${name}, ${value.code});`);
  return value;
}
