import type jsonata from "jsonata";

/**
 * Functions a mapping may not call. `$eval` parses and runs a string as
 * JSONata at evaluation time: event data would become code, and it escapes
 * the compile-once, checked-at-load guarantees mappings give reviewers.
 */
const forbidden = new Set(["eval"]);

/** A forbidden function referenced anywhere in the tree, with its position. */
export interface ForbiddenUse {
  readonly name: string;
  readonly position: number;
}

/** Walk a jsonata syntax tree and return the first reference to a forbidden function. */
export function findForbiddenUse(node: unknown): ForbiddenUse | undefined {
  if (node === null || typeof node !== "object") return undefined;
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findForbiddenUse(child);
      if (found) return found;
    }
    return undefined;
  }
  const expr = node as jsonata.ExprNode;
  if (expr.type === "variable" && typeof expr.value === "string" && forbidden.has(expr.value)) {
    return { name: expr.value, position: expr.position ?? 0 };
  }
  for (const value of Object.values(expr)) {
    if (value !== null && typeof value === "object") {
      const found = findForbiddenUse(value);
      if (found) return found;
    }
  }
  return undefined;
}
