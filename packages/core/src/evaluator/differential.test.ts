import fc from "fast-check";
import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { failure, type Outcome } from "../../test/evaluation-outcome.js";
import { createEvaluator } from "./create-evaluator.js";
import type { EvaluationLimits, Evaluator } from "./evaluator.js";
import { callSiteEraser } from "./jsonata-call-sites.js";
import { toPlainJson } from "./plain-json.js";

/**
 * Differential properties: expressions generated from the grammar the
 * compiled evaluator covers, on generated Segment-shaped events, give the
 * same normalised result (or the same error) as jsonata 2.2.2 itself.
 */

/** How many expressions to generate: `npm run test:differential` asks for many more. */
const generatedRuns = Number(process.env.GWENMAP_DIFFERENTIAL_RUNS ?? 400);
/**
 * `npm test` runs a fixed seed, so CI is reproducible; the long run (`npm run test:differential`)
 * explores a new one each time. `GWENMAP_DIFFERENTIAL_SEED` replays the seed a failure prints.
 */
const seed = process.env.GWENMAP_DIFFERENTIAL_SEED
  ? Number(process.env.GWENMAP_DIFFERENTIAL_SEED)
  : process.env.GWENMAP_DIFFERENTIAL_RUNS
    ? undefined
    : 0x20261204;
/** Time for the generated runs on a loaded machine (`npm run test:differential` asks for 20,000). */
const runsTimeout = Math.max(30_000, generatedRuns * 60);

const limits: EvaluationLimits = { timeoutMs: 5_000, maxDepth: 200, maxSequenceLength: 100_000 };

async function throughJsonata(expression: string, event: unknown): Promise<Outcome> {
  try {
    const compiled = jsonata(expression, {
      timeout: limits.timeoutMs,
      stack: limits.maxDepth,
      sequence: limits.maxSequenceLength,
    });
    // as the fallback does: an error's place depends on the expression, not on what ran before
    (await callSiteEraser()).forget();
    return { value: toPlainJson(await compiled.evaluate(event)) };
  } catch (error) {
    return failure(error);
  }
}

/**
 * Every expression generated here is one the compiled evaluator covers: one
 * it declines fails the test. A generated syntax error (`a / b` can read as
 * the start of a regular expression) is answered with jsonata's error.
 */
function compiledEvaluator(expression: string): Evaluator | Outcome {
  let evaluator: Evaluator;
  try {
    evaluator = createEvaluator(expression, limits);
  } catch (error) {
    return failure(error);
  }
  expect(evaluator.kind, `${expression}: ${evaluator.fallbackReason}`).toBe("compiled");
  return evaluator;
}

async function throughCompiled(evaluator: Evaluator | Outcome, event: unknown): Promise<Outcome> {
  if (!("evaluate" in evaluator)) return evaluator;
  try {
    // an evaluation whose error jsonata's order of evaluation decides answers with a promise
    return { value: toPlainJson(await evaluator.evaluate(event)) };
  } catch (error) {
    return failure(error);
  }
}

function sameOutcome(
  where: { source: string; input: unknown },
  actual: Outcome,
  expected: Outcome,
): void {
  expect(actual, `${where.source} on ${JSON.stringify(where.input)}`).toEqual(expected);
}

// Segment-shaped events ---------------------------------------------------------------

const text = fc.oneof(
  fc.constantFrom(
    "",
    "a",
    "Order Completed",
    "sek",
    "SEK",
    " spaced  out ",
    "Ünïcödé ✓",
    "🎲 dice",
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);
const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 0.5, 1.005, 2.675, 100, 134.4567),
);
const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const product = fc.record(
  {
    sku: text,
    name: text,
    price: number,
    quantity: fc.integer({ min: 0, max: 5 }),
    tags: fc.array(text, { maxLength: 3 }),
  },
  { requiredKeys: ["sku", "price"] },
);
const properties = fc.record(
  {
    order_id: text,
    revenue: number,
    currency: text,
    coupon: fc.oneof(text, fc.constant(null)),
    products: fc.array(product, { maxLength: 5 }),
    nested: fc.record({
      level: fc.record({ deep: scalar, list: fc.array(scalar, { maxLength: 4 }) }),
    }),
    flag: fc.boolean(),
    matrix: fc.array(fc.array(fc.oneof(number, product), { maxLength: 3 }), { maxLength: 3 }),
    constructor: scalar,
  },
  { requiredKeys: [] },
);
const event = fc.record(
  {
    type: fc.constantFrom("track", "identify", "page"),
    event: text,
    userId: fc.uuid(),
    anonymousId: text,
    properties,
    traits: fc.record({ name: text, email: text, plan: fc.constantFrom("free", "pro") }),
    context: fc.record({
      ip: fc.constantFrom("203.0.113.7", "::1"),
      locale: fc.constantFrom("sv-SE", "en-US"),
      page: fc.record({ path: text, title: text }),
      __proto__: fc.record({ polluted: fc.constant(true) }),
    }),
  },
  { requiredKeys: ["type"] },
);

