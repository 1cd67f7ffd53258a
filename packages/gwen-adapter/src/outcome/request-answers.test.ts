import { describe, expect, it } from "vitest";
import type { Outcome } from "./outcome.js";
import { readRequestAnswers } from "./request-answers.js";

const ok: Outcome = { kind: "ok", status: 200, durationMs: 5 };
const tooMany: Outcome = {
  kind: "retry",
  status: 429,
  retryAfterMs: 2_000,
  message: "GWEN answered 429",
  durationMs: 5,
};
const unavailable: Outcome = {
  kind: "retry",
  status: 503,
  retryAfterMs: 5_000,
  message: "GWEN answered 503",
  durationMs: 5,
};

describe("readRequestAnswers", () => {
  it("says GWEN answered when any delivery got more than a retry", () => {
    expect(readRequestAnswers([unavailable, ok])).toMatchObject({ answered: true });
    expect(readRequestAnswers([ok])).toEqual({ answered: true, retryAfterMs: 0, rateLimitedMs: 0 });
  });

  it("keeps the longest Retry-After, and a 429's apart: only a rate limit holds every request", () => {
    expect(readRequestAnswers([unavailable, tooMany])).toEqual({
      answered: false,
      unanswered: tooMany,
      retryAfterMs: 5_000,
      rateLimitedMs: 2_000,
    });
    expect(readRequestAnswers([unavailable]).rateLimitedMs).toBe(0);
  });
});
