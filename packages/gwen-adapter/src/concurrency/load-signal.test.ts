import { describe, expect, it } from "vitest";
import type { Outcome } from "../outcome/outcome.js";
import { readLoadSignal } from "./load-signal.js";

const ok: Outcome = { kind: "ok", status: 200, durationMs: 1 };
const retry = (status?: number): Outcome => ({
  kind: "retry",
  ...(status === undefined ? {} : { status }),
  message: "m",
  durationMs: 1,
});

describe("readLoadSignal", () => {
  it.each([503, 500, 408, undefined])(
    "reads retry %s as back pressure, even beside ok",
    (status) => {
      expect(readLoadSignal([ok, retry(status)])).toBe("back-pressure");
    },
  );

  it("reads a 429 as a rate limit, whatever else the request carried", () => {
    expect(readLoadSignal([ok, retry(503), retry(429)])).toBe("rate-limited");
  });

  it("reads an answer GWEN gave without asking for less as a round trip to measure", () => {
    expect(readLoadSignal([ok])).toBe("answered");
    expect(
      readLoadSignal([{ kind: "permanent", status: 200, message: "invalid", durationMs: 1 }]),
    ).toBe("answered");
  });

  it("reads nothing into a refused key or a delivery that was never sent", () => {
    expect(readLoadSignal([{ kind: "auth", status: 401, message: "key", durationMs: 1 }])).toBe(
      "silent",
    );
    expect(readLoadSignal([{ kind: "permanent", message: "unknown action", durationMs: 0 }])).toBe(
      "silent",
    );
  });
});
