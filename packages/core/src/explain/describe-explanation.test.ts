import { describe, expect, it } from "vitest";
import {
  clausesWorthShowing,
  describeClause,
  describeDroppedField,
  explanationSentence,
} from "./describe-explanation.js";
import type { ClauseExplanation } from "./explain-trigger.js";

const location = { file: "mappings/m.jsonata", line: 3, column: 13 };
const levelClause: ClauseExplanation = {
  text: "properties.level >=\n 10",
  value: false,
  truthy: false,
  location,
  operands: [{ text: "properties.level", value: 3 }],
};

describe("the words of an explanation", () => {
  it("say each clause with its value and the values it compares", () => {
    expect(describeClause(levelClause)).toBe(
      "properties.level >= 10 → false (properties.level = 3)",
    );
    const failed: ClauseExplanation = {
      text: "$number(x) > 1",
      error: { code: "D3030", message: "Unable to cast value to a number" },
      truthy: false,
      location,
      operands: [],
    };
    expect(describeClause(failed)).toBe(
      "$number(x) > 1 → failed: D3030 Unable to cast value to a number",
    );
  });

  it("show clauses only when they say more than the trigger's value", () => {
    const lone = { ...levelClause, operands: [] };
    expect(clausesWorthShowing([lone])).toBe(false);
    expect(clausesWorthShowing([levelClause])).toBe(true);
    expect(clausesWorthShowing([lone, lone])).toBe(true);
  });

  it("say why a mapping fired or not, and which fields it dropped", () => {
    const base = { mapping: "m", action: "sendEvent" };
    expect(
      explanationSentence(
        { ...base, status: "not-triggered", triggerValue: false },
        'type = "page"',
      ),
    ).toBe('did not fire: trigger `type = "page"` is false');
    expect(
      explanationSentence(
        { ...base, status: "fired", triggerValue: true, decidedByIndex: true },
        "t",
      ),
    ).toBe("fired: trigger `t` is true (decided by the trigger index)");
    expect(describeDroppedField({ path: "/data/coupon", reason: "undefined", location })).toBe(
      "dropped /data/coupon: it came out undefined (mappings/m.jsonata:3:13)",
    );
  });
});
