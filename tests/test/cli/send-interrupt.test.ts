import { readFile } from "node:fs/promises";
import { type Emulator, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_KEY, eventsNdjson } from "../../support/cli/events.js";
import {
  collect,
  finished,
  runGwenmap,
  spawnGwenmap,
  waitForOutput,
} from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";

const EVENTS = 5_000;

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

const env = () => ({ GWEN_API_KEY: EMULATOR_KEY, GWEN_ENDPOINT: emulator.url });

describe("gwenmap send and Ctrl-C", () => {
  it("stops reading, finishes what is in flight, keeps the rest, says how far it got, and can be resumed", async () => {
    emulator.setFaults({ latencyMs: 5 });
    const child = spawnGwenmap(["send", "events.ndjson", "--concurrency", "4", "--json"], {
      cwd: project.dir,
      env: env(),
    });
    const output = collect(child);
    const deadline = Date.now() + 20_000;
    while (emulator.requests().length < 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGINT");
    const result = await finished(child, output);

    expect(result.code).toBe(130);
    expect(result.stderr).toContain("Stopping: no new requests");
    const summary = JSON.parse(result.stdout);
    expect(summary.stopped).toBe("interrupted");
    expect(summary.lastLine).toBeLessThan(EVENTS);
    // Requests in flight were finished and counted: GWEN has exactly what the summary says.
    expect(emulator.requests()).toHaveLength(summary.sent);
    const failures = (await readFile(project.path("events.failures.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { failure: { code: string }; mappings: string[] });
    expect(failures.every((record) => record.failure.code === "E_INTERRUPTED")).toBe(true);
    // Hundreds of records were written at once (more than an emitter's default 10 listeners
    // waiting for the file to drain), and Node printed no warning about it.
    expect(failures.length).toBeGreaterThan(100);
    expect(result.stderr).not.toMatch(/Warning|\(node:\d+\)/);
    // Every event read is either delivered or in the failures file (one delivery per event here).
    expect(summary.sent + failures.length).toBe(summary.lastLine);
    expect(summary.events).toBe(summary.lastLine);

    emulator.setFaults({});
    const failed = await runGwenmap(["send", "events.failures.ndjson", "--json"], {
      cwd: project.dir,
      env: env(),
    });
    expect(JSON.parse(failed.stdout)).toMatchObject({ sent: failures.length, failed: 0 });
    const rest = await runGwenmap(
      ["send", "events.ndjson", "--skip", String(summary.lastLine), "--json"],
      { cwd: project.dir, env: env() },
    );
    expect(JSON.parse(rest.stdout)).toMatchObject({ sent: EVENTS - summary.lastLine, failed: 0 });

    const users = emulator.requests().map((request) => request.variables.userId);
    expect(users).toHaveLength(EVENTS);
    expect(new Set(users).size).toBe(EVENTS);
  }, 60_000);

  it("prints where to continue in words", async () => {
    emulator.clear();
    emulator.setFaults({ latencyMs: 5 });
    const child = spawnGwenmap(["send", "events.ndjson", "--concurrency", "2"], {
      cwd: project.dir,
      env: env(),
    });
    const output = collect(child);
    const deadline = Date.now() + 20_000;
    while (emulator.requests().length < 20 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGINT");
    const result = await finished(child, output);
    expect(result.code).toBe(130);
    expect(result.stdout).toMatch(
      /Interrupted after line ([\d,]+) of events\.ndjson\. Continue with: gwenmap send events\.ndjson --skip \d+/,
    );
    expect(result.stdout).toContain("failures written to events.failures.ndjson");
  }, 60_000);

  it("aborts what is in flight on a second Ctrl-C, keeps it all, and prints no Node warning", async () => {
    emulator.clear();
    emulator.resetStats();
    // slow answers: the second Ctrl-C comes while requests are surely in flight
    emulator.setFaults({ latencyMs: 1500 });
    const child = spawnGwenmap(["send", "events.ndjson", "--concurrency", "8", "--json"], {
      cwd: project.dir,
      env: env(),
    });
    const output = collect(child);
    const deadline = Date.now() + 20_000;
    while ((emulator.stats().requests ?? 0) < 8 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill("SIGINT");
    await waitForOutput(output, /Stopping: no new requests/);
    child.kill("SIGINT");
    const result = await finished(child, output);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("Aborting the requests in flight");
    const summary = JSON.parse(result.stdout);
    const failures = (await readFile(project.path("events.failures.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { failure: { code: string; message: string } });
    // The fault happened: requests were in flight and were aborted, with hundreds of records at once.
    expect(failures.some((record) => record.failure.message.startsWith("aborted"))).toBe(true);
    expect(failures.length).toBeGreaterThan(100);
    expect(summary.sent + failures.length).toBe(summary.lastLine);
    expect(result.stderr).not.toMatch(/Warning|\(node:\d+\)/);
  }, 60_000);
});
