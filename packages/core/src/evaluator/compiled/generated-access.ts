import { failedEntry } from "./concurrent-entries.js";
import type { Frame } from "./frame.js";
import { generatedFunction } from "./generated-function.js";
import type { Evaluate } from "./procedure.js";

/**
 * Two tiny pieces of generated code for the hottest operations: reading a
 * chain of fields, and filling an object with literal keys. Written as
 * closures, all paths share one property access site, which V8 cannot keep
 * fast once it has seen many keys and shapes (2x slower measured); a
 * function generated per path or object has access sites of its own.
 *
 * The only text derived from an expression is field names, and they enter
 * the code through JSON.stringify as string literals in `[...]` accessors,
 * never as code. Everything else is fixed template text. Where `new
 * Function` is refused (a page's content security policy), closures doing
 * the same take over.
 */

/** Read `names` in turn from an object; at the first array, hand over to `across(object, index)`. */
export function generateFieldReader(
  names: readonly string[],
  across: (object: unknown, index: number) => unknown,
): (input: unknown) => unknown {
  const last = names.length - 1;
  let body = "var object = input, value;\n";
  names.forEach((name, index) => {
    const key = JSON.stringify(name);
    const handOver =
      index < last ? "Array.isArray(value)" : "Array.isArray(value) && value.sequence === true";
    body +=
      `if (object === null || typeof object !== "object" || !hasOwn.call(object, ${key})) return undefined;\n` +
      `value = object[${key}];\n` +
      "if (value === undefined) return undefined;\n" +
      `if (${handOver}) return across(object, ${index});\n` +
      "object = value;\n";
  });
  body += "return value;";
  const factory = generatedFunction<
    (
      hasOwn: typeof Object.prototype.hasOwnProperty,
      handOver: typeof across,
    ) => (input: unknown) => unknown
  >(
    "field-reader",
    ["hasOwn", "across"],
    `"use strict";\nreturn function readFields(input) {\n${body}\n};`,
  );
  return factory?.(Object.prototype.hasOwnProperty, across) ?? readFields(names, across);
}

/** `generateFieldReader` as a closure. */
function readFields(
  names: readonly string[],
  across: (object: unknown, index: number) => unknown,
): (input: unknown) => unknown {
  const last = names.length - 1;
  return (input) => {
    let object = input;
    let value: unknown;
    for (let index = 0; index <= last; index++) {
      const name = names[index]!;
      if (object === null || typeof object !== "object" || !Object.hasOwn(object, name))
        return undefined;
      value = (object as Record<string, unknown>)[name];
      if (value === undefined) return undefined;
      if (
        Array.isArray(value) &&
        (index < last || (value as { sequence?: unknown }).sequence === true)
      )
        return across(object, index);
      object = value;
    }
    return value;
  };
}

/**
 * Build an object from `keys` (already in the order their fields must be
 * set) and the evaluators of their values, leaving out undefined values.
 * Callers never pass `__proto__`, which an assignment would not create as a field.
 */
export function generateObjectBuilder(
  keys: readonly string[],
  values: readonly Evaluate[],
): (input: unknown, frame: Frame) => Record<string, unknown> {
  let body = "var result = {}, field, at = 0;\ntry {\n";
  keys.forEach((name, index) => {
    body +=
      `at = ${index};\nfield = values[${index}](input, frame);\n` +
      `if (field !== undefined) result[${JSON.stringify(name)}] = field;\n`;
  });
  body +=
    "} catch (error) {\n" +
    "  failedEntry(error, function () { for (var rest = at + 1; rest < values.length; rest++) values[rest](input, frame); }, values.length > 1);\n" +
    "}\nreturn result;";
  const factory = generatedFunction<
    (
      values: readonly Evaluate[],
      settle: typeof failedEntry,
    ) => (input: unknown, frame: Frame) => Record<string, unknown>
  >(
    "object-builder",
    ["values", "failedEntry"],
    `"use strict";\nreturn function buildObject(input, frame) {\n${body}\n};`,
  );
  return factory?.(values, failedEntry) ?? buildObject(keys, values);
}

/** `generateObjectBuilder` as a closure. */
function buildObject(
  keys: readonly string[],
  values: readonly Evaluate[],
): (input: unknown, frame: Frame) => Record<string, unknown> {
  return (input, frame) => {
    const result: Record<string, unknown> = {};
    let at = 0;
    try {
      for (; at < keys.length; at++) {
        const field = values[at]!(input, frame);
        if (field !== undefined) result[keys[at]!] = field;
      }
    } catch (error) {
      const rest = () => {
        for (let next = at + 1; next < values.length; next++) values[next]!(input, frame);
      };
      failedEntry(error, rest, values.length > 1);
    }
    return result;
  };
}
