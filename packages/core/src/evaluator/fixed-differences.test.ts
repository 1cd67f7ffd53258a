import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { failure, type Outcome } from "../../test/evaluation-outcome.js";
import { createEvaluator } from "./create-evaluator.js";
import { defaultEvaluationLimits } from "./evaluator.js";
import { toPlainJson } from "./plain-json.js";

/**
 * Differences from jsonata that differential testing found in the compiled
 * evaluator, each pinned here against jsonata itself.
 */

async function compiled(source: string, input: unknown): Promise<Outcome> {
  const evaluator = createEvaluator(source, defaultEvaluationLimits);
  expect(evaluator.kind).toBe("compiled");
  try {
    return { value: toPlainJson(await evaluator.evaluate(input)) };
  } catch (error) {
    return failure(error);
  }
}

async function reference(source: string, input: unknown): Promise<Outcome> {
  try {
    return { value: toPlainJson(await jsonata(source).evaluate(input)) };
  } catch (error) {
    return failure(error);
  }
}

async function expectSame(source: string, input: unknown = {}): Promise<Outcome> {
  const expected = await reference(source, input);
  expect(await compiled(source, input)).toEqual(expected);
  return expected;
}

describe("the compiled evaluator gives what jsonata gives", () => {
  it("flattens a sequence a lambda's tail call returns at every node above, as jsonata does", async () => {
    const nested = "$map([1], function($v) { $map([5], function($w) { $w }) })";
    expect(await expectSame(`(true ? ${nested})`)).toEqual({ value: 5 });
    await expectSame(`$uppercase((${nested} ~> $string))`);
    expect(await expectSame(`($x := ${nested}; $x)`)).toEqual({ value: 5 });
    expect(await expectSame(`{"a": ${nested}}`)).toEqual({ value: { a: [5] } });
    await expectSame(`$uppercase((${nested}))`);
  });

  it("gives order-by and partial application errors their messages", async () => {
    const orderBy = await expectSame('[{"a": 1}, {"a": "x"}]^(a)');
    expect(orderBy).toMatchObject({
      code: "T2007",
      message: 'Type mismatch when comparing values 1 and "x" in order-by clause',
    });
    expect(await expectSame('[{"a": 1}, {"a": [1]}]^(a)')).toMatchObject({ code: "T2008" });
    expect(await expectSame("($f := 1; $f(?, 2))")).toMatchObject({ code: "T1008" });
    expect(await expectSame("($foo := 1; foo(?, 2))")).toMatchObject({
      code: "T1007",
      message: "Attempted to partially apply a non-function. Did you mean $foo?",
    });
  });

  it("places an error raised inside lambdas called in tail position where it was raised", async () => {
    const source = "($f := function($x) { $uppercase($x) }; $g := function($y) { $f($y) }; $g(2))";
    expect(await expectSame(source)).toMatchObject({ code: "T0410", position: 32 });
  });

  it("places an error inside a lambda called by a built-in at the built-in's call, as jsonata does", async () => {
    expect(await expectSame('$map([1], function($v) { $v + "s" })')).toMatchObject({
      position: 5,
    });
  });

  it("reports the error jsonata reports when several entries of one constructor fail", async () => {
    // jsonata evaluates the entries concurrently: which error wins depends on its awaits
    await expectSame('[$number("x"), 1 + "a"]');
    await expectSame('{"a": $number("x"), "b": $uppercase(1)}');
    await expectSame('{"a": 1 + "a", "b": $sum(["x"])}');
  });

  it("places an error in one entry of a constructor where another entry's call wrote the site, as jsonata's interleaving does", async () => {
    // the first entry applies $uppercase through `~>` (no site written); jsonata has by then
    // evaluated the second entry's call by name, and places the error there
    const source =
      '[[1, ($map([1], function($v) { $map([2], function($w) { 3 }) }))] ~> $uppercase, ($g := function($y) { $uppercase("a") }; $g(1))]';
    expect(await expectSame(source, { type: "track" })).toMatchObject({ code: "T0410" });
  });

  it("gives a function passed as an argument of a tail call its own context, as jsonata applies it unwrapped", async () => {
    const source = '$map([1], function($v) { $map("", function($w) { $substring(type) }) })';
    expect(await expectSame(source, "x")).toEqual({ value: ["x"] });
    expect(await expectSame(source, {})).toMatchObject({ code: "T0411" });
  });
});

describe("jsonata's interpreter, when an expression falls back to it", () => {
  it("sees the input as it was given, every time, though jsonata writes into what it reads", async () => {
    const evaluator = createEvaluator('list{"k": list#$i[$i = 0]}', defaultEvaluationLimits);
    expect(evaluator.kind).toBe("jsonata");
    const event = { list: [] as unknown[], kept: [1] };
    await evaluator.evaluate(event);
    await evaluator.evaluate(event);
    expect(event.list).toEqual([]);
    const keep = createEvaluator("$count(kept#$i) ? kept[]", defaultEvaluationLimits);
    expect(toPlainJson(await keep.evaluate(event))).toEqual([1]);
    expect(Object.keys(event.kept)).toEqual(["0"]);
  });

  it("places an error where the expression and its input say, whatever another expression called before", async () => {
    // `list#$i` falls back; `~> $uppercase` fails where jsonata last wrote $uppercase's call site
    const source = '(list{"k": list#$i[$i = 0]}; [1] ~> $uppercase)';
    const evaluator = createEvaluator(source, defaultEvaluationLimits);
    expect(evaluator.kind).toBe("jsonata");
    const before = await failed(evaluator);
    expect(before).toMatchObject({ code: "T0410", token: "uppercase" });
    // another expression calls $uppercase by name: jsonata writes that call's place onto the shared function
    await jsonata('("padding"; $uppercase("a"))').evaluate({});
    const shared = (await jsonata("$uppercase").evaluate({})) as { position?: number };
    expect(shared.position).toBe(23);
    expect(await failed(evaluator)).toEqual(before);
  });
});

async function failed(evaluator: { evaluate(input: unknown): unknown }): Promise<Outcome> {
  try {
    return { value: toPlainJson(await evaluator.evaluate({ list: [] })) };
  } catch (error) {
    return failure(error);
  }
}
