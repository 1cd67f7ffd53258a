import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY } from "../../support/server/spawn-server.js";

interface LockedPackage {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly dev?: boolean;
  readonly link?: boolean;
  readonly dependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(REPOSITORY, "package-lock.json"), "utf8")) as {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
};

describe("the lockfile pins what users install", () => {
  it("pins every production package to a version and an integrity hash (from https when a URL is kept)", () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(3);
    const loose = Object.entries(lock.packages)
      .filter(([path, entry]) => path.includes("node_modules/") && !entry.dev && !entry.link)
      .filter(
        ([, entry]) =>
          !entry.version ||
          (entry.resolved !== undefined && !entry.resolved.startsWith("https://")) ||
          !entry.integrity?.startsWith("sha512-"),
      )
      .map(([path]) => path);
    expect(loose).toEqual([]);
  });

  it("holds every dependency the published packages declare", () => {
    const missing: string[] = [];
    for (const workspace of [
      "packages/core",
      "packages/gwen-adapter",
      "packages/cli",
      "packages/server",
    ]) {
      const manifest = JSON.parse(
        readFileSync(join(REPOSITORY, workspace, "package.json"), "utf8"),
      ) as { dependencies?: Record<string, string> };
      for (const name of Object.keys(manifest.dependencies ?? {})) {
        const locked =
          lock.packages[`${workspace}/node_modules/${name}`] ??
          lock.packages[`node_modules/${name}`];
        if (!locked) missing.push(`${workspace}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
