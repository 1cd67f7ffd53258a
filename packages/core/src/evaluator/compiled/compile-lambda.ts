import type { AstNode } from "./ast.js";
import { type CompileContext, compileNode, mustCheckDepth } from "./compile-node.js";
import { Frame } from "./frame.js";
import { createProcedure, type Evaluate, type Signature, TailCall } from "./procedure.js";
import { enter, run } from "./run-state.js";

/**
 * `function($a, $b) { body }`: a function value closing over the scope and
 * the context it was created in. The body is compiled once; each call gets
 * a scope of its own for the parameters.
 */
export function compileLambda(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  if (node.thunk === true) return compileTailCall(node, level, context);
  const parameters = (node.arguments ?? []).map((parameter) => String(parameter.value));
  // jsonata evaluates a body one level below the node that calls the function
  const body = compileNode(node.body!, 1, { ...context, inLambda: true });
  const signature: Signature | undefined = node.signature;
  return (input, frame) => {
    if (guarded) enter(level);
    const invoke = (args: unknown[], depth: number): unknown => {
      const scope = new Frame(frame);
      for (let index = 0; index < parameters.length; index++)
        scope.bind(parameters[index]!, args[index]);
      const saved = run.depthBase;
      run.depthBase = depth;
      const result = body(input, scope);
      run.depthBase = saved;
      return result;
    };
    return createProcedure({
      arity: parameters.length,
      ...(signature === undefined ? {} : { signature }),
      invoke,
      slots: parameters.length,
      invokeSlots: invoke,
      context: { input },
    });
  };
}

/**
 * A call in tail position of a function body (jsonata marks these as
 * thunks): its callee and arguments are evaluated by the trampoline in
 * `applyProcedure`, so tail recursion does not grow the stack.
 */
function compileTailCall(node: AstNode, level: number, context: CompileContext): Evaluate {
  const guarded = mustCheckDepth(level, context);
  const call = node.body!;
  const inBody = { ...context, inLambda: true };
  const procedure = compileNode(call.procedure!, 1, inBody);
  const args = (call.arguments ?? []).map((arg) => compileNode(arg, 1, inBody));
  const callee = call.procedure!;
  const position = callee.position;
  const token = callee.type === "variable" ? String(callee.value) : undefined;
  return (input, frame) => {
    if (guarded) enter(level);
    return new TailCall(procedure, args, input, frame, position, token);
  };
}
