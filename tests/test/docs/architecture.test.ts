import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../pack/workspace-packages.js";

/**
 * docs/architecture.md names the files one event passes through; every one
 * of them must exist, so that a file moved or renamed without the document
 * fails here. Paths are relative to `packages/`, or to the package's `src/`
 * in the rows that name its full path first.
 */
const text = readFileSync(`${repositoryRoot}docs/architecture.md`, "utf8");
const tracked = spawnSync("git", ["ls-files", "packages"], {
  cwd: repositoryRoot,
  encoding: "utf8",
})
  .stdout.split("\n")
  .filter(Boolean);

describe("docs/architecture.md", () => {
  it("is linked from the README", () => {
    expect(readFileSync(`${repositoryRoot}README.md`, "utf8")).toContain("(docs/architecture.md)");
  });

  it("names only files that exist", () => {
    const named = [...new Set([...text.matchAll(/`([\w./-]+\.(?:ts|js))`/g)].map((m) => m[1]))];
    expect(named.length).toBeGreaterThan(50);
    const built = (path: string) => path.replace(/^cli\/dist\/bin\.js$/, "cli/src/bin.ts");
    const missing = named.filter(
      (path) =>
        !tracked.some(
          (file) => file === `packages/${built(path as string)}` || file.endsWith(`/${path}`),
        ),
    );
    expect(missing).toEqual([]);
  });
});
