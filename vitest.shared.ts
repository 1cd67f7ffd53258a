import { defineConfig } from "vitest/config";

/**
 * One test configuration for every workspace: the JSON report feeds the
 * repository-wide totals line that `npm test` (scripts/test.ts) prints.
 */
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: ".vitest/results.json" }]],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
