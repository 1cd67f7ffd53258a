import { parse, print } from "graphql";
import { describe, expect, it } from "vitest";
import type { ActionName } from "../action/actions.js";
import { UnknownActionError } from "../errors.js";
import { buildRequest } from "./build-request.js";

/** The query texts Segment's GWEN (Actions) destination sends, byte for byte. */
const SEGMENT_SEND_EVENT = `mutation SendEvent($userId: UUID!, $type: String!, $data: JSONObject) {\n event(userId: $userId, type: $type, data: $data)\n}`;
const SEGMENT_USER_SESSION = `mutation UserSession($userId: UUID!, $session: UserSessionInput) {
          userSession(userId: $userId, data: $session) {
            timestamp
          }
        }`;

const userId = "9f0c3b1e-6a4d-4e2b-8c7f-2d5e1a9b3c4d";
const normalized = (query: string) => print(parse(query));

describe("buildRequest", () => {
  it("sends an event with Segment's SendEvent document and variables", () => {
    const body = buildRequest("sendEvent", { userId, type: "track", data: { total: 12.5 } });
    expect(body.operationName).toBe("SendEvent");
    expect(normalized(body.query)).toBe(normalized(SEGMENT_SEND_EVENT));
    expect(body.variables).toStrictEqual({ userId, type: "track", data: { total: 12.5 } });
  });

  it("pins the whole SendEvent body as DESIGN.md writes it", () => {
    const body = buildRequest("sendEvent", { userId, type: "track" });
    expect(JSON.stringify(body)).toBe(
      `{"operationName":"SendEvent","query":"mutation SendEvent($userId: UUID!, $type: String!, $data: JSONObject) {\\n event(userId: $userId, type: $type, data: $data)\\n}","variables":{"userId":"${userId}","type":"track","data":{}}}`,
    );
  });

  it.each([
    ["absent", undefined],
    ["null", null],
    ["an empty string", ""],
  ])("defaults data to {} when it is %s, as Segment's `data || {}` does", (_label, data) => {
    const body = buildRequest("sendEvent", { userId, type: "track", data });
    expect(body.variables).toStrictEqual({ userId, type: "track", data: {} });
  });

  it("starts a user session with Segment's UserSession document and the ip and userAgent", () => {
    const body = buildRequest("identifyUser", {
      userId,
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0",
    });
    expect(body.operationName).toBe("UserSession");
    expect(normalized(body.query)).toBe(normalized(SEGMENT_USER_SESSION));
    expect(body.variables).toStrictEqual({
      userId,
      session: { ip: "203.0.113.7", userAgent: "Mozilla/5.0" },
    });
  });

  it("pins the whole UserSession body as DESIGN.md writes it", () => {
    const body = buildRequest("identifyUser", { userId, ip: "203.0.113.7" });
    expect(JSON.stringify(body)).toBe(
      `{"operationName":"UserSession","query":"mutation UserSession($userId: UUID!, $session: UserSessionInput) { userSession(userId: $userId, data: $session) { timestamp } }","variables":{"userId":"${userId}","session":{"ip":"203.0.113.7"}}}`,
    );
  });

  it("omits an absent ip or userAgent from the session but keeps the session object", () => {
    expect(buildRequest("identifyUser", { userId, userAgent: "curl/8" }).variables).toStrictEqual({
      userId,
      session: { userAgent: "curl/8" },
    });
    expect(buildRequest("identifyUser", { userId }).variables).toStrictEqual({
      userId,
      session: {},
    });
  });

  it("produces the same JSON as Segment's JSON.stringify of its variables", () => {
    const payload = { userId, ip: undefined, userAgent: "UA" };
    const segment = JSON.stringify({
      userId,
      session: { ip: payload.ip, userAgent: payload.userAgent },
    });
    expect(JSON.stringify(buildRequest("identifyUser", payload).variables)).toBe(segment);
  });

  it("refuses an action GWEN does not have, naming the ones it has", () => {
    expect(() => buildRequest("trackPage" as ActionName, { userId })).toThrowError(
      UnknownActionError,
    );
    expect(() => buildRequest("trackPage" as ActionName, { userId })).toThrowError(
      /"trackPage".*sendEvent, identifyUser/,
    );
  });
});
