import { type Emulator, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_KEY, eventsNdjson } from "../../support/cli/events.js";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";

const EVENTS = 100_000;

let emulator: Emulator;
let project: TempProject;

beforeAll(async () => {
  emulator = await startEmulator();
  project = await tempProject("mappings");
  await project.write("events.ndjson", eventsNdjson(EVENTS));
});

afterAll(async () => {
  await emulator.close();
  await project.remove();
});

describe("gwenmap send at volume", () => {
  it("delivers 100,000 events exactly once while GWEN answers a fifth of the requests with 429 or 503", async () => {
    // 429 (Retry-After: 1 s) for 10% of requests, then 503 for 1/9 of the rest: 20% in all.
    emulator.setFaults({ rateLimitRate: 0.1, errorRate: 1 / 9, errorStatus: 503 });
    const result = await runGwenmap(
      ["send", "events.ndjson", "--concurrency", "32", "--max-backoff", "2", "--json"],
      { cwd: project.dir, env: { GWEN_API_KEY: EMULATOR_KEY, GWEN_ENDPOINT: emulator.url } },
    );
    // The only thing on stderr may be the note that the key check itself drew a fault.
    expect(result.stderr.replace(/^GWEN asked to try later.*\n/m, "")).toBe("");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ events: EVENTS, sent: EVENTS, rejected: 0, failed: 0 });

    const stats = emulator.stats();
    const faulted = (stats.rateLimited ?? 0) + (stats.httpErrors ?? 0);
    expect(faulted / (stats.requests ?? 1)).toBeGreaterThan(0.18);
    expect(summary.retried).toBeGreaterThanOrEqual(faulted - 1);

    const perUser = new Map<unknown, number>();
    for (const request of emulator.requests()) {
      perUser.set(request.variables.userId, (perUser.get(request.variables.userId) ?? 0) + 1);
    }
    expect(perUser.size).toBe(EVENTS);
    expect([...perUser.values()].every((count) => count === 1)).toBe(true);
    expect(emulator.requests()).toHaveLength(EVENTS);
  }, 150_000);
});
