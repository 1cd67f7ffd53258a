import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEngine, loadFixtures, runFixtures } from "@gwenmap/core";
import { actions } from "@gwenmap/gwen-adapter";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { initProject } from "./init-project.js";
import { fixtureSchemaReference } from "./scaffold-files.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "gwenmap-init-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

describe("initProject", () => {
  it("scaffolds a project whose mappings load and whose fixtures all pass", async () => {
    const dir = join(root, "Team Mappings");
    const result = await initProject({ dir, cliVersion: "1.2.3", force: false });
    expect(result.ok && result.manifest).toBe("created");
    const engine = await loadEngine(join(dir, "mappings"), { contracts: actions });
    if (!engine.ok) throw new Error(engine.errors.map((error) => error.message).join("\n"));
    expect(engine.mappings.map((mapping) => mapping.name).sort()).toEqual([
      "identify-user",
      "send-event",
    ]);
    const { fixtures, errors } = await loadFixtures(join(dir, "mappings"));
    expect(errors).toEqual([]);
    expect(fixtures.length).toBeGreaterThan(5);
    const failed = (await runFixtures(engine.engine, fixtures)).filter((r) => !r.passed);
    expect(failed.map((r) => r.fixture.name)).toEqual([]);
  });

  it("writes package.json with the running CLI's version, the scripts and SQLite's build allowed", async () => {
    await initProject({ dir: root, cliVersion: "1.2.3", force: false });
    const manifest = await readJson(join(root, "package.json"));
    expect(manifest.scripts).toEqual({ validate: "gwenmap validate", test: "gwenmap test" });
    expect(manifest.devDependencies).toEqual({ "@gwenmap/cli": "^1.2.3" });
    expect(manifest.allowScripts).toEqual({ "better-sqlite3": true });
    expect(manifest.private).toBe(true);
  });

  it("points every fixture at the published fixture schema", async () => {
    await initProject({ dir: root, cliVersion: "1.2.3", force: false });
    const fixture = await readJson(join(root, "mappings/fixtures/track-order-completed.json"));
    expect(Object.keys(fixture)[0]).toBe("$schema");
    expect(fixture.$schema).toBe(fixtureSchemaReference);
    expect(fixtureSchemaReference).toBe(
      "../../node_modules/@gwenmap/core/schemas/fixture.schema.json",
    );
  });

  it("writes the CI workflow and the team's README", async () => {
    await initProject({ dir: root, cliVersion: "1.2.3", force: false });
    const workflow = await readFile(join(root, ".github/workflows/gwenmap.yml"), "utf8");
    expect(workflow).toContain("npx gwenmap validate");
    expect(workflow).toContain("npx gwenmap test --reporter junit");
    expect(workflow).toMatch(/npx gwenmap diff --base "origin\/\$\{\{ github\.base_ref \}\}"/);
    expect(workflow).toContain("gh pr comment");
    expect(await readFile(join(root, "README.md"), "utf8")).toContain("npx gwenmap test --update");
    expect(await readFile(join(root, ".gitignore"), "utf8")).toContain(".gwenmap/");
  });

  it("refuses, writing nothing, when files it would write exist", async () => {
    await mkdir(join(root, "mappings"), { recursive: true });
    await writeFile(join(root, "mappings/send-event.jsonata"), "mine");
    await writeFile(join(root, "README.md"), "ours");
    const result = await initProject({ dir: root, cliVersion: "1.2.3", force: false });
    expect(result).toEqual({ ok: false, conflicts: ["mappings/send-event.jsonata", "README.md"] });
    expect(await readFile(join(root, "README.md"), "utf8")).toBe("ours");
    await expect(readFile(join(root, "package.json"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("overwrites them with force", async () => {
    await writeFile(join(root, "README.md"), "ours");
    const result = await initProject({ dir: root, cliVersion: "1.2.3", force: true });
    expect(result.ok).toBe(true);
    expect(await readFile(join(root, "README.md"), "utf8")).toContain("# GWEN mappings");
  });

  it("extends an existing package.json, keeping its own fields and CLI version", async () => {
    const existing = {
      devDependencies: { "@gwenmap/cli": "file:../gwenmap-cli-0.0.0.tgz" },
      scripts: { test: 'echo "Error: no test specified" && exit 1', lint: "eslint ." },
    };
    await writeFile(join(root, "package.json"), JSON.stringify(existing));
    const result = await initProject({ dir: root, cliVersion: "1.2.3", force: false });
    expect(result.ok && result.manifest).toBe("updated");
    const manifest = await readJson(join(root, "package.json"));
    expect(manifest.devDependencies).toEqual(existing.devDependencies);
    expect(manifest.scripts).toEqual({
      test: "gwenmap test",
      lint: "eslint .",
      validate: "gwenmap validate",
    });
    expect(manifest.allowScripts).toEqual({ "better-sqlite3": true });
  });

  it("does not replace a test script of the team's own unless forced", async () => {
    await writeFile(join(root, "package.json"), JSON.stringify({ scripts: { test: "jest" } }));
    const refused = await initProject({ dir: root, cliVersion: "1.2.3", force: false });
    expect(refused).toEqual({
      ok: false,
      conflicts: ['package.json: scripts.test is "jest" (gwenmap\'s is "gwenmap test")'],
    });
    const forced = await initProject({ dir: root, cliVersion: "1.2.3", force: true });
    expect(forced.ok).toBe(true);
    expect((await readJson(join(root, "package.json"))).scripts.test).toBe("gwenmap test");
  });

  it("says so when package.json is not JSON", async () => {
    await writeFile(join(root, "package.json"), "{ nope");
    const result = await initProject({ dir: root, cliVersion: "1.2.3", force: true });
    expect(result).toEqual({
      ok: false,
      conflicts: ["package.json is not valid JSON: fix it or remove it"],
    });
  });
});

describe("initProject on a folder it cannot write", () => {
  it("says which file it could not write, as an E_FILE error", async () => {
    await writeFile(join(root, "mappings"), "a file where the mappings folder must go");
    await expect(
      initProject({ dir: root, cliVersion: "1.2.3", force: true }),
    ).rejects.toMatchObject({ code: "E_FILE", message: expect.stringContaining("mappings/") });
  });
});
