import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recordedResults, resultsTable } from "../../support/reliability/results.js";
import { repositoryRoot } from "../pack/workspace-packages.js";

/** A Markdown table's rows as trimmed cells, whatever the alignment padding. */
function cells(table: string): string[][] {
  return table
    .split("\n")
    .filter((line) => line.startsWith("|"))
    .map((line) =>
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    )
    .filter((row) => !row.every((cell) => /^-+:?$|^:?-+:?$/.test(cell)));
}

/** The table under the README's "### Results" heading. */
function readmeTable(): string {
  const readme = readFileSync(`${repositoryRoot}README.md`, "utf8");
  const after = readme.split("\n### Results\n")[1] ?? "";
  return after
    .trimStart()
    .split("\n")
    .filter((_, index, lines) => lines.slice(0, index + 1).every((line) => line.startsWith("|")))
    .join("\n");
}

describe("the README's reliability table", () => {
  it("shows the recorded run (tests/results/reliability.json), row for row", () => {
    const recorded = recordedResults();
    expect(recorded.length).toBeGreaterThan(20);
    expect(cells(readmeTable())).toEqual(cells(resultsTable(recorded)));
  });

  it("shows only runs that lost nothing", () => {
    for (const row of recordedResults()) {
      expect([row.scenario, row.lost, row.delivered]).toEqual([row.scenario, 0, row.events]);
    }
  });
});
