import { parse, print, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { gwenSchema } from "../emulator/schema.js";
import { GwenAdapterError } from "../errors.js";
import {
  batchIndexOfAlias,
  batchIndexOfVariableIn,
  buildBatchRequest,
} from "./build-batch-request.js";

const first = "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d";
const second = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("buildBatchRequest", () => {
  it("aliases each delivery as e0, e1, ... in one valid GWEN operation", () => {
    const body = buildBatchRequest([
      { action: "sendEvent", payload: { userId: first, type: "track", data: { a: 1 } } },
      { action: "identifyUser", payload: { userId: second, ip: "203.0.113.7" } },
      { action: "sendEvent", payload: { userId: second, type: "page" } },
    ]);
    expect(body.operationName).toBe("SendBatch");
    expect(print(parse(body.query))).toBe(
      print(
        parse(`mutation SendBatch($e0_userId: UUID!, $e0_type: String!, $e0_data: JSONObject,
          $e1_userId: UUID!, $e1_session: UserSessionInput,
          $e2_userId: UUID!, $e2_type: String!, $e2_data: JSONObject) {
            e0: event(userId: $e0_userId, type: $e0_type, data: $e0_data)
            e1: userSession(userId: $e1_userId, data: $e1_session) { timestamp }
            e2: event(userId: $e2_userId, type: $e2_type, data: $e2_data)
          }`),
      ),
    );
    expect(validate(gwenSchema, parse(body.query))).toEqual([]);
    expect(body.variables).toStrictEqual({
      e0_userId: first,
      e0_type: "track",
      e0_data: { a: 1 },
      e1_userId: second,
      e1_session: { ip: "203.0.113.7" },
      e2_userId: second,
      e2_type: "page",
      e2_data: {},
    });
  });

  it("refuses an empty batch", () => {
    expect(() => buildBatchRequest([])).toThrowError(GwenAdapterError);
  });

  it("traces aliases and aliased variables back to their item", () => {
    expect(batchIndexOfAlias("e12")).toBe(12);
    expect(batchIndexOfAlias("event")).toBeUndefined();
    expect(batchIndexOfAlias(3)).toBeUndefined();
    expect(batchIndexOfVariableIn('Variable "$e7_userId" got invalid value "x"')).toBe(7);
    expect(batchIndexOfVariableIn('Variable "$userId" got invalid value "x"')).toBeUndefined();
  });
});
