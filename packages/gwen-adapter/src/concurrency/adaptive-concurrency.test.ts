import { describe, expect, it } from "vitest";
import type { Outcome } from "../outcome/outcome.js";
import { AdaptiveConcurrency } from "./adaptive-concurrency.js";

const ok: Outcome = { kind: "ok", status: 200, durationMs: 20 };
const tooMany: Outcome = {
  kind: "retry",
  status: 429,
  retryAfterMs: 1000,
  message: "GWEN answered 429",
  durationMs: 20,
};
const unavailable: Outcome = {
  kind: "retry",
  status: 503,
  message: "GWEN answered 503",
  durationMs: 20,
};
const timedOut: Outcome = {
  kind: "retry",
  message: "did not start answering within 10000 ms (UND_ERR_HEADERS_TIMEOUT)",
  durationMs: 10_000,
};
const invalid: Outcome = { kind: "permanent", status: 200, message: "bad", durationMs: 20 };
const refusedKey: Outcome = { kind: "auth", status: 401, message: "key", durationMs: 20 };

/** A GWEN model: how long a request takes and what it answers, given the requests in flight. */
interface Service {
  roundTripMs(inFlight: number): number;
  answer(inFlight: number): Outcome;
}

/** Always busy: every round trip, as many requests as the limit allows start together and end together. */
class Simulation {
  time = 0;
  readonly limits: number[] = [];
  readonly controller: AdaptiveConcurrency;

  constructor(options: { maxConcurrency?: number; initialConcurrency?: number } = {}) {
    this.controller = new AdaptiveConcurrency({
      initialConcurrency: 1,
      ...options,
      now: () => this.time,
    });
  }

  run(service: Service, roundTrips: number): this {
    for (let round = 0; round < roundTrips; round++) {
      const count = this.controller.available();
      const started = Array.from({ length: count }, () => this.controller.start());
      const inFlight = this.controller.inFlight;
      this.time += service.roundTripMs(inFlight);
      for (const startedAt of started) {
        this.controller.finish(startedAt, [service.answer(inFlight)]);
      }
      this.limits.push(this.controller.limit);
    }
    return this;
  }
}

/** GWEN answering in `ms` whatever the load. */
const steady = (ms: number): Service => ({ roundTripMs: () => ms, answer: () => ok });

/** GWEN that takes `baseMs` up to `capacity` requests in flight, and queues beyond: round trips grow with the load. */
const saturating = (baseMs: number, capacity: number): Service => ({
  roundTripMs: (inFlight) => baseMs * Math.max(1, inFlight / capacity),
  answer: () => ok,
});

/** GWEN answering `refusal` whenever more than `most` requests are in flight. */
const limited = (ms: number, most: number, refusal: Outcome = tooMany): Service => ({
  roundTripMs: () => ms,
  answer: (inFlight) => (inFlight > most ? refusal : ok),
});

/** A seeded pseudo-random sequence in [0, 1): the same jitter on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % 4_294_967_296;
    return state / 4_294_967_296;
  };
}

/**
 * GWEN (or the server's own cores) taking `capacity` requests per round trip
 * of `baseMs`: beyond it round trips grow faster than the load, and every
 * round trip jitters by up to `jitter` either way.
 */
interface NoisyModel {
  readonly baseMs: number;
  readonly capacity: number;
  readonly jitter: number;
  readonly seconds: number;
}

/** Requests per ms delivered in the model, a round trip at a time, with the limit `next` gives after each. */
function throughput(
  model: NoisyModel,
  next: (inFlight: number, roundTripMs: number) => number,
): number {
  const random = seeded(7);
  let time = 0;
  let delivered = 0;
  let limit = next(0, 0);
  while (time < model.seconds * 1000) {
    const load = Math.max(1, (limit / model.capacity) ** 1.5);
    const roundTripMs = model.baseMs * load * (1 + model.jitter * (2 * random() - 1));
    time += roundTripMs;
    delivered += limit;
    limit = next(limit, roundTripMs);
  }
  return delivered / time;
}

