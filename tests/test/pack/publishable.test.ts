import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { describe, expect, it } from "vitest";
import { publishedPackages, repositoryRoot } from "./workspace-packages.js";

/**
 * Every package can be published as it is: publint finds nothing (strict:
 * warnings count), and the metadata a registry user relies on is there.
 */
const packages = publishedPackages();

describe("the published packages", () => {
  it("are the four gwenmap packages", () => {
    expect(packages.map((pkg) => pkg.manifest.name).sort()).toEqual([
      "@gwenmap/cli",
      "@gwenmap/core",
      "@gwenmap/gwen-adapter",
      "@gwenmap/server",
    ]);
  });

  describe.each(packages.map((pkg) => [pkg.manifest.name, pkg] as const))("%s", (_name, pkg) => {
    const { manifest } = pkg;

    it("passes publint, warnings included", async () => {
      const { messages } = await publint({ pkgDir: pkg.dir, level: "warning", strict: true });
      const text = messages.map((message) => formatMessage(message, manifest) ?? message.code);
      expect(text).toEqual([]);
    });

    it("publishes as it is: npm's dry run corrects nothing in package.json and needs no login", () => {
      // npm silently drops what it "auto-corrects" (a bin of "./dist/bin.js" is removed).
      const result = spawnSync("npm", ["publish", "--dry-run"], {
        cwd: pkg.dir,
        encoding: "utf8",
        env: { ...process.env, npm_config_loglevel: "warn" },
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain(`+ ${manifest.name}@${manifest.version}`);
      expect(result.stderr).not.toMatch(/auto-corrected|errors corrected/);
    }, 60_000);

    it("is public, MIT with a LICENSE file, for Node 20.18+, with its repository folder", () => {
      expect(manifest.publishConfig?.access).toBe("public");
      expect(manifest.license).toBe("MIT");
      expect(readFileSync(join(pkg.dir, "LICENSE"), "utf8")).toContain("gwenmap contributors");
      expect(manifest.engines?.node).toBe(">=20.18.1");
      expect(manifest.repository?.directory).toBe(pkg.dir.split("/").slice(-2).join("/"));
    });

    it("declares every export with types and import (data files by path)", () => {
      expect(manifest.exports).toBeDefined();
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        if (typeof target === "string") {
          expect({ subpath, target }).toEqual({
            subpath,
            target: expect.stringMatching(/\.json$/),
          });
          expect(existsSync(join(pkg.dir, target))).toBe(true);
        } else {
          expect(Object.keys(target as object).sort()).toEqual(["import", "types"]);
        }
      }
    });

    it("names gwenmap packages by version range, never a workspace path", () => {
      const internal = Object.entries(manifest.dependencies ?? {}).filter(([name]) =>
        name.startsWith("@gwenmap/"),
      );
      for (const [name, range] of internal) {
        const dependency = packages.find((other) => other.manifest.name === name);
        expect({ name, range }).toEqual({ name, range: `^${dependency?.manifest.version}` });
      }
    });
  });

  it("document themselves in a README", () => {
    for (const pkg of packages) {
      expect({ name: pkg.manifest.name, readme: existsSync(join(pkg.dir, "README.md")) }).toEqual({
        name: pkg.manifest.name,
        readme: true,
      });
    }
  });

  it("give the CLI its gwenmap bin, a file that is packed", () => {
    const cli = packages.find((pkg) => pkg.manifest.name === "@gwenmap/cli");
    expect(cli?.manifest.bin).toEqual({ gwenmap: "bin/gwenmap.js" });
    expect(cli?.manifest.files).toEqual(expect.arrayContaining(["bin", "dist", "templates"]));
  });

  it("link the gwenmap bin in the monorepo at install, before dist/ is built: npx gwenmap runs", () => {
    // A committed launcher that imports dist/: npm links a bin only if its file exists at install.
    const tracked = spawnSync(
      "git",
      ["ls-files", "--error-unmatch", "packages/cli/bin/gwenmap.js"],
      {
        cwd: repositoryRoot,
        encoding: "utf8",
      },
    );
    expect(tracked.status, tracked.stderr).toBe(0);
    // What `npm ci` links from: the lockfile's record of the workspace.
    const lock = JSON.parse(readFileSync(join(repositoryRoot, "package-lock.json"), "utf8"));
    expect(lock.packages["packages/cli"].bin).toEqual({ gwenmap: "bin/gwenmap.js" });
    const version = spawnSync("npx", ["gwenmap", "--version"], {
      cwd: repositoryRoot,
      encoding: "utf8",
    });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(
      packages.find((pkg) => pkg.manifest.name === "@gwenmap/cli")?.manifest.version,
    );
  });

  it("leave the private workspaces (bench, tests) out of every changeset", () => {
    const dir = join(repositoryRoot, ".changeset");
    const named = readdirSync(dir)
      .filter((file) => file.endsWith(".md") && file !== "README.md")
      .flatMap((file) => {
        const [, header = ""] =
          /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(dir, file), "utf8")) ?? [];
        return [...header.matchAll(/"(@gwenmap\/[^"]+)"/g)].map((match) => ({
          file,
          name: match[1],
        }));
      });
    expect(named.length).toBeGreaterThan(0);
    const published = new Set(packages.map((pkg) => pkg.manifest.name));
    expect(named.filter(({ name }) => !published.has(name as string))).toEqual([]);
  });
});
