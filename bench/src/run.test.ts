import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { Figure } from "./harness/figure.js";

const run = promisify(execFile);
const benchDir = fileURLToPath(new URL("..", import.meta.url));
const tsx = join(benchDir, "../node_modules/.bin/tsx");
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/**
 * Every suite runs end to end on tiny inputs (`--smoke`: real processes,
 * real load, the shortest runs) so the harness cannot rot. No figure is
 * judged here: timing is not a test.
 */
describe("npm run bench -- --smoke", () => {
  it("runs every suite, prints a table and writes every figure as JSON with its baseline and ratio", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gwenmap-bench-test-"));
    dirs.push(dir);
    const json = join(dir, "figures.json");
    const { stdout } = await run(tsx, ["src/run.ts", "--smoke", "--json", json], {
      cwd: benchDir,
      timeout: 300_000,
    });
    expect(stdout.split("\n")[0]).toMatch(/^suite\s+case\s+value\s+ratio$/);
    const figures = JSON.parse(await readFile(json, "utf8")) as Figure[];
    // The wakeups suite needs PostgreSQL, which smoke runs take only from the variable (`npm test` sets it).
    const postgres = Boolean(process.env.GWENMAP_TEST_POSTGRES_URL?.trim());
    expect(new Set(figures.map((figure) => figure.suite))).toEqual(
      new Set(["engine", "adapter", "server", "delivery", "cli", ...(postgres ? ["wakeups"] : [])]),
    );
    const cases = figures.map((figure) => figure.case);
    expect(cases).toContain("reshaping (Order Completed): gwenmap full path");
    expect(cases).toContain("emulator, SendEvent (autocannon, 32 connections)");
    expect(cases).toContain("single event (/v1/track): read + JSON.parse ceiling");
    expect(cases).toContain(
      "100-event batch (/v1/batch): gwenmap server (SQLite, delivery paused)",
    );
    expect(cases.some((name) => name.startsWith("end to end: 500 events"))).toBe(true);
    expect(cases).toContain("backlog of 500 stored deliveries, after a restart: delivered");
    expect(cases.some((name) => name.startsWith("gwenmap send, 300-line NDJSON"))).toBe(true);
    expect(cases).toContain("GWEN 20 ms away: adaptive concurrency (no setting)");
    expect(cases).toContain(
      "GWEN 20 ms away, 429 above 1,000 requests/s: adaptive concurrency, 429 answers",
    );
    if (postgres) {
      const crossed =
        "PostgreSQL queue, one event at a time, posted to one instance, delivered by another";
      expect(cases.filter((name) => name.startsWith(crossed))).toHaveLength(2);
      expect(cases).toContain(
        "PostgreSQL queue, one event at a time, posted to and delivered by one instance: latency p95",
      );
    }
    if (process.platform === "linux") {
      expect(cases.some((name) => name.startsWith("steady 1,500 events/s"))).toBe(true);
    }
    for (const figure of figures) {
      expect(Number.isFinite(figure.value)).toBe(true);
      expect(figure.value).toBeGreaterThanOrEqual(0);
      expect(stdout).toContain(figure.case);
      if (figure.baseline === undefined) continue;
      const baseline = figures.find(
        (other) => other.suite === figure.suite && other.case === figure.baseline,
      );
      expect(baseline, `${figure.case} names its baseline`).toBeDefined();
      expect(figure.ratio).toBeCloseTo(figure.value / baseline!.value, 6);
    }
    expect(figures.filter((figure) => figure.baseline !== undefined).length).toBeGreaterThan(20);
  }, 310_000);
});
