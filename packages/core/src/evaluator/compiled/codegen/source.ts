/**
 * The text of one generated function, and the only way anything taken from
 * an expression enters it. The rule: no expression text and no event data
 * ever becomes code. Field names, variable names and string literals enter
 * as JSON string literals (`quote`), numbers only when they are finite
 * (`number`), and every other value (positions, regular expressions,
 * functions, descriptors of call sites) as an entry of the constants array
 * the function receives (`constant`), read as `k[3]`. Identifiers are ours:
 * `v` and a counter. Everything else is fixed template text written by the
 * generator's own code.
 */
export class Source {
  private readonly functions: GeneratedFunction[] = [];
  private readonly main: GeneratedFunction = { header: "", lines: [], declared: [], indent: 1 };
  private current = this.main;
  private readonly remembered = new Map<string, string>();
  /** The main function's variable holding `R.bindings`, once something reads it. */
  private bindingsVariable: string | undefined;
  private names = 0;
  readonly constants: unknown[] = [];

  /** A fresh variable, declared at the top of the function being written. */
  temp(): string {
    const name = `v${this.names++}`;
    this.current.declared.push(name);
    return name;
  }

  /**
   * The variable of the main function that keeps what was read under
   * `key` (a name of ours, never text of the expression), the same for
   * every use of the key: undefined until code stores a value in it.
   */
  remember(key: string): string {
    let name = this.remembered.get(key);
    if (name === undefined) {
      name = `v${this.names++}`;
      this.main.declared.push(name);
      this.remembered.set(key, name);
    }
    return name;
  }

  /**
   * The bindings the evaluation was given (`R.bindings`): in the main
   * function a variable set once at its start, which serves every built-in
   * call's check for a shadowing binding, since they stay the same for the
   * whole evaluation (a nested one puts back the outer one's).
   */
  get bindings(): string {
    if (!this.inMain) return "R.bindings";
    if (this.bindingsVariable === undefined) {
      this.bindingsVariable = `v${this.names++}`;
      this.main.declared.push(this.bindingsVariable);
    }
    return this.bindingsVariable;
  }

  /** Whether the main function is being written (not a helper). */
  get inMain(): boolean {
    return this.current === this.main;
  }

  line(code: string): void {
    this.current.lines.push(`${"  ".repeat(this.current.indent)}${code}`);
  }

  /** `header {`, then the body one level in, then `}` (or `trailer`). */
  block(header: string, body: () => void, trailer = "}"): void {
    this.line(`${header} {`);
    this.current.indent++;
    body();
    this.current.indent--;
    this.line(trailer);
  }

  /**
   * A function of its own beside the main one, for code the main one
   * rarely runs: kept out of it, it leaves the main function small enough
   * for V8 to optimise well. `body` writes it, and returns what it returns.
   */
  helper(parameters: readonly string[], body: () => string): string {
    const name = `f${this.names++}`;
    const outer = this.current;
    this.current = {
      header: `function ${name}(${parameters.join(", ")})`,
      lines: [],
      declared: [],
      indent: 1,
    };
    const result = body();
    this.line(`return ${result};`);
    this.functions.push(this.current);
    this.current = outer;
    return name;
  }

  /** A parameter name for a helper (a variable the helper reads, named by us). */
  parameter(): string {
    return `v${this.names++}`;
  }

  /** A value the generated code reads from the constants array. */
  constant(value: unknown): string {
    let index = this.constants.indexOf(value);
    if (index === -1 || typeof value === "number") {
      index = this.constants.length;
      this.constants.push(value);
    }
    return `k[${index}]`;
  }

  /** A primitive as a literal when it can be written as one safely, else as a constant. */
  literal(value: unknown): string {
    if (value === undefined) return "undefined";
    if (value === null || typeof value === "boolean") return String(value);
    if (typeof value === "string") return quote(value);
    if (typeof value === "number") return number(value) ?? this.constant(value);
    return this.constant(value);
  }

  /** The factory's body: the helpers, then the main function, `evaluate(input, frame)`, returned. */
  text(): string {
    const start =
      this.bindingsVariable === undefined ? [] : [`  ${this.bindingsVariable} = R.bindings;`];
    const main = {
      ...this.main,
      header: "return function evaluate(input, frame)",
      lines: [...start, ...this.main.lines],
    };
    return [...this.functions, main].map(functionText).join("\n");
  }
}

interface GeneratedFunction {
  readonly header: string;
  readonly lines: string[];
  readonly declared: string[];
  indent: number;
}

function functionText(generated: GeneratedFunction): string {
  const declarations =
    generated.declared.length > 0 ? `  var ${generated.declared.join(", ")};\n` : "";
  return `${generated.header} {\n${declarations}${generated.lines.join("\n")}\n}`;
}

/**
 * A string as a JavaScript string literal. JSON.stringify escapes quotes,
 * backslashes, control characters and lone surrogates; U+2028 and U+2029,
 * which JSON leaves as they are, are escaped too, so the literal reads the
 * same in any JavaScript parser.
 */
export function quote(text: string): string {
  return JSON.stringify(text)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A finite number as a literal (negative zero kept), undefined for anything else. */
export function number(value: number): string | undefined {
  if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
  if (Object.is(value, -0)) return "(-0)";
  // in parentheses, so that `(2).length` reads as a property of the number
  return `(${String(value)})`;
}

/** A small non-negative integer we computed (a level, an index), checked before it becomes text. */
export function integer(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not an index: ${value}`);
  return String(value);
}
