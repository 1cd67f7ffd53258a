import type { AstNode } from "../ast.js";
import type { CompileContext } from "../compile-node.js";
import type { Source } from "./source.js";
import type { Value } from "./value-kind.js";

/** Where generated code for a node runs: the variables holding its context value (`$`) and its scope. */
export interface Scope {
  readonly input: string;
  readonly frame: string;
  /** The input is known to be no array: the code runs where an object constructor found it was none. */
  readonly single?: boolean;
}

/** The scope of the whole expression: the generated function's parameters. */
export const rootScope: Scope = { input: "input", frame: "frame" };

/**
 * One expression being generated: its source, what compiling it knows, and
 * the generation of nodes, which per-construct generators call for their children.
 */
export interface Generation {
  readonly source: Source;
  readonly context: CompileContext;
  /**
   * Built-ins whose call sites must be written onto them even when a call
   * succeeds: those the expression also uses as values (`$map(x, $string)`)
   * and those that call function arguments, where an error escaping a
   * later, indirect call is placed at the last site written (see `markSite`).
   */
  readonly sitesRead: ReadonlySet<string>;
  /** The paths of plain names the expression reads more than once, as `pathKey` names them. */
  readonly repeatedPaths: ReadonlySet<string>;
  /** Generate `node` (jsonata's `evaluate`: its value, filtered, grouped and collapsed). */
  node(node: AstNode, level: number, scope: Scope): Value;
  /** Evaluate `node` with the closure compiler, for constructs the generator leaves to it. */
  delegate(node: AstNode, level: number, scope: Scope): Value;
  /**
   * A constant holding the closure-compiled `node`, compiled on its first
   * call: for the rare paths (an array where an object is usual, a
   * shadowed built-in, the entries after one that failed) that generated
   * code hands to the closure compiler, which evaluates them identically.
   */
  lazyClosure(node: AstNode, level: number): string;
  /** Check the depth limit at `level`, where the closure compiler checks it (`mustCheckDepth`). */
  guard(level: number): void;
}
