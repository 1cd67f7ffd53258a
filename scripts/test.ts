/**
 * `npm test`: build and test every workspace through turbo, then print one
 * line of totals across all of them (CI reads it). Each workspace's vitest
 * writes a JSON report to `.vitest/results.json`; a workspace that produced
 * no report counts as a failure, so a crash can never read as success.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
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

// Ctrl-C reaches turbo and its tests; this process stays to stop what it started.
process.on("SIGINT", () => {});
const startedPostgres = ensurePostgres();
ensureChromium();

const turbo = spawnSync("npx", ["turbo", "run", "test", "--continue", ...extraArgs], {
  cwd: root,
  stdio: "inherit",
});
if (startedPostgres) stopPostgres(startedPostgres);

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
 * GWENMAP_TEST_POSTGRES_URL or one already running (scripts/ensure-postgres.sh
 * finds it), or have that script install PostgreSQL (from Debian's packages)
 * and start a throwaway one on loopback, in a folder of this run's own that
 * no other run can find. Answers that folder when it started one (to stop it
 * after the tests), else undefined: a cluster found running is never stopped.
 */
function ensurePostgres(): string | undefined {
  if (process.env.GWENMAP_TEST_POSTGRES_URL) return undefined;
  const script = join(root, "scripts", "ensure-postgres.sh");
  if (!existsSync(script)) return undefined;
  const home = mkdtempSync(join(tmpdir(), "gwenmap-npm-test-postgres-"));
  const started = spawnSync("bash", [script], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, GWENMAP_PG_PRIVATE_HOME: home },
  });
  const url = started.stdout.toString().trim().split("\n").at(-1) ?? "";
  const ours = existsSync(join(home, "url")) ? home : undefined;
  if (!ours) rmSync(home, { recursive: true, force: true });
  if (started.status !== 0 || !url.startsWith("postgres")) {
    console.error("scripts/ensure-postgres.sh could not start PostgreSQL; its tests will fail");
    return ours;
  }
  process.env.GWENMAP_TEST_POSTGRES_URL = url;
  return ours;
}

/** Stops the cluster `ensurePostgres` started for this run, and removes its folder. */
function stopPostgres(home: string): void {
  const script = join(root, "scripts", "ensure-postgres.sh");
  spawnSync("bash", [script, "--stop", home], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
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
