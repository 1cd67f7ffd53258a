import { type AstNode, forEachNode } from "../ast.js";
import type { CompileContext } from "../compile-node.js";
import { isJsonataBuiltin, mayCallBack } from "../functions/builtins.js";
import { generatedFunction } from "../generated-function.js";
import type { Evaluate } from "../procedure.js";
import { NodeGeneration } from "./generate-node.js";
import { repeatedPaths } from "./generate-path.js";
import { rootScope } from "./generation.js";
import { generatedBindings } from "./runtime.js";
import { Source } from "./source.js";

/** A generated evaluation, with its source for tests and for reading. */
export interface GeneratedEvaluate {
  readonly evaluate: Evaluate;
  readonly source: string;
  /** What the function reads as `k`. */
  readonly constants: readonly unknown[];
}

/**
 * Generate one JavaScript function for a whole expression (`new Function`
 * over the generator's templates, once, when the expression is compiled),
 * with the closure compiler's semantics. Throws `Declined` where the
 * closure compiler would; returns undefined where `new Function` is not
 * allowed (a page whose content security policy forbids it).
 */
export function generateEvaluate(
  ast: AstNode,
  context: CompileContext,
): GeneratedEvaluate | undefined {
  const source = new Source();
  const generation = new NodeGeneration(source, context, sitesRead(ast), repeatedPaths(ast));
  const root = generation.node(ast, 1, rootScope);
  source.line(`return ${root.code};`);
  const names = ["k", ...Object.keys(generatedBindings)].join(", ");
  const text = `"use strict";\nconst { ${names} } = parts;\n${source.text()};`;
  const factory = generatedFunction<(parts: Record<string, unknown>) => Evaluate>(
    "expression",
    ["parts"],
    text,
  );
  if (factory === undefined) return undefined;
  const evaluate = factory({ ...generatedBindings, k: source.constants });
  return { evaluate, source: text, constants: source.constants };
}

/**
 * The built-ins whose call sites are read after the call that wrote them
 * (see `Generation.sitesRead`): those the expression names other than as
 * the callee of a call, and those with a call that may call back: one whose
 * arguments may put a function where the built-in takes one (not
 * `$replace(text, " ", "_")`, whose literals leave `text` no such place).
 */
function sitesRead(tree: AstNode): ReadonlySet<string> {
  const names = new Set<string>();
  // the calls `~>` makes (met before their callee: parents come first)
  const applied = new Set<AstNode>();
  forEachNode(tree, (node, holder, key) => {
    if (node.type === "apply" && node.rhs !== undefined) applied.add(node.rhs);
    const name = String(node.value);
    if (node.type !== "variable" || !isJsonataBuiltin(name)) return;
    // held as an array item (an argument), it is not the callee even under "procedure"
    const callee = key === "procedure" && holder?.type === "function" && holder.procedure === node;
    if (!callee || mayCallBack(name, literalTypes(holder), applied.has(holder))) names.add(name);
  });
  return names;
}

/** The types of a call's arguments that are string or number literals, undefined for the others. */
function literalTypes(call: AstNode): ("string" | "number" | undefined)[] {
  return (call.arguments ?? []).map((arg) =>
    arg.type === "string" || arg.type === "number" ? arg.type : undefined,
  );
}
