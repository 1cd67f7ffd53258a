import jsonata from "jsonata";
import { afterEach, describe, expect, it } from "vitest";
import { defaultEvaluationLimits } from "../../evaluator.js";
import { parseJsonata } from "../../jsonata-evaluator.js";
import { toPlainJson } from "../../plain-json.js";
import { compileExpression } from "../compile-expression.js";
import { generatedBindings, runtime } from "./runtime.js";

/**
 * The code generator's rule: no expression text and no event data ever
 * becomes code. Field names, variable names and strings that look like
 * code, break out of string literals or comments, or name prototype
 * members go through generation; the expression must give jsonata's
 * result, nothing may run, and what is left of the generated source once
 * its string literals are taken out must be the generator's own tokens.
 */

const hostile = [
  'a"b',
  "a'b",
  "back\\slash",
  "</script><script>globalThis.pwned = 1</script>",
  "line\u2028separator",
  "paragraph\u2029separator",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the point
  "${globalThis.pwned = 1}",
  '"]; globalThis.pwned = 1; ["',
  "*/ globalThis.pwned = 1; /*",
  "// comment",
  "new\nline",
  "tab\there",
  "nul\u0000char",
  "lone\ud800surrogate",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "then",
  "return globalThis.pwned = 1",
  "v0",
  "k[0]",
  "rt.tooDeep()",
  "back`tick",
  "`; globalThis.pwned = 1; `",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template placeholder is the point
  "${`${globalThis.pwned = 1}`}",
  '\\"; globalThis.pwned = 1; //',
  "'; globalThis.pwned = 1; '",
  "\n globalThis.pwned = 1 //",
  "\u2028globalThis.pwned = 1//",
  "*/ globalThis.pwned = 1 /*",
  "<!-- comment -->",
  "\\u0022 escaped quote",
];

/**
 * The strings of `hostile` written to break out of JavaScript code and set
 * the canary (the `</script>` one breaks out of HTML, not of code).
 */
const injections = hostile.filter(
  (text) => text.includes("globalThis.pwned = 1") && !text.includes("</script>"),
);

/** `text` as a jsonata regular expression that matches it literally. */
function jsonataRegex(text: string): string {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return `/${escaped
    .replace(/\n/g, "\\n")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")}/`;
}

/** A jsonata string literal for `text` (jsonata reads JSON's escapes). */
function jsonataString(text: string): string {
  return JSON.stringify(text);
}

/** Expressions that put `name` where the generator writes field names, keys and strings. */
function expressionsFor(name: string): string[] {
  const field = `\`${name}\``;
  const text = jsonataString(name);
  const expressions = [
    field,
    `nested.${field}`,
    `list.${field}`,
    `[list.${field}]`,
    `{${text}: ${field}, "other": nested.${field}}`,
    `{${text}: ${text}}`,
    `${text} & ${field}`,
    `$uppercase(${field})`,
    `$replace(${field}, ${text}, "x")`,
    `$contains(${text}, ${text})`,
    `${field} = ${text}`,
    `${field} ? ${text} : nested.${field}`,
    `$lookup($, ${text})`,
    `$lookup(nested, ${text})`,
    `$lookup(list, ${text})`,
    `[${field}, ${text}]`,
    `($v := ${text}; $v & nested.${field})`,
    `$keys(nested)`,
    `$each(nested, function($value, $key) { $key & $value })`,
    `$sift(nested, function($value, $key) { $key = ${text} })`,
    `$merge([nested, {${text}: 1}])`,
    `$string(nested)`,
    `$replace(${field}, ${jsonataRegex(name)}, ${text})`,
    `$contains(nested.${field}, ${jsonataRegex(name)})`,
    `$split(nested.${field}, ${jsonataRegex(name)})`,
    `$match(${field}, ${jsonataRegex(name)}).match`,
    `nested.${field} ~> ${jsonataRegex(name)}`,
  ];
  // jsonata has no escape for a backtick in a quoted name: such a field is only reached by $lookup
  return name.includes("`") ? expressions.filter((text) => !text.includes(field)) : expressions;
}

