/**
 * A scope of variables, as jsonata's environment frames: the evaluation's
 * root frame (bindings and `$$`), one per block, one per lambda call.
 * `:=` binds in the current frame; lookups walk outwards.
 */
export class Frame {
  private readonly variables = new Map<string, unknown>();

  constructor(readonly parent?: Frame) {}

  bind(name: string, value: unknown): void {
    this.variables.set(name, value);
  }

  /** The variable's value, or `unbound` when no frame binds it (a binding to undefined counts). */
  lookup(name: string): unknown {
    for (let frame: Frame | undefined = this; frame !== undefined; frame = frame.parent) {
      const value = frame.variables.get(name);
      if (value !== undefined || frame.variables.has(name)) return value;
    }
    return unbound;
  }
}

export const unbound: unique symbol = Symbol("unbound");