/** Mostly single events; sometimes a batch (an array input), a bare value, or nothing. */
const input = fc.oneof(
  { weight: 6, arbitrary: event },
  { weight: 1, arbitrary: fc.array(event, { maxLength: 3 }) },
  { weight: 1, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

// Expressions from the compiled grammar ------------------------------------------------

const field = fc.constantFrom(
  "type",
  "event",
  "userId",
  "properties",
  "revenue",
  "currency",
  "coupon",
  "products",
  "sku",
  "price",
  "quantity",
  "tags",
  "nested",
  "level",
  "deep",
  "list",
  "matrix",
  "context",
  "page",
  "title",
  "traits",
  "plan",
  "missing",
  "constructor",
  "__proto__",
  "prototype",
  "`order_id`",
);

const path = fc
  .array(field, { minLength: 1, maxLength: 4 })
  .map((names) => names.join("."))
  .chain((base) =>
    fc.oneof(
      fc.constant(base),
      fc.constant(`${base}[]`),
      fc.integer({ min: -2, max: 2 }).map((index) => `${base}[${index}]`),
      fc.constant(`$.${base}`),
      fc.constant(`$$.${base}`),
      fc.constant(`properties.products[price > 10].${base}`),
      fc.constant(`${base}.*`),
    ),
  );

const literal = fc.oneof(
  fc.integer({ min: -20, max: 120 }).map(String),
  fc.constantFrom(
    "0.5",
    "2.5",
    "1e3",
    "true",
    "false",
    "null",
    '""',
    '"a"',
    '"Order Completed"',
    "[]",
    "{}",
  ),
  text.map((value) => JSON.stringify(value)),
);

const functions1 = [
  "$string",
  "$number",
  "$boolean",
  "$not",
  "$exists",
  "$count",
  "$sum",
  "$max",
  "$min",
  "$average",
  "$lowercase",
  "$uppercase",
  "$trim",
  "$length",
  "$round",
  "$floor",
  "$ceil",
  "$abs",
  "$keys",
  "$merge",
  "$append",
  "$reverse",
  "$distinct",
  "$type",
  "$spread",
];

const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => {
  const expr = tie("expr");
  return {
    expr: fc.oneof(
      { maxDepth: 4, depthIdentifier: "expr" },
      path,
      literal,
      path,
      fc
        .tuple(
          expr,
          fc.constantFrom(
            "+",
            "-",
            "*",
            "/",
            "%",
            "&",
            "=",
            "!=",
            "<",
            "<=",
            ">",
            ">=",
            "and",
            "or",
            "in",
          ),
          expr,
        )
        .map(([left, operator, right]) => `(${left} ${operator} ${right})`),
      fc
        .tuple(expr, expr, expr)
        .map(([condition, then, otherwise]) => `(${condition} ? ${then} : ${otherwise})`),
      fc.tuple(fc.constantFrom(...functions1), expr).map(([name, arg]) => `${name}(${arg})`),
      fc
        .tuple(expr, fc.integer({ min: -1, max: 3 }))
        .map(([value, places]) => `$round(${value}, ${places})`),
      fc.tuple(expr, expr).map(([value, part]) => `$contains(${value}, ${part})`),
      fc
        .tuple(expr, fc.constantFrom('" "', '"_"', '"e"', '"Order"'))
        .map(([value, pattern]) => `$replace(${value}, ${pattern}, "-")`),
      fc
        .tuple(expr, fc.constantFrom('" "', '","', '""'))
        .map(([value, separator]) => `$split(${value}, ${separator})`),
      fc
        .tuple(expr, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 4 }))
        .map(([value, start, length]) => `$substring(${value}, ${start}, ${length})`),
      fc.tuple(expr, expr).map(([value, separator]) => `$join(${value}, ${separator})`),
      fc.tuple(expr, expr).map(([value, key]) => `$lookup(${value}, ${key})`),
      fc.tuple(expr, expr).map(([left, right]) => `$append(${left}, ${right})`),
      fc
        .tuple(fc.constantFrom("$map", "$filter"), expr, expr)
        .map(
          ([name, values, body]) =>
            `${name}(${values}, function($v, $i) { ${body.replaceAll("$$", "$v")} })`,
        ),
      fc
        .tuple(expr, expr)
        .map(([values, body]) => `$reduce(${values}, function($acc, $v) { $acc & ${body} }, "")`),
      // a lambda whose body is a tail call returns the callee's sequence as it is: jsonata
      // flattens it again at every node above, which nested higher-order calls make visible
      fc
        .tuple(
          fc.constantFrom("$map", "$filter", "$each"),
          expr,
          fc.constantFrom("$map", "$filter"),
          expr,
          expr,
          fc.constantFrom(
            "(true ? %)",
            "(%)",
            "$uppercase((%))",
            "$count(%)",
            "[%]",
            '{"k": %}',
            "%",
          ),
        )
        .map(([outer, values, inner, innerValues, body, wrapper]) => {
          const lambda = (parameter: string, text: string) =>
            outer === "$each"
              ? `function($v, $k) { ${text} }`
              : `function(${parameter}) { ${text} }`;
          const call = `${outer}(${outer === "$each" ? `{"a": ${values}, "b": 1}` : values}, ${lambda(
            "$v",
            `${inner}(${innerValues.replaceAll("$$", "$v")}, function($w) { ${body.replaceAll("$$", "$w")} })`,
          )})`;
          return wrapper.replace("%", call);
        }),
      // tail calls from one lambda to another: an error in the last is placed where it failed
      fc
        .tuple(expr, expr, fc.constantFrom("$uppercase", "$number", "$substring", "$sum", "$keys"))
        .map(
          ([argument, body, last]) =>
            `($g := function($y) { ${last}(${body.replaceAll("$$", "$y")}) }; $f := function($x) { $g($x) }; $f(${argument}))`,
        ),
      fc
        .tuple(
          fc.constantFrom("userId", "type", "data", "revenue", "__proto__"),
          expr,
          fc.constantFrom("sku", "name", "x", "1", "constructor"),
          expr,
        )
        .map(([k1, v1, k2, v2]) => `{"${k1}": ${v1}, "${k2}": ${v2}}`),
      fc.tuple(expr, expr).map(([first, second]) => `[${first}, ${second}]`),
      // one entry: a path's values are collected straight into the array
      fc.oneof(path, expr).map((only) => `[${only}]`),
      fc
        .tuple(expr, expr)
        .map(([value, body]) => `($x := ${value}; ${body.replaceAll("$$", "$x")})`),
      fc.tuple(path, expr).map(([base, predicate]) => `${base}[${predicate}]`),
      fc
        .tuple(path, fc.constantFrom("sku", "price", "$"))
        .map(([base, key]) => `${base}.{"k": ${key}}`),
      fc
        .tuple(expr, fc.constantFrom("$uppercase", "$string", "$count"))
        .map(([value, name]) => `${value} ~> ${name}`),
      fc.integer({ min: 0, max: 6 }).map((end) => `[1..${end}]`),
      // regular expressions: matcher functions, and the functions that take them
      fc
        .tuple(
          expr,
          fc.constantFrom("/a+/", "/[aeiou]/i", "/(\\w)(\\w)/", "/\\s+/", "/^O/", "/x*/", "/./"),
          fc.constantFrom(
            "$match(%, #)",
            "$match(%, #, 2)",
            "$match(%, #).groups",
            '$replace(%, #, "<$1>")',
            "$replace(%, #, function($m) { $uppercase($m.match) })",
            "$split(%, #)",
            "$contains(%, #)",
            "$string(%) ~> #",
            "$type(#)",
          ),
        )
        .map(([value, regex, call]) => call.replace("%", value).replaceAll("#", regex)),
      // the picture functions (jsonata's own implementations, called by the compiled evaluator)
      fc
        .tuple(
          expr,
          fc.constantFrom(
            '$formatNumber(%, "#,##0.00")',
            '$formatNumber(%, "0.0e0")',
            '$formatInteger(%, "w")',
            '$formatInteger(%, "#,##0")',
            '$parseInteger(%, "#,##0")',
            '$fromMillis(%, "[Y0001]-[M01]-[D01]")',
            '$fromMillis(%, "[H01]:[m01]", "+0130")',
            '$toMillis(%, "[Y0001]-[M01]-[D01]")',
            "$toMillis(%)",
            "$fromMillis(%)",
          ),
        )
        .map(([value, call]) => call.replace("%", value)),
      fc
        .tuple(path, fc.constantFrom("price", "sku", "quantity"))
        .map(([base, key]) => `${base}^(>${key})`),
    ),
  };
}).expr;

