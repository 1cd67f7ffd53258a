import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PostgresJobStore } from "./postgres-job-store.js";
import { createTestSchema, openTestStore, type TestSchema } from "./test-postgres-url.js";

const RATE = 100;

describe("global rate limit on PostgreSQL", () => {
  let schema: TestSchema;
  const opened: PostgresJobStore[] = [];

  beforeEach(() => {
    schema = createTestSchema();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await schema.drop();
  });

  const open = async () => {
    const store = await openTestStore(schema);
    opened.push(store);
    return store;
  };

  it("holds the rate across instances: no stretch of time grants more than the burst plus the rate", async () => {
    const stores = [await open(), await open(), await open()];
    const limiters = stores.map((store) => store.rateLimiter(RATE));
    const grants = (
      await Promise.all(
        limiters.map((limiter) => Promise.all(Array.from({ length: 80 }, () => limiter.acquire()))),
      )
    )
      .flat()
      .sort((a, b) => a - b);
    expect(grants).toHaveLength(240);
    let worst = 0;
    for (let first = 0; first < grants.length; first++) {
      for (let last = first; last < grants.length; last++) {
        const span = ((grants[last] ?? 0) - (grants[first] ?? 0)) / 1000;
        const allowed = RATE + span * RATE;
        worst = Math.max(worst, last - first + 1 - allowed);
      }
    }
    // A thousandth of a token: rounding, not a request.
    expect(worst).toBeLessThan(1e-3);
  });

  it("gives the wait up when its signal aborts", async () => {
    const store = await open();
    const limiter = store.rateLimiter(1);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("shutting down"));
    await expect(waiting).rejects.toThrow("shutting down");
  });
});
