/**
 * A scope of variables, as jsonata's environment frames: the evaluation's
 * root frame (bindings and `$$`), one per block, one per lambda call.
 * `:=` binds in the current frame; lookups walk outwards. The map is made
 * on the first binding, since most blocks bind nothing.
 */
export class Frame {
  private variables: Map<string, unknown> | undefined;

  constructor(readonly parent?: Frame) {}

  bind(name: string, value: unknown): void {
    this.variables ??= new Map();
    this.variables.set(name, value);
  }

  /** The variable's value, or `unbound` when no frame binds it (a binding to undefined counts). */
  lookup(name: string): unknown {
    for (let frame: Frame | undefined = this; frame !== undefined; frame = frame.parent) {
      const variables = frame.variables;
      if (variables === undefined) continue;
      const value = variables.get(name);
      if (value !== undefined || variables.has(name)) return value;
    }
    return unbound;
  }
}

export const unbound: unique symbol = Symbol("unbound");
