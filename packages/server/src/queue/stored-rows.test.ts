import { prepareVariables } from "@gwenmap/gwen-adapter";
import { describe, expect, it } from "vitest";
import { type DeliveryRow, toClaimedDelivery } from "./stored-rows.js";

const payload = {
  userId: "3f1c2a4e-8d6b-4c1e-9a7f-2b5d8e0c6a13",
  type: "Order Completed",
  data: { total: 12.5, note: "two\nlines" },
};

const row = (action: string, text: string): DeliveryRow => ({
  id: 1,
  message_id: "m-1",
  mapping: "send-event",
  action,
  payload: text,
  attempts: 0,
  received_at: 1,
  window_start: 1,
});

describe("toClaimedDelivery", () => {
  it("hands prepared variables out as they were stored", () => {
    const variables = prepareVariables("sendEvent", payload);
    expect(toClaimedDelivery(row("sendEvent", variables)).variables).toBe(variables);
  });

  it("prepares the payload object a store written by an earlier gwenmap holds", () => {
    expect(toClaimedDelivery(row("sendEvent", JSON.stringify(payload))).variables).toBe(
      prepareVariables("sendEvent", payload),
    );
    const identify = { userId: payload.userId, ip: "203.0.113.7" };
    expect(toClaimedDelivery(row("identifyUser", JSON.stringify(identify))).variables).toBe(
      prepareVariables("identifyUser", identify),
    );
  });

  it("leaves the text of an action the adapter does not know for delivery to refuse", () => {
    const text = JSON.stringify(payload);
    expect(toClaimedDelivery(row("retiredAction", text)).variables).toBe(text);
  });
});
