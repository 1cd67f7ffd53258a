import type { AstNode } from "../ast.js";
import type { Invocation } from "../compile-call.js";
import { compileInvocation, directCallSite } from "../compile-call.js";
import { directBuiltin } from "../functions/builtins.js";
import { fastPaths } from "./builtin-templates.js";
import { collapsed } from "./generate-node.js";
import { generatePathSum } from "./generate-path.js";
import type { Generation, Scope } from "./generation.js";
import { integer, quote } from "./source.js";
import { anyKind, Kind, type Value } from "./value-kind.js";

/**
 * `$name(a, b)` and `x ~> $name(b)` where `$name` is a built-in
 * (`compileFunctionCall`, `compileApply`). Other calls (lambdas, variables
 * holding functions, `~>` composing functions) are left to the closure compiler.
 */
export function generateCall(
  generation: Generation,
  node: AstNode,
  level: number,
  scope: Scope,
): Value {
  const call = node.type === "apply" ? node.rhs : node;
  if (call?.type !== "function") return generation.delegate(node, level, scope);
  const builtin = directBuiltin(call.procedure!, generation.context);
  // a built-in the expression itself may shadow is looked up at every call: the closure compiler's
  if (builtin === undefined || generation.context.boundNames.has(builtin.name))
    return generation.delegate(node, level, scope);
  generation.guard(level);
  const leading =
    node.type === "apply" ? generation.node(node.lhs as AstNode, level + 1, scope) : undefined;
  const value = invoke(generation, { call, level, scope, leading });
  return node.type === "apply"
    ? value
    : collapsed(generation.source, value, call.keepArray === true);
}

interface BuiltinInvocation {
  readonly call: AstNode;
  readonly level: number;
  readonly scope: Scope;
  /** The value `~>` passes as the first argument. */
  readonly leading: Value | undefined;
}

/**
 * jsonata's `evaluateFunction` for a built-in by name: unless the caller's
 * bindings shadow the name (then the closure compiler's invocation runs),
 * the arguments are evaluated and the built-in called directly, through a
 * fast path when one applies.
 */
function invoke(generation: Generation, invocation: BuiltinInvocation): Value {
  const { source, context } = generation;
  const { call, level, scope, leading } = invocation;
  const builtin = directBuiltin(call.procedure!, context)!;
  const rawName =
    call.procedure!.type === "path" ? call.procedure!.steps?.[0]?.value : call.procedure!.value;
  const name = rawName === undefined ? undefined : String(rawName);
  const site = source.constant(directCallSite(builtin, call.position, name));
  const value = source.temp();
  const bindings = source.bindings;
  const shadowed = `${bindings} !== undefined && hasOwn.call(${bindings}, ${quote(builtin.name)})`;
  const generic = lazyInvocation(generation, call, level);
  source.block(`if (${shadowed})`, () => {
    source.line(
      `${value} = ${generic}(${scope.input}, ${scope.frame}, ${leading?.code ?? "rt.noLeadingArgument"});`,
    );
  });
  let kind = 0;
  source.block("else", () => {
    generation.guard(level + 1);
    const written = call.arguments ?? [];
    const summed =
      builtin.name === "sum" && leading === undefined && written.length === 1
        ? generatePathSum(generation, written[0]!, level + 1, scope)
        : undefined;
    const args = summed ? [summed] : written.map((arg) => generation.node(arg, level + 1, scope));
    const all = leading === undefined ? args : [leading, ...args];
    const slow = `rt.invokeBuiltin(${site}, [${all.map((arg) => arg.code).join(", ")}], ${scope.input}, R.depthBase + ${integer(level)})`;
    const paths = fastPaths(builtin.name, all) ?? [];
    const mark = generation.sitesRead.has(builtin.name) ? `rt.markCall(${site}); ` : "";
    let chain = "";
    for (const path of paths) {
      const charge = path.charge === "" ? "" : `if ((R.ticks -= ${path.charge}) <= 0) rt.clock(); `;
      source.line(`${chain}if (${path.test}) { ${mark}${charge}${value} = ${path.result}; }`);
      chain = "else ";
      kind |= path.kind;
    }
    if (paths.length === 0) source.line(`${value} = ${slow};`);
    else source.line(`else ${value} = ${slow};`);
  });
  return { code: value, kind: kind | resultKind(builtin.signatureText) };
}

/**
 * What a built-in returns, from its signature where every implementation
 * keeps to it: a string, a number or a boolean, or undefined. Anything else
 * for the others (`$append(1, undefined)` is 1, for all its `:a`).
 */
function resultKind(signature: string): number {
  const returned = signature.slice(signature.lastIndexOf(":") + 1, -1);
  if (signature.includes(":") && returned in plainResults)
    return plainResults[returned]! | Kind.undefined;
  return anyKind;
}

const plainResults: Record<string, number> = { s: Kind.string, n: Kind.number, b: Kind.boolean };

/** The closure compiler's invocation of the call, compiled when first needed. */
function lazyInvocation(generation: Generation, call: AstNode, level: number): string {
  const context = generation.context;
  let compiled: Invocation | undefined;
  const invocation: Invocation = (input, frame, leading) => {
    compiled ??= compileInvocation(call, level, context);
    return compiled(input, frame, leading);
  };
  return generation.source.constant(invocation);
}
