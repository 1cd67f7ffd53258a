/**
 * The parts of jsonata's syntax tree (`jsonata(expr).ast()`, after its
 * post-processing) that the compiler reads.
 */
export interface AstNode {
  type: string;
  value?: unknown;
  position?: number;
  steps?: AstNode[];
  stages?: AstStage[];
  predicate?: AstStage[];
  group?: AstGroup;
  keepArray?: boolean;
  keepSingletonArray?: boolean;
  consarray?: boolean;
  expressions?: AstNode[];
  expression?: AstNode;
  lhs?: AstNode | [AstNode, AstNode][];
  rhs?: AstNode;
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  procedure?: AstNode;
  arguments?: AstNode[];
  body?: AstNode;
  signature?: { validate(args: unknown[], context: unknown): unknown[] };
  thunk?: boolean;
  focus?: string;
  index?: string;
  tuple?: boolean;
  ancestor?: unknown;
  seekingParent?: unknown;
}

export interface AstStage {
  type: string;
  expr: AstNode;
  position?: number;
}

export interface AstGroup {
  lhs: [AstNode, AstNode][];
  position?: number;
}

/** Whether a node binds the context (`@`), a position (`#`) or reads a parent (`%`): steps over tuple streams. */
export function bindsTuples(node: AstNode): boolean {
  return (
    node.tuple === true ||
    node.focus !== undefined ||
    node.index !== undefined ||
    node.ancestor !== undefined ||
    node.seekingParent !== undefined
  );
}

/**
 * Call `visit` for every node of jsonata's tree, parents before children,
 * with the node holding it and the key it is held under (its signatures,
 * which are not nodes, left out).
 */
export function forEachNode(
  tree: unknown,
  visit: (node: AstNode, holder: AstNode | undefined, key: string | undefined) => void,
): void {
  const walk = (value: unknown, holder: AstNode | undefined, key: string | undefined): void => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, holder, key);
      return;
    }
    const node = value as AstNode;
    visit(node, holder, key);
    for (const child of Object.keys(node))
      if (child !== "signature") walk(node[child as keyof AstNode], node, child);
  };
  walk(tree, undefined, undefined);
}

/** Thrown while compiling when a construct is not compiled: the expression falls back to jsonata. */
export class Declined extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "Declined";
  }
}

export function decline(what: string, node: AstNode): never {
  throw new Declined(node.position === undefined ? what : `${what} at position ${node.position}`);
}
