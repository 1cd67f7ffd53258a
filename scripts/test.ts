/**
 * `npm test`: build and test every workspace through turbo, then print one
 * line of totals across all of them (CI reads it). Each workspace's vitest
 * writes a JSON report to `.vitest/results.json`; a workspace that produced
 * no report counts as a failure, so a crash can never read as success.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numTotalTests: number;
}

const root = new URL("..", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  workspaces: string[];
};
const extraArgs = process.argv.slice(2);

for (const workspace of manifest.workspaces) {
  rmSync(join(root, workspace, ".vitest"), { recursive: true, force: true });
}

ensurePostgres();
ensureChromium();

const turbo = spawnSync("npx", ["turbo", "run", "test", "--continue", ...extraArgs], {
  cwd: root,
  stdio: "inherit",
});

let passed = 0;
let failed = 0;
const missing: string[] = [];
for (const workspace of manifest.workspaces) {
  const pkg = JSON.parse(readFileSync(join(root, workspace, "package.json"), "utf8")) as {
    scripts?: Record<string, string>;
  };
  if (!pkg.scripts?.test) continue;
  const reportPath = join(root, workspace, ".vitest", "results.json");
  if (!existsSync(reportPath)) {
    missing.push(workspace);
    continue;
  }
  const report = JSON.parse(readFileSync(reportPath, "utf8")) as VitestReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

if (missing.length > 0) {
  console.error(`no test report from: ${missing.join(", ")} (counted as one failure each)`);
  failed += missing.length;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);

/**
 * The PostgreSQL queue's tests need a server: reuse the one named by
 * GWENMAP_TEST_POSTGRES_URL, or have scripts/ensure-postgres.sh install (from
 * Debian's packages) and start a throwaway one on loopback.
 */
function ensurePostgres(): void {
  if (process.env.GWENMAP_TEST_POSTGRES_URL) return;
  const script = join(root, "scripts", "ensure-postgres.sh");
  if (!existsSync(script)) return;
  const started = spawnSync("bash", [script], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const url = started.stdout.toString().trim().split("\n").at(-1) ?? "";
  if (started.status !== 0 || !url.startsWith("postgres")) {
    console.error("scripts/ensure-postgres.sh could not start PostgreSQL; its tests will fail");
    return;
  }
  process.env.GWENMAP_TEST_POSTGRES_URL = url;
}

/**
 * The browser tests drive Debian's Chromium through playwright-core (Playwright's
 * own downloads need the open internet): scripts/ensure-chromium.sh finds it, or
 * installs it from Debian's packages, and prints its path.
 */
function ensureChromium(): void {
  const script = join(root, "scripts", "ensure-chromium.sh");
  if (!existsSync(script)) return;
  const found = spawnSync("bash", [script], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const path = found.stdout.toString().trim().split("\n").at(-1) ?? "";
  if (found.status !== 0 || !path.startsWith("/")) {
    console.error("scripts/ensure-chromium.sh found no Chromium; the browser tests will fail");
    return;
  }
  process.env.GWENMAP_CHROMIUM_PATH = path;
}
