import { integer, quote } from "../evaluator/compiled/codegen/source.js";
import { generatedFunction } from "../evaluator/compiled/generated-function.js";
import type { PayloadWalker } from "../evaluator/plain-json.js";
import type { BuiltObject, EventPath } from "./payload-shape.js";

/**
 * The walker of the payloads a mapping's object constructors build
 * (`BuiltObject`), generated once at load as one JavaScript function
 * (`toPlainJsonWalked` runs it): it reads each field the constructors can
 * make by its literal name rather than listing the object's keys, counts
 * strings, numbers and booleans where it meets them, and leaves every
 * other value (and anything unexpected) to the generic walk. The code
 * generator's rule holds: field names enter the source only as JSON string
 * literals (`quote`), event paths only as entries of `paths`, levels and
 * lengths only as integers we computed; the rest is this file's template.
 * Undefined where `new Function` is refused (a content security policy):
 * the generic walk then does it all.
 */
export function payloadWalkerFor(built: BuiltObject): PayloadWalker | undefined {
  const writer = new WalkerSource();
  writer.object(built, "payload", 1);
  const body = `var ${writer.variables.join(", ")}, c = 0;\n${writer.lines.join("\n")}\nreturn c;`;
  const text = `"use strict";\nreturn function walk(payload, w, paths) {\n${body}\n};`;
  const factory = generatedFunction<
    (
      prototype: object,
      getProto: typeof Object.getPrototypeOf,
      hasOwn: typeof Object.prototype.hasOwnProperty,
    ) => PayloadWalker["walk"]
  >("payload-walker", ["OP", "getProto", "hasOwn"], text);
  if (factory === undefined) return undefined;
  const walk = factory(Object.prototype, Object.getPrototypeOf, Object.prototype.hasOwnProperty);
  return { walk, paths: writer.paths, levels: writer.levels };
}

class WalkerSource {
  readonly lines: string[] = [];
  readonly variables: string[] = ["v"];
  readonly paths: EventPath[] = [];
  levels = 0;

  /**
   * The fields of the object in `subject`, which the walk meets at `level`
   * (checked to be an ordinary object): each defined own field counts its
   * key, quotes and colon, and its value; commas go between them.
   */
  object(built: BuiltObject, subject: string, level: number): void {
    this.levels = Math.max(this.levels, level);
    const members = `m${integer(level)}`;
    if (!this.variables.includes(members)) this.variables.push(members);
    this.line(
      `if (${subject} === null || typeof ${subject} !== "object" || Array.isArray(${subject}) || getProto(${subject}) !== OP) w.fail();`,
    );
    this.line(`c += 2; ${members} = 0;`);
    for (const [key, field] of built) {
      const name = quote(key);
      this.line(`v = ${subject}[${name}];`);
      // an own field holding undefined would be dropped by the walk (a copy); an inherited one is not the object's
      this.line(`if (v === undefined) { if (hasOwn.call(${subject}, ${name})) w.fail(); }`);
      this.line(`else {`);
      this.line(`if (OP[${name}] !== undefined && !hasOwn.call(${subject}, ${name})) w.fail();`);
      this.line(`${members}++; c += ${integer(key.length + 3)};`);
      this.value(field, level + 1);
      this.line("}");
    }
    this.line(`if (${members} > 1) c += ${members} - 1;`);
  }

  /** The value in `v`, a field met at `level`. */
  private value(field: BuiltObject | EventPath | "value", level: number): void {
    if (field instanceof Map) {
      const nested = `o${integer(level)}`;
      if (!this.variables.includes(nested)) this.variables.push(nested);
      this.line(`${nested} = v;`);
      this.object(field, nested, level);
      return;
    }
    this.line(`if (typeof v === "string") c += v.length + 2;`);
    this.line(`else if (typeof v === "number") c += w.number(v);`);
    this.line(`else if (typeof v === "boolean") c += v ? 4 : 5;`);
    if (field === "value") {
      this.line(`else if (Array.isArray(v)) c += w.array(v, ${integer(level)});`);
      this.line(`else w.item(v, ${integer(level)});`);
      return;
    }
    this.paths.push(field as EventPath);
    this.line(`else w.part(v, paths[${integer(this.paths.length - 1)}], ${integer(level)});`);
  }

  private line(code: string): void {
    this.lines.push(code);
  }
}
