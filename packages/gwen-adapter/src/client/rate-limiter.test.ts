import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RateLimiter } from "./rate-limiter.js";

describe("RateLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets a burst of `rate` through, then spaces the rest at the rate", async () => {
    const limiter = new RateLimiter(2);
    const passed: number[] = [];
    for (let index = 0; index < 4; index++) {
      void limiter.acquire().then(() => passed.push(index));
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(500);
    expect(passed).toEqual([0, 1, 2]);
    await vi.advanceTimersByTimeAsync(500);
    expect(passed).toEqual([0, 1, 2, 3]);
  });

  it("gives the token back when a waiting caller aborts", async () => {
    const limiter = new RateLimiter(1);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow();
    const passed: string[] = [];
    void limiter.acquire().then(() => passed.push("next"));
    await vi.advanceTimersByTimeAsync(1000);
    expect(passed).toEqual(["next"]);
  });
});
