import { prepareVariables } from "@gwenmap/gwen-adapter";
import { describe, expect, it } from "vitest";
import { toRecords } from "./to-records.js";

const userId = "3f1c2a4e-8d6b-4c1e-9a7f-2b5d8e0c6a13";

describe("toRecords", () => {
  it("prepares each delivery's variables for GWEN and keeps only the replayed mapping's output", () => {
    const result = {
      deliveries: [
        { mapping: "send-event", action: "sendEvent", payload: { userId, type: "Signed Up" } },
        {
          mapping: "identify-user",
          action: "identifyUser",
          payload: { userId, ip: "203.0.113.7" },
        },
      ],
      rejections: [],
    };
    expect(toRecords(result)).toEqual([
      {
        kind: "delivery",
        mapping: "send-event",
        action: "sendEvent",
        variables: prepareVariables("sendEvent", { userId, type: "Signed Up" }),
      },
      {
        kind: "delivery",
        mapping: "identify-user",
        action: "identifyUser",
        variables: prepareVariables("identifyUser", { userId, ip: "203.0.113.7" }),
      },
    ]);
    expect(toRecords(result, "identify-user").map((record) => record.mapping)).toEqual([
      "identify-user",
    ]);
  });

  it("keeps a payload for an action the adapter does not know as a rejection, not a delivery", () => {
    const records = toRecords({
      deliveries: [{ mapping: "legacy", action: "sendPoints", payload: { userId } }],
      rejections: [],
    });
    expect(records).toEqual([
      {
        kind: "rejection",
        mapping: "legacy",
        action: "sendPoints",
        reason: {
          code: "E_UNKNOWN_ACTION",
          message: expect.stringMatching(/no action "sendPoints"/),
        },
      },
    ]);
  });
});