describe("the compiled evaluator against jsonata", () => {
  it(
    "gives jsonata's result or error for generated expressions on generated events",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          expression,
          fc.array(input, { minLength: 1, maxLength: 3 }),
          async (source, events) => {
            const evaluator = compiledEvaluator(source);
            for (const input of events) {
              const expected = await throughJsonata(source, input);
              sameOutcome({ source, input }, await throughCompiled(evaluator, input), expected);
            }
          },
        ),
        { numRuns: generatedRuns, ...(seed === undefined ? {} : { seed }) },
      );
    },
    runsTimeout,
  );

  it("maps an Order Completed event the way jsonata does", async () => {
    const reshaping = `{
      "userId": userId,
      "type": "order_" & $replace($lowercase(event), " ", "_"),
      "data": {
        "orderId": properties.order_id,
        "revenue": $round(properties.revenue, 2),
        "currency": $uppercase(properties.currency),
        "itemCount": $sum(properties.products.quantity),
        "skus": properties.products.sku,
        "bigSpender": properties.revenue > 100 ? true : false,
        "coupon": properties.coupon ? properties.coupon : undefined
      }
    }`;
    await fc.assert(
      fc.asyncProperty(event, async (input) => {
        expect(await throughCompiled(compiledEvaluator(reshaping), input)).toEqual(
          await throughJsonata(reshaping, input),
        );
      }),
      { numRuns: 200 },
    );
  });
});
