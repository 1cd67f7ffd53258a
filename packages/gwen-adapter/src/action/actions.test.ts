import { describe, expect, it } from "vitest";
import { actions, isActionName } from "./actions.js";

type Schema = {
  type: string;
  properties: Record<string, { type: string; title: string; description: string; format?: string }>;
  required: string[];
};

describe("actions", () => {
  it("defines Send Event with Segment's labels and required fields", () => {
    const { sendEvent } = actions;
    expect(sendEvent).toMatchObject({
      name: "sendEvent",
      label: "Send Event",
      operationName: "SendEvent",
    });
    const schema = sendEvent.schema as unknown as Schema;
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(["userId", "type"]);
    expect(schema.properties.userId).toMatchObject({
      type: "string",
      format: "uuid",
      title: "User ID",
    });
    expect(schema.properties.type).toMatchObject({ type: "string", title: "Event Type" });
    expect(schema.properties.data).toMatchObject({ type: "object", title: "Data" });
  });

  it("defines Identify User with Segment's labels and only userId required", () => {
    const { identifyUser } = actions;
    expect(identifyUser).toMatchObject({
      name: "identifyUser",
      label: "Identify User",
      operationName: "UserSession",
    });
    const schema = identifyUser.schema as unknown as Schema;
    expect(schema.required).toEqual(["userId"]);
    expect(schema.properties.userId).toMatchObject({
      type: "string",
      format: "uuid",
      title: "User ID",
    });
    expect(schema.properties.ip).toMatchObject({ type: "string", title: "User IP Address" });
    expect(schema.properties.userAgent).toMatchObject({ type: "string", title: "User Agent" });
  });

  it("gives every field a title and a description, and is draft-07", () => {
    for (const action of Object.values(actions)) {
      expect(action.schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
      expect(action.description.length).toBeGreaterThan(0);
      for (const field of Object.values((action.schema as unknown as Schema).properties)) {
        expect(field.title.length).toBeGreaterThan(0);
        expect(field.description.length).toBeGreaterThan(0);
      }
    }
  });

  it("cannot be changed by a consumer", () => {
    expect(Object.isFrozen(actions.sendEvent.schema)).toBe(true);
    expect(() => {
      (actions.sendEvent as { label: string }).label = "changed";
    }).toThrow(TypeError);
  });

  it("recognizes its action names only", () => {
    expect(isActionName("sendEvent")).toBe(true);
    expect(isActionName("identifyUser")).toBe(true);
    expect(isActionName("toString")).toBe(false);
    expect(isActionName("track")).toBe(false);
  });
});
