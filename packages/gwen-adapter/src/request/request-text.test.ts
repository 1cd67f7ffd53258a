import { describe, expect, it } from "vitest";
import type { ActionName } from "../action/actions.js";
import { UnknownActionError } from "../errors.js";
import { type BatchItem, buildBatchRequest } from "./build-batch-request.js";
import { buildRequest } from "./build-request.js";
import { prepareVariables, variableTexts } from "./prepared-variables.js";
import { requestText } from "./request-text.js";

const userId = "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d";

/** Payloads that stress the splicing: line breaks and separators inside strings, falsy data, absent fields. */
const items: BatchItem[] = [
  { action: "sendEvent", payload: { userId, type: "Order Completed", data: { total: 12.5 } } },
  {
    action: "sendEvent",
    payload: {
      userId,
      type: 'line\nbreak, "quoted"\u2028\u2029 \\ tab\t',
      data: { nested: { list: [1, "two\n", null, { three: true }] }, "key\nwith break": "" },
    },
  },
  { action: "sendEvent", payload: { userId, type: "no data" } },
  { action: "sendEvent", payload: { userId, type: "falsy data", data: null } },
  { action: "identifyUser", payload: { userId, ip: "203.0.113.7", userAgent: "Mozilla/5.0\n" } },
  { action: "identifyUser", payload: { userId } },
  { action: "identifyUser", payload: { userId, userAgent: "only the agent" } },
];

function prepared(item: BatchItem) {
  return { action: item.action, variables: prepareVariables(item.action, item.payload) };
}

describe("requestText", () => {
  it.each(items.map((item) => [item.action, item] as const))(
    "gives the same bytes as serializing buildRequest (%s)",
    (_action, item) => {
      expect(requestText([prepared(item)])).toBe(
        JSON.stringify(buildRequest(item.action, item.payload)),
      );
    },
  );

  it("gives the same bytes as serializing buildBatchRequest, for every prefix of a mixed batch", () => {
    for (let size = 2; size <= items.length; size++) {
      const batch = items.slice(0, size);
      const [first, ...rest] = batch.map(prepared);
      expect(requestText([first!, ...rest])).toBe(JSON.stringify(buildBatchRequest(batch)));
    }
  });

  it("serves a repeated batch shape from its cache with the same bytes", () => {
    const batch = [items[0]!, items[4]!, items[0]!];
    const [first, ...rest] = batch.map(prepared);
    const once = requestText([first!, ...rest]);
    expect(requestText([first!, ...rest])).toBe(once);
    expect(once).toBe(JSON.stringify(buildBatchRequest(batch)));
  });
});

describe("prepareVariables", () => {
  it("keeps one line per declared variable, empty where the variable is left out", () => {
    const sendEvent = prepareVariables("sendEvent", { userId, type: "a\nb" });
    expect(variableTexts(sendEvent)).toEqual([JSON.stringify(userId), '"a\\nb"', "{}"]);
    const identify = prepareVariables("identifyUser", { userId });
    expect(variableTexts(identify)).toEqual([JSON.stringify(userId), "{}"]);
  });

  it("throws for an action the adapter does not define, and for values JSON cannot hold", () => {
    expect(() => prepareVariables("nope" as ActionName, { userId })).toThrowError(
      UnknownActionError,
    );
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => prepareVariables("sendEvent", { userId, type: "t", data: circular })).toThrow(
      /circular/i,
    );
    expect(() => prepareVariables("sendEvent", { userId, type: "t", data: { n: 1n } })).toThrow(
      /BigInt/,
    );
  });
});
