import { access } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { commitAll, git } from "../../support/cli/git-repository.js";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { useTempProject } from "../../support/cli/temp-project.js";

const project = useTempProject("mappings");

const gwenmap = (...args: string[]) => runGwenmap(args, { cwd: project.dir });

const exists = (path: string) =>
  access(project.path(path)).then(
    () => true,
    () => false,
  );

/** The fixtures that expect send-event with the shipped presets. */
const trackFixtures = [
  "track-anonymous-only",
  "track-invalid-uuid",
  "track-nested-unicode-properties",
  "track-numeric-user-id",
  "track-order-completed",
  "track-properties-not-object",
  "track-without-properties",
];

describe("gwenmap mv", () => {
  it("renames a tracked mapping with git mv and its name in every fixture, one line each", async () => {
    commitAll(project.dir, "shipped presets");
    const result = await gwenmap("mv", "send-event", "track-event");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "renamed mappings/send-event.jsonata → mappings/track-event.jsonata (git mv)",
    );
    for (const name of trackFixtures) {
      expect(result.stdout).toContain(`updated mappings/fixtures/${name}.json (1 expectation)`);
    }
    expect(git(project.dir, "status", "--porcelain", "--", "mappings/*.jsonata")).toBe(
      "R  mappings/send-event.jsonata -> mappings/track-event.jsonata\n",
    );
    const numstat = git(project.dir, "diff", "--numstat").trim().split("\n");
    expect(numstat).toEqual(trackFixtures.map((name) => `1\t1\tmappings/fixtures/${name}.json`));
    const diff = git(
      project.dir,
      "diff",
      "--unified=0",
      "mappings/fixtures/track-order-completed.json",
    );
    expect(diff).toContain('-      "mapping": "send-event",\n+      "mapping": "track-event",');

    const test = await gwenmap("test");
    expect(test.stdout.trim().split("\n").at(-1)).toBe("14 passed, 0 failed");
  });

  it("moves an untracked mapping into a sub-folder without git", async () => {
    const result = await gwenmap("mv", "identify-user", "sessions/identify");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "renamed mappings/identify-user.jsonata → mappings/sessions/identify.jsonata (not tracked by git: moved)",
    );
    expect(await exists("mappings/identify-user.jsonata")).toBe(false);
    expect(await exists("mappings/sessions/identify.jsonata")).toBe(true);
    expect(await project.read("mappings/fixtures/identify-with-context.json")).toContain(
      '"mapping": "identify"',
    );
    expect((await gwenmap("test")).code).toBe(0);
  });

  it("leaves a fixture that is not JSON alone and says to rename in it by hand", async () => {
    await project.write(
      "mappings/fixtures/half-written.json",
      '{ "event": {}, "expect": [{ "mapping": "send-event", ',
    );
    const result = await gwenmap("mv", "send-event", "track-event");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "warning mappings/fixtures/half-written.json is not valid JSON and was left as it is: rename the mapping in it by hand",
    );
  });

  it("refuses an unknown mapping, a name that is taken and a name that is not one, changing nothing", async () => {
    commitAll(project.dir, "shipped presets");
    const unknown = await gwenmap("mv", "send-events", "x");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "usage error there is no mapping named send-events in mappings (mappings: identify-user, send-event)",
    );
    const taken = await gwenmap("mv", "send-event", "identify-user");
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain("mappings/identify-user.jsonata already exists");
    const bad = await gwenmap("mv", "send-event", "track event");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"track event" is not a mapping name');
    expect(git(project.dir, "status", "--porcelain")).toBe("");
  });
});
