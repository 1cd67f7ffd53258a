import { type Outcome, prepareVariables } from "@gwenmap/gwen-adapter";
import { describe, expect, it } from "vitest";
import type { ClaimedDelivery } from "../queue/job-store.js";
import { decideSettlement } from "./decide-settlement.js";

const NOW = 1_000_000;
const policy = { retryWindowMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const delivery: ClaimedDelivery = {
  id: 7,
  messageId: "m",
  mapping: "send-event",
  action: "sendEvent",
  variables: prepareVariables("sendEvent", {}),
  attempts: 2,
  receivedAt: NOW - 5_000,
  windowStart: NOW - 5_000,
};
const retry = (retryAfterMs?: number): Outcome => ({
  kind: "retry",
  status: 503,
  message: "GWEN answered HTTP 503",
  durationMs: 3,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

describe("decideSettlement", () => {
  it("forgets a delivered delivery", () => {
    const ok: Outcome = { kind: "ok", status: 200, durationMs: 2 };
    expect(decideSettlement(delivery, ok, { now: NOW, policy })).toEqual({
      id: 7,
      result: "delivered",
    });
  });

  it("retries with a jittered, growing backoff inside the window", () => {
    const settlement = decideSettlement(delivery, retry(), { now: NOW, policy });
    expect(settlement).toMatchObject({
      result: "retry",
      reason: { code: "E_DELIVERY_RETRY", outcome: "retry", status: 503 },
    });
    const wait = settlement.result === "retry" ? settlement.nextAttemptAt - NOW : -1;
    // The third attempt's backoff is base * 2^2 = 4 s, jittered into its upper half.
    expect(wait).toBeGreaterThanOrEqual(2_000);
    expect(wait).toBeLessThanOrEqual(4_000);
  });

  it("never retries sooner than GWEN's Retry-After", () => {
    const settlement = decideSettlement(delivery, retry(30_000), { now: NOW, policy });
    expect(settlement).toMatchObject({ result: "retry", nextAttemptAt: NOW + 30_000 });
  });

  it("dead-letters a retry that would fall after the window, saying so", () => {
    const late = { ...delivery, windowStart: NOW - 59_000 };
    const settlement = decideSettlement(late, retry(5_000), { now: NOW, policy });
    expect(settlement).toMatchObject({
      result: "dead",
      reason: {
        code: "E_DELIVERY_RETRY_WINDOW",
        message: expect.stringMatching(
          /retry window \(1 min\) ran out after 3 attempts: GWEN answered HTTP 503/,
        ),
      },
    });
  });

  it("dead-letters a permanent failure at once", () => {
    const permanent: Outcome = { kind: "permanent", status: 400, message: "bad", durationMs: 1 };
    expect(decideSettlement(delivery, permanent, { now: NOW, policy })).toEqual({
      id: 7,
      result: "dead",
      reason: { code: "E_DELIVERY_PERMANENT", message: "bad", outcome: "permanent", status: 400 },
    });
  });

  it("releases a delivery GWEN refused for the API key, without counting it", () => {
    const auth: Outcome = { kind: "auth", status: 401, message: "key refused", durationMs: 1 };
    expect(decideSettlement(delivery, auth, { now: NOW, policy })).toMatchObject({
      result: "released",
      reason: { code: "E_DELIVERY_AUTH", outcome: "auth" },
    });
  });
});