/** An event whose fields are named `name`, at the top, nested, and in a list. */
function eventFor(name: string): unknown {
  const entry = (value: unknown) =>
    JSON.parse(`{${JSON.stringify(name)}: ${JSON.stringify(value)}}`);
  return {
    ...entry(name),
    nested: entry(`nested ${name}`),
    list: [entry("first"), entry("second"), { other: 1 }],
  };
}

function generated(expression: string) {
  const compiled = compileExpression(
    parseJsonata(expression, defaultEvaluationLimits).ast(),
    defaultEvaluationLimits,
  );
  if (!compiled.ok) throw new Error(`${expression} was not compiled: ${compiled.reason}`);
  expect(compiled.generatedSource, expression).toBeDefined();
  return { evaluator: compiled.evaluator, source: compiled.generatedSource! };
}

/** The identifiers the generator's templates use: JavaScript's, ours, and the runtime's. */
const ownWords = new Set([
  ...["use", "strict", "return", "function", "var", "if", "else", "for", "break", "continue"],
  ...["try", "catch", "throw", "new", "typeof", "undefined", "null", "true", "false"],
  ...["Array", "isArray", "Math", "floor", "ceil", "abs", "length", "push", "sequence", "cons"],
  ...["outerWrapper", "toLowerCase", "toUpperCase", "indexOf", "call", "lookup", "bind"],
  ...["string", "number", "boolean", "object", "evaluate", "input", "frame"],
  ...["depthBase", "maxDepth", "maxSequence", "ticks", "bindings", "foreignCalls"],
  ...["const", "parts", "k", ...Object.keys(generatedBindings)],
  ...Object.keys(runtime),
]);

/** Words outside string literals that the generator did not write itself. */
function foreignWords(source: string): string[] {
  const code = source.replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
  const words = code.match(/[A-Za-z_$][\w$]*/g) ?? [];
  return words.filter((word) => !ownWords.has(word) && !/^[vf][0-9]+$/.test(word));
}

/** Whether running `code` as JavaScript sets the canary (and clears it again). */
function setsCanary(code: string): boolean {
  try {
    new Function(code)();
  } catch {
    // a string that breaks the naive code's syntax still proves nothing ran
  }
  const canary = globalThis as { pwned?: unknown };
  const set = canary.pwned !== undefined;
  delete canary.pwned;
  return set;
}

afterEach(() => {
  expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
});

describe("generated code and hostile names and strings", () => {
  it.each(hostile)(
    "%j stays data: jsonata's results, and only the generator's code",
    async (name) => {
      const event = eventFor(name);
      const empty: string[] = [];
      for (const expression of expressionsFor(name)) {
        const { evaluator, source } = generated(expression);
        expect(foreignWords(source), `${expression}\n${source}`).toEqual([]);
        const expected = toPlainJson(await jsonata(expression).evaluate(event));
        expect(toPlainJson(evaluator.evaluate(event)), expression).toEqual(expected);
        if (expected === undefined) empty.push(expression);
      }
      // the expressions read the hostile fields: every one finds something
      expect(empty).toEqual([]);
    },
  );

  it("uses strings that would run as code if pasted into it unquoted (the canary can fail)", () => {
    expect(injections.length).toBeGreaterThan(8);
    // the ways generated code could have pasted a string: bare, in quotes (escaping only quotes), in comments
    const naive = (text: string) =>
      [`var a = "${text}";`, `var a = "${text.replace(/"/g, '\\"')}";`, `var a = '${text}';`]
        .concat([`var a = \`${text}\`;`, `var a = ["${text}"];`, `${text};`])
        .concat([`var a = 1; /* ${text} */`, `var a = 1; // ${text}`])
        .some(setsCanary);
    const running = injections.filter(naive);
    expect(running.length).toBe(injections.length);
  });

  it("writes no literal character JavaScript would read as a line break inside a string", () => {
    const { source } = generated(`{"a\u2028b\u2029c": "\u2028\u2029"}`);
    expect(source).not.toMatch(/[\u2028\u2029]/);
  });

  it("has nothing of the expression outside string literals, for a whole mapping", () => {
    const { source } = generated(`{
      "userId": userId,
      "type": $replace($lowercase(event), " ", "_"),
      "data": {
        "revenue": $round(properties.revenue, 2),
        "skus": [properties.products.sku],
        "big": properties.revenue > 100 ? true : false
      }
    }`);
    expect(foreignWords(source)).toEqual([]);
  });
});