describe("AdaptiveConcurrency", () => {
  it("starts at one request and doubles every round trip while GWEN answers steadily (slow start)", () => {
    const { limits } = new Simulation({ maxConcurrency: 1000 }).run(steady(20), 8);
    // The first round opens connections, the second sets the reference; each one after it doubles.
    expect(limits).toEqual([1, 1, 2, 4, 8, 16, 32, 64]);
  });

  it("starts at 16 under a ceiling of 1,024 unless told otherwise", () => {
    const controller = new AdaptiveConcurrency();
    expect(controller).toMatchObject({ limit: 16, ceiling: 1024, mode: "adaptive" });
  });

  it("never grows above its ceiling", () => {
    const simulation = new Simulation({ maxConcurrency: 40 }).run(steady(20), 50);
    expect(Math.max(...simulation.limits)).toBe(40);
    expect(simulation.controller.limit).toBe(40);
    expect(simulation.controller.ceiling).toBe(40);
  });

  it("does not grow while fewer requests than the limit are sent (no evidence it could carry more)", () => {
    let time = 0;
    const controller = new AdaptiveConcurrency({ initialConcurrency: 4, now: () => time });
    for (let round = 0; round < 20; round++) {
      const startedAt = controller.start();
      time += 20;
      controller.finish(startedAt, [ok]);
    }
    expect(controller.limit).toBe(4);
  });

  it("shrinks on 429 and grows back after it, staying near what GWEN accepts", () => {
    const simulation = new Simulation({ maxConcurrency: 1000 }).run(limited(20, 50), 80);
    const { limits } = simulation;
    const firstDrop = limits.findIndex((limit, index) => index > 0 && limit < limits[index - 1]!);
    // Slow start overshot to 64 (above 50): each shrink keeps 90%.
    expect(limits.slice(firstDrop - 1, firstDrop + 1)).toEqual([64, 57]);
    // From then on it climbs back in small steps below the refusals, and shrinks at each.
    const settled = limits.slice(firstDrop + 10);
    expect(Math.max(...settled)).toBeLessThanOrEqual(58);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(40);
    const steps = settled.slice(1).map((limit, index) => limit - settled[index]!);
    expect(Math.max(...steps)).toBeLessThanOrEqual(4);
    expect(steps.filter((step) => step === 1).length).toBeGreaterThan(steps.length / 3);
  });

  it("after three steady rounds in a row, doubles its step each round until a round is not steady", () => {
    const simulation = new Simulation({ maxConcurrency: 1000 }).run(saturating(20, 100), 40);
    const afterSlowStart = simulation.limits.slice(11, 31);
    const steps = afterSlowStart.slice(1).map((limit, index) => limit - afterSlowStart[index]!);
    expect(steps.filter((step) => step > 0)).toEqual([1, 1, 1, 2, 4, 8]);
  });

  it.each([
    ["503", unavailable],
    ["a timeout", timedOut],
  ])("shrinks on %s as on 429", (_name, refusal) => {
    const { limits } = new Simulation({ maxConcurrency: 1000 }).run(limited(20, 50, refusal), 40);
    expect(limits.at(-1)).toBeLessThanOrEqual(51);
    expect(limits.at(-1)).toBeGreaterThanOrEqual(40);
  });

  it.each([
    ["invalid deliveries", invalid],
    ["a refused API key", refusedKey],
  ])("does not shrink on %s (nothing about GWEN's load)", (_name, answer) => {
    const { limits } = new Simulation({ maxConcurrency: 1000 }).run(
      { roundTripMs: () => 20, answer: () => answer },
      10,
    );
    expect(Math.min(...limits.slice(1))).toBeGreaterThanOrEqual(limits[0]!);
  });

  it("leaves the slow start where more in flight stops buying throughput, and holds near there", () => {
    const simulation = new Simulation({ maxConcurrency: 1000 }).run(saturating(20, 100), 200);
    const { limits } = simulation;
    // Doubling past the capacity of 100 buys nothing: two such rounds (at 256 and 512) end the slow
    // start, and the limit goes back to the one that gave the best rate.
    expect(limits.slice(0, 12)).toEqual([1, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 128]);
    const settled = limits.slice(12);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...settled)).toBeLessThanOrEqual(150);
  });

  it.each([
    { baseMs: 20, capacity: 250 },
    { baseMs: 50, capacity: 600 },
  ])(
    "with jittery round trips ($baseMs ms), delivers at least 85% of the best fixed limit",
    (remote) => {
      const model = { ...remote, jitter: 0.4, seconds: 6 };
      const best = Math.max(
        ...[16, 64, 128, 256, 512, 1024].map((limit) => throughput(model, () => limit)),
      );
      let time = 0;
      const controller = new AdaptiveConcurrency({ now: () => time });
      const adaptive = throughput(model, (inFlight, roundTripMs) => {
        // The round just simulated: `inFlight` requests that all took `roundTripMs`.
        const started = Array.from({ length: inFlight }, () => controller.start());
        time += roundTripMs;
        for (const startedAt of started) controller.finish(startedAt, [ok]);
        return controller.limit;
      });
      expect(adaptive / best).toBeGreaterThanOrEqual(0.85);
    },
  );

  it("keeps doubling through one slow round (a noisy round trip does not end the slow start)", () => {
    let time = 0;
    const controller = new AdaptiveConcurrency({
      maxConcurrency: 1000,
      initialConcurrency: 1,
      now: () => time,
    });
    /** Sends as many as the limit allows, all answered after each of `roundTrips`; the limit after each. */
    const rounds = (...roundTrips: number[]) =>
      roundTrips.map((roundTripMs) => {
        const started = Array.from({ length: controller.available() }, () => controller.start());
        time += roundTripMs;
        for (const startedAt of started) controller.finish(startedAt, [ok]);
        return controller.limit;
      });
    expect(rounds(20, 20, 20, 20)).toEqual([1, 1, 2, 4]);
    expect(rounds(60, 20, 20, 20, 20)).toEqual([8, 8, 16, 16, 32]);
  });

  it("shrinks for a rise in round trips that lasts two rounds, once, and not for one slow round", () => {
    const controller = () => {
      let time = 0;
      const limit = new AdaptiveConcurrency({ maxConcurrency: 64, now: () => time });
      return (...roundTrips: number[]) =>
        roundTrips.map((roundTripMs) => {
          const started = Array.from({ length: limit.available() }, () => limit.start());
          time += roundTripMs;
          for (const startedAt of started) limit.finish(startedAt, [ok]);
          return limit.limit;
        });
    };
    const noisy = controller();
    expect(noisy(20, 20, 20, 20, 20, 20, 20, 20).at(-1)).toBe(64);
    expect(noisy(40, 20, 20, 20)).toEqual([64, 64, 64, 64]);
    // GWEN twice as slow for good: one shrink, then the new round trip is the reference.
    const slower = controller();
    slower(20, 20, 20, 20, 20, 20, 20, 20);
    expect(slower(40, 40, 40, 40, 40, 40)).toEqual([64, 57, 57, 57, 57, 57]);
  });

  it("does not drift past half again what GWEN can use, and measures its lowest round trip every 10 s", () => {
    // Beyond 100 in flight each request added only queues: the round trip grows with the load.
    const simulation = new Simulation({ maxConcurrency: 1000 }).run(saturating(20, 100), 1_200);
    const afterSlowStart = simulation.limits.slice(12);
    expect(simulation.time).toBeGreaterThan(30_000);
    expect(Math.max(...afterSlowStart)).toBeLessThanOrEqual(150);
    // Every 10 s one round runs at half the limit to measure the lowest round trip again.
    const halved = afterSlowStart.filter((limit) => limit < 100).length;
    expect(halved).toBeGreaterThanOrEqual(3);
    expect(halved).toBeLessThanOrEqual(6);
  });

  it("shrinks once for the refusals of requests sent before it shrank, not once per refusal", () => {
    let time = 0;
    const controller = new AdaptiveConcurrency({ initialConcurrency: 10, now: () => time });
    // The first round opens connections; the second sets the reference.
    for (let round = 0; round < 2; round++) {
      const first = controller.start();
      time += 20;
      controller.finish(first, [ok]);
    }
    // Ten requests leave together; GWEN refuses them one after another.
    const started = Array.from({ length: 10 }, () => controller.start());
    for (const startedAt of started) {
      time += 5;
      controller.finish(startedAt, [tooMany]);
    }
    expect(controller.limit).toBe(9);
  });

  it("judges a round without a request that hangs, and counts its timeout when it ends", () => {
    let time = 0;
    const controller = new AdaptiveConcurrency({ initialConcurrency: 4, now: () => time });
    // The first round opens connections; the second sets the reference.
    for (let round = 0; round < 2; round++) {
      const first = controller.start();
      time += 20;
      controller.finish(first, [ok]);
    }
    const hanging = controller.start();
    for (let round = 0; round < 5; round++) {
      const started = Array.from({ length: controller.available() }, () => controller.start());
      time += 20;
      for (const startedAt of started) controller.finish(startedAt, [ok]);
    }
    // The rounds went on without it (slow start: doubling from 4).
    expect(controller.limit).toBeGreaterThanOrEqual(16);
    const before = controller.limit;
    time += 10_000;
    controller.finish(hanging, [timedOut]);
    expect(controller.limit).toBe(Math.floor(before * 0.9));
  });

  it("counts a request only once: cancelled requests free their slot without judging GWEN", () => {
    const controller = new AdaptiveConcurrency({ initialConcurrency: 2, now: () => 0 });
    controller.start();
    controller.start();
    expect(controller.available()).toBe(0);
    controller.cancel(0);
    expect(controller.inFlight).toBe(1);
    expect(controller.available()).toBe(1);
    expect(controller.limit).toBe(2);
  });

  it("rejects options out of range, naming them", () => {
    expect(() => new AdaptiveConcurrency({ maxConcurrency: 0 })).toThrow(
      "maxConcurrency must be a whole number of at least 1, not 0.",
    );
    expect(() => new AdaptiveConcurrency({ decreaseRatio: 1 })).toThrow(
      "decreaseRatio must be a number above 0 and below 1, not 1.",
    );
    expect(() => new AdaptiveConcurrency({ rttDeviationScale: -1 })).toThrow(/rttDeviationScale/);
  });
});
