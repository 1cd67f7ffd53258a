import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitAll } from "../../support/cli/git-repository.js";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

const diff = (...args: string[]) => runGwenmap(["diff", ...args], { cwd: project.dir });

async function editSendEvent(from: string, to: string): Promise<void> {
  const file = project.path("mappings/send-event.jsonata");
  const text = await readFile(file, "utf8");
  if (!text.includes(from)) throw new Error(`send-event.jsonata has no ${from}`);
  await writeFile(file, text.replace(from, to));
}

describe("gwenmap diff --base", () => {
  it("shows per fixture how the output changed, and exits 0", async () => {
    commitAll(project.dir, "mappings as shipped");
    await editSendEvent('"type": type', '"type": $lowercase(event)');
    const result = await diff("--base", "HEAD");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("edited: send-event");
    expect(result.stdout).toContain("~ track-order-completed");
    expect(result.stdout).toContain("mapping send-event: the payload changed");
    expect(result.stdout).toContain("- at HEAD");
    expect(result.stdout).toContain("+ now");
    expect(result.stdout).toMatch(/^\s+- +"type": "track",$/m);
    expect(result.stdout).toMatch(/^\s+\+ +"type": "order completed",$/m);
    expect(result.stdout).not.toContain("~ identify-with-context");
    expect(result.stdout).toContain("3 of 14 fixtures change their output; 11 unchanged");
  });

  it("reports nothing changed for an untouched working tree", async () => {
    commitAll(project.dir, "mappings as shipped");
    const result = await diff("--base", "HEAD");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("edited: none");
    expect(result.stdout).toContain("0 of 14 fixtures change their output; 14 unchanged");
  });

  it("covers fixtures added since the base and fixtures only present at the base", async () => {
    commitAll(project.dir, "mappings as shipped");
    await rm(project.path("mappings/fixtures/identify-with-context.json"));
    await project.write(
      "mappings/fixtures/track-level-up.json",
      JSON.stringify({
        event: { type: "track", event: "Level Up", userId: "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d" },
        expect: [],
      }),
    );
    await editSendEvent(
      '"data": properties',
      '"data": properties ? properties : { "empty": true }',
    );
    const result = await diff("--base", "HEAD", "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const deleted = report.fixtures.find(
      (f: { name: string }) => f.name === "identify-with-context",
    );
    expect(deleted).toMatchObject({ origin: "deleted", changed: false });
    expect(deleted.file).toBe("HEAD:mappings/fixtures/identify-with-context.json");
    const added = report.fixtures.find((f: { name: string }) => f.name === "track-level-up");
    // A new fixture is mapped with both sets too: the edit changes its output.
    expect(added).toMatchObject({ origin: "new", changed: true });
    const withoutProperties = report.fixtures.find(
      (f: { name: string }) => f.name === "track-without-properties",
    );
    expect(withoutProperties.differences).toEqual([
      {
        change: "changed",
        mapping: "send-event",
        before: expect.objectContaining({
          payload: expect.not.objectContaining({ data: expect.anything() }),
        }),
        after: expect.objectContaining({
          payload: expect.objectContaining({ data: { empty: true } }),
        }),
      },
    ]);
  });

  it("treats every mapping as new when the mappings folder did not exist at the base", async () => {
    const fresh = await tempProject();
    try {
      await fresh.write("README.md", "mappings come later\n");
      commitAll(fresh.dir, "before the mappings");
      await cp(project.path("mappings"), fresh.path("mappings"), { recursive: true });
      const result = await runGwenmap(["diff", "--base", "HEAD"], { cwd: fresh.dir });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("added: identify-user, send-event");
      expect(result.stdout).toContain("mapping send-event: now delivers");
      expect(result.stdout).toContain("mapping identify-user: now rejected");
    } finally {
      await fresh.remove();
    }
  });

  it("exits 1 with the location when the current mappings do not load", async () => {
    commitAll(project.dir, "mappings as shipped");
    await editSendEvent('"type": type', '"type": type +');
    const result = await diff("--base", "HEAD");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/mappings\/send-event\.jsonata:\d+:\d+ S\d{4}/);
  });

  it("exits 1 naming the revision when the mappings at the base do not load", async () => {
    await editSendEvent('"type": type', '"type": type +');
    commitAll(project.dir, "a broken mapping");
    await editSendEvent('"type": type +', '"type": type');
    const result = await diff("--base", "HEAD");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the mappings in HEAD:mappings do not load");
    expect(result.stderr).toMatch(/HEAD:mappings\/send-event\.jsonata:\d+:\d+ S\d{4}/);
  });

  it("is a usage error for a revision that does not exist, or no --base", async () => {
    commitAll(project.dir, "mappings as shipped");
    const unknown = await diff("--base", "no-such-branch");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--base no-such-branch is not a commit");
    const missing = await diff();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("diff needs --base REV");
  });

  it("says so outside a git repository", async () => {
    const result = await diff("--base", "HEAD");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("git rev-parse failed");
  });
});
