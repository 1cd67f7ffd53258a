import { afterEach, describe, expect, it } from "vitest";
import { contracts, userId } from "../../test/contracts.js";
import { mappingDir, mappingFile } from "../../test/mapping-dir.js";
import { loadEngine } from "../engine/load-engine.js";
import type { AstNode } from "../evaluator/compiled/ast.js";
import { defaultEvaluationLimits } from "../evaluator/evaluator.js";
import { parseJsonata } from "../evaluator/jsonata-evaluator.js";
import { explainEvent } from "./explain-event.js";
import { triggerClauses } from "./trigger-clauses.js";

let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function engineOf(files: Record<string, string>) {
  const { dir, remove } = await mappingDir(files);
  cleanup = remove;
  const loaded = await loadEngine(dir, { contracts });
  if (!loaded.ok) throw new Error(loaded.errors.map(String).join("\n"));
  return { engine: loaded.engine, dir };
}

function clausesOf(trigger: string) {
  const ast = parseJsonata(trigger, defaultEvaluationLimits).ast() as unknown as AstNode;
  return triggerClauses(trigger, ast).map(({ text, operands }) => [
    text,
    operands.map((operand) => operand.text),
  ]);
}

describe("triggerClauses", () => {
  it("cuts a trigger at its and / or, looks through parentheses, and names what each clause compares", () => {
    expect(clausesOf('type = "track" and properties.level >= 10')).toEqual([
      ['type = "track"', ["type"]],
      ["properties.level >= 10", ["properties.level"]],
    ]);
    expect(clausesOf('(type = "track" or type = "page")\n  and $exists(properties.`a b`)')).toEqual(
      [
        ['type = "track"', ["type"]],
        ['type = "page"', ["type"]],
        ["$exists(properties.`a b`)", ["properties.`a b`"]],
      ],
    );
    expect(clausesOf('"vip" in properties.tags and not(properties.test)')).toEqual([
      ['"vip" in properties.tags', ["properties.tags"]],
      ["not(properties.test)", ["properties.test"]],
    ]);
    expect(clausesOf("properties.coupon")).toEqual([["properties.coupon", []]]);
  });
});

describe("explainEvent", () => {
  const levelUp = mappingFile(
    "sendEvent",
    'type = "track" and\n *   properties.level >= 10',
    '{ "userId": userId, "type": "level_up" }',
  );
  const order = mappingFile(
    "sendEvent",
    'event = "Order Completed"',
    '{\n  "userId": userId,\n  "type": "order",\n  "data": { "coupon": properties.coupon, "total": properties.total }\n}',
  );

  it("gives each clause of a trigger that did not fire its value and the values it compared", async () => {
    const { engine, dir } = await engineOf({ "level-up.jsonata": levelUp });
    const event = { type: "track", event: "Level", userId, properties: { level: 3 } };
    const { explanation } = await explainEvent(engine, event);
    expect(explanation).toMatchObject([{ mapping: "level-up", status: "not-triggered" }]);
    expect(explanation[0]?.clauses).toEqual([
      {
        text: 'type = "track"',
        value: true,
        truthy: true,
        location: { file: `${dir}/level-up.jsonata`, line: 3, column: 13 },
        operands: [{ text: "type", value: "track" }],
      },
      {
        text: "properties.level >= 10",
        value: false,
        truthy: false,
        location: { file: `${dir}/level-up.jsonata`, line: 4, column: 6 },
        operands: [{ text: "properties.level", value: 3 }],
      },
    ]);
    const missing = await explainEvent(engine, { ...event, properties: {} });
    // jsonata's ordering comparisons with a missing side come out undefined, not false
    const clause = missing.explanation[0]?.clauses?.[1];
    expect(clause).toMatchObject({ truthy: false, operands: [{ text: "properties.level" }] });
    expect(clause).not.toHaveProperty("value");
    expect(clause?.operands[0]).not.toHaveProperty("value");
  });

  it("explains a trigger the index skipped, and names the clause that failed", async () => {
    const { engine } = await engineOf({
      "level-up.jsonata": levelUp,
      "failing.jsonata": mappingFile(
        "sendEvent",
        'type = "track" and properties.name + 1 > 2',
        '{ "userId": userId, "type": "x" }',
      ),
    });
    const { explanation } = await explainEvent(engine, {
      type: "track",
      event: "x",
      userId,
      properties: { name: "Ada", level: 1 },
    });
    const failing = explanation.find((entry) => entry.mapping === "failing");
    expect(failing?.status).toBe("rejected");
    expect(failing?.clauses?.[1]).toMatchObject({
      text: "properties.name + 1 > 2",
      truthy: false,
      error: { code: "T2001" },
    });
    const page = await explainEvent(engine, { type: "page", userId });
    const skipped = page.explanation.find((entry) => entry.mapping === "level-up");
    expect(skipped?.status).toBe("skipped-by-index");
    expect(skipped?.clauses?.[0]).toMatchObject({ text: 'type = "track"', value: false });
  });

  it("names the fields of a delivered payload that came out undefined", async () => {
    const { engine, dir } = await engineOf({ "order.jsonata": order });
    const event = { type: "track", event: "Order Completed", userId, properties: { total: 3 } };
    const { explanation, deliveries } = await explainEvent(engine, event);
    expect(deliveries[0]?.payload).toEqual({ userId, type: "order", data: { total: 3 } });
    expect(explanation[0]?.dropped).toEqual([
      {
        path: "/data/coupon",
        reason: "undefined",
        location: { file: `${dir}/order.jsonata`, line: 8, column: 13 },
      },
    ]);
    const complete = await explainEvent(engine, {
      ...event,
      properties: { total: 3, coupon: "X" },
    });
    expect(complete.explanation[0]).not.toHaveProperty("dropped");
  });
});
