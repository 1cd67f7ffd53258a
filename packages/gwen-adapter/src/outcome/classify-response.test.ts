import { describe, expect, it } from "vitest";
import { classifyResponse } from "./classify-response.js";
import type { HttpAnswer } from "./http-answer.js";

function answer(status: number, body: unknown, headers: HttpAnswer["headers"] = {}): HttpAnswer {
  return {
    status,
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
    durationMs: 7,
  };
}

const now = Date.parse("2025-03-01T12:00:00.000Z");

describe("classifyResponse", () => {
  it("is ok for a 200 answer with data and no errors", () => {
    expect(classifyResponse(answer(200, { data: { event: true } }))).toEqual({
      kind: "ok",
      status: 200,
      durationMs: 7,
    });
  });

  it.each([408, 423, 429, 500, 502, 503, 504, 599])("retries HTTP %i", (status) => {
    expect(classifyResponse(answer(status, "busy"))).toMatchObject({ kind: "retry", status });
  });

  it("honours Retry-After on a retryable answer, in seconds or as a date", () => {
    expect(classifyResponse(answer(429, "", { "retry-after": "3" }), now)).toMatchObject({
      kind: "retry",
      retryAfterMs: 3000,
    });
    const date = { "retry-after": "Sat, 01 Mar 2025 12:00:05 GMT" };
    expect(classifyResponse(answer(503, "", date), now)).toMatchObject({ retryAfterMs: 5000 });
  });

  it.each([400, 404, 409, 413, 415, 422, 501, 302])("gives up on HTTP %i", (status) => {
    expect(classifyResponse(answer(status, "no"))).toMatchObject({ kind: "permanent", status });
  });

  it.each([401, 403])("reports HTTP %i as a rejected key", (status) => {
    const outcome = classifyResponse(answer(status, { errors: [{ message: "nope" }] }));
    expect(outcome).toMatchObject({ kind: "auth", status });
    expect(outcome.kind === "auth" && outcome.message).toMatch(/nope.*GWEN_API_KEY/);
  });

  it("quotes GWEN's GraphQL errors in a 200 answer as a permanent failure", () => {
    const body = {
      data: { event: null },
      errors: [
        { message: "Unknown event type", path: ["event"], extensions: { code: "BAD_USER_INPUT" } },
      ],
    };
    expect(classifyResponse(answer(200, body))).toEqual({
      kind: "permanent",
      status: 200,
      message: "GWEN refused the request: Unknown event type (BAD_USER_INPUT)",
      durationMs: 7,
    });
  });

  it.each([
    { message: "Not allowed", extensions: { code: "UNAUTHENTICATED" } },
    { message: "Not allowed", extensions: { code: "FORBIDDEN" } },
    { message: "Invalid API key" },
    { message: "api_key missing" },
    { message: "Unauthorized" },
  ])("reports a GraphQL error about the key as auth: %j", (error) => {
    expect(classifyResponse(answer(200, { data: null, errors: [error] }))).toMatchObject({
      kind: "auth",
      status: 200,
    });
  });

  it("does not take an error about the validateApiKey field for a key problem", () => {
    const error = {
      message: 'Cannot query field "validateApiKeys". Did you mean "validateApiKey"?',
    };
    expect(classifyResponse(answer(200, { errors: [error] }))).toMatchObject({ kind: "permanent" });
  });

  it("reports an auth code even with a status that would otherwise be retried", () => {
    const body = {
      errors: [{ message: "token expired", extensions: { code: "UNAUTHENTICATED" } }],
    };
    expect(classifyResponse(answer(500, body))).toMatchObject({ kind: "auth", status: 500 });
  });

  it("gives up on a 200 answer that is not a GraphQL answer, quoting its start", () => {
    const outcome = classifyResponse(answer(200, "<html>Gateway login</html>"));
    expect(outcome).toMatchObject({ kind: "permanent", status: 200 });
    expect(outcome.kind === "permanent" && outcome.message).toContain("<html>Gateway login</html>");
  });

  it("quotes GWEN's message from an error body, shortening long text", () => {
    const outcome = classifyResponse(answer(400, "x".repeat(1000)));
    expect(outcome.kind === "permanent" && outcome.message.length).toBeLessThan(400);
    expect(classifyResponse(answer(400, { message: "type is too long" }))).toMatchObject({
      message: "GWEN answered HTTP 400 Bad Request: type is too long",
    });
  });
});
