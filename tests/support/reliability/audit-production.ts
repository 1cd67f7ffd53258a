/**
 * `npm run audit:prod -w @gwenmap/e2e-tests`: `npm audit --omit=dev` for the
 * whole workspace. Exit 0 only when the audit ran and found nothing high or
 * critical; exit 1 for such findings; exit 2, saying so, when the registry's
 * audit endpoint could not be asked (offline, or a mirror without it): an
 * audit that did not run must never read as a pass.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

interface AuditReport {
  readonly metadata?: { readonly vulnerabilities?: Record<string, number> };
  readonly error?: { readonly code?: string; readonly summary?: string };
  /** npm's answer when the endpoint refused (e.g. `405 Method Not Allowed - POST ...`). */
  readonly message?: string;
}

const root = fileURLToPath(new URL("../../../", import.meta.url));
const run = spawnSync("npm", ["audit", "--omit=dev", "--json"], { cwd: root, encoding: "utf8" });
let report: AuditReport | undefined;
try {
  report = JSON.parse(run.stdout) as AuditReport;
} catch {
  report = undefined;
}
const counts = report?.metadata?.vulnerabilities;
if (counts === undefined) {
  const why =
    report?.error?.summary ||
    report?.message ||
    run.stderr.trim().split("\n").at(-1) ||
    "no answer";
  console.error(
    `npm audit did NOT run: the registry's audit endpoint could not be asked (${why}).`,
  );
  console.error("Nothing was checked; run it again with access to registry.npmjs.org.");
  process.exit(2);
}
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(
  `npm audit --omit=dev: ${Object.entries(counts)
    .map(([level, count]) => `${count} ${level}`)
    .join(", ")}`,
);
process.exit(serious > 0 ? 1 : 0);
