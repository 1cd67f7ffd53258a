import { type AstNode, decline } from "../ast.js";
import {
  type CompileContext,
  compileNode,
  mustCheckDepth,
  producesSequences,
  rejectTupleSteps,
  selfCollapsing,
} from "../compile-node.js";
import type { Evaluate } from "../procedure.js";
import { generateBinary } from "./generate-binary.js";
import { generateCall } from "./generate-call.js";
import { generateBind, generateBlock, generateCondition } from "./generate-control.js";
import { generateLiteral, generateName, generateVariable } from "./generate-leaf.js";
import { generatePath } from "./generate-path.js";
import { generateUnary } from "./generate-unary.js";
import type { Generation, Scope } from "./generation.js";
import { integer, type Source } from "./source.js";
import { anyKind, Kind, only, type Value } from "./value-kind.js";

/**
 * The generator's side of jsonata's `evaluate`, node by node, mirroring the
 * closure compiler (`compileNode` and the `compile*` functions) construct
 * for construct: the same order of evaluation, the same checks of the
 * limits, the same errors at the same places. Constructs it does not
 * generate are compiled by the closure compiler and called from the
 * generated code (`delegate`).
 */
export class NodeGeneration implements Generation {
  constructor(
    readonly source: Source,
    readonly context: CompileContext,
    readonly sitesRead: ReadonlySet<string>,
    readonly repeatedPaths: ReadonlySet<string>,
  ) {}

  node(node: AstNode, level: number, scope: Scope): Value {
    const stages = node.predicate ?? [];
    for (const stage of stages)
      if (stage.type !== "filter") decline("positional binding (#)", node);
    if (stages.length > 0 || (node.type !== "path" && node.group !== undefined))
      return this.delegate(node, level, scope);
    rejectTupleSteps(node);
    const keepArray = node.keepArray === true;
    const raw = this.raw(node, level, scope);
    if (selfCollapsing(node) || (!keepArray && !producesSequences(node))) return raw;
    return collapsed(this.source, raw, keepArray);
  }

  delegate(node: AstNode, level: number, scope: Scope): Value {
    const evaluate = this.source.constant(compileNode(node, level, this.context));
    const value = this.source.temp();
    this.source.line(`${value} = ${evaluate}(${scope.input}, ${scope.frame});`);
    return { code: value, kind: anyKind };
  }

  lazyClosure(node: AstNode, level: number): string {
    const context = this.context;
    let compiled: Evaluate | undefined;
    const evaluate: Evaluate = (input, frame) => {
      compiled ??= compileNode(node, level, context);
      return compiled(input, frame);
    };
    return this.source.constant(evaluate);
  }

  guard(level: number): void {
    if (mustCheckDepth(level, this.context))
      this.source.line(`if (R.depthBase + ${integer(level)} > R.maxDepth) rt.tooDeep();`);
  }

  private raw(node: AstNode, level: number, scope: Scope): Value {
    switch (node.type) {
      case "path":
        return generatePath(this, node, level, scope);
      case "binary":
        return generateBinary(this, node, level, scope);
      case "unary":
        return generateUnary(this, node, level, scope);
      case "name":
        return generateName(this, node, level, scope);
      case "string":
      case "number":
      case "value":
        return generateLiteral(this, node, level);
      case "condition":
        return generateCondition(this, node, level, scope);
      case "block":
        return generateBlock(this, node, level, scope);
      case "bind":
        return generateBind(this, node, level, scope);
      case "variable":
        return generateVariable(this, node, level, scope);
      case "function":
      case "apply":
        return generateCall(this, node, level, scope);
      default:
        return this.delegate(node, level, scope);
    }
  }
}

/** jsonata's collapse of a node's value, left out when the value cannot be a sequence. */
export function collapsed(source: Source, value: Value, keepArray: boolean): Value {
  if (only(value, ~Kind.sequence)) return value;
  const result = source.temp();
  const v = value.code;
  source.line(
    `${result} = Array.isArray(${v}) && ${v}.sequence === true ? rt.collapse(${v}, ${keepArray}) : ${v};`,
  );
  return { code: result, kind: anyKind };
}
