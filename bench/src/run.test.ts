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

/** The harness runs end to end in quick mode so it cannot rot; no figure is judged here (timing is not a test). */
describe("npm run bench -- --quick", () => {
  it("prints a table and writes every figure as JSON with its baseline and ratio", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gwenmap-bench-test-"));
    dirs.push(dir);
    const json = join(dir, "figures.json");
    const { stdout } = await run(
      tsx,
      ["src/run.ts", "--quick", "--suite", "engine", "--json", json],
      {
        cwd: benchDir,
        timeout: 120_000,
      },
    );
    expect(stdout.split("\n")[0]).toMatch(/^suite\s+case\s+value\s+ratio$/);
    const figures = JSON.parse(await readFile(json, "utf8")) as Figure[];
    expect(figures.map((figure) => figure.case)).toContain(
      "reshaping (Order Completed): gwenmap full path",
    );
    for (const figure of figures) {
      expect(figure).toMatchObject({ suite: "engine", unit: "events/s" });
      expect(figure.value).toBeGreaterThan(0);
      if (figure.baseline !== undefined) expect(Number.isFinite(figure.ratio)).toBe(true);
    }
    expect(figures.filter((figure) => figure.baseline !== undefined)).toHaveLength(7);
  });
});
