import { mkdir, rename, rm } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { commitAll, git } from "../../support/cli/git-repository.js";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { useTempProject } from "../../support/cli/temp-project.js";

const project = useTempProject("mappings");

const gwenmap = (...args: string[]) => runGwenmap(args, { cwd: project.dir });

const userId = "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d";

/** A mapping file: a header with action and trigger, then the expression. */
function mappingText(trigger: string, expression: string): string {
  return `/**\n * @action sendEvent\n * @trigger ${trigger}\n */\n${expression}\n`;
}

/** A fixture written by hand: four spaces, a compact event, compact data, no `action`. */
const handWritten = `{
    "description": "a level completed by hand",
    "event": {"type": "track", "event": "Stage Cleared", "userId": "${userId}",
              "messageId": "level-1", "properties": {"level": 3, "stars": 2}},
    "expect": [
        {
            "mapping": "level-completed",
            "payload": {
                "userId": "${userId}",
                "type": "level_completed",
                "data": { "level": 3, "stars": 2 }
            }
        },
        {"mapping": "send-event", "action": "sendEvent",
         "payload": {"userId": "${userId}", "type": "track", "data": {"level": 3, "stars": 2}}}
    ]
}
`;

const levelCompleted = (data: string) =>
  mappingText(
    'type = "track" and event = "Stage Cleared"',
    `{ "userId": userId, "type": "level_completed", "data": ${data} }`,
  );

async function handWrittenProject(): Promise<void> {
  await project.write("mappings/level-completed.jsonata", levelCompleted("properties"));
  await project.write("mappings/fixtures/level-completed.json", handWritten);
  commitAll(project.dir, "a hand-written fixture");
  expect((await gwenmap("test")).code).toBe(0);
}

/** `git diff` of the working tree, without its header lines. */
function changes(): string[] {
  return git(project.dir, "diff", "--unified=0", "--no-color", "--", "mappings/fixtures")
    .split("\n")
    .filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));
}

describe("gwenmap test --update", () => {
  it("turns a one-value change into a one-line diff; the rest of the file stays byte for byte", async () => {
    await handWrittenProject();
    await project.write(
      "mappings/level-completed.jsonata",
      levelCompleted('{ "level": properties.level, "stars": properties.stars * 10 }'),
    );
    const failing = await gwenmap("test");
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain("14 passed, 1 failed");

    const result = await gwenmap("test", "--update");
    expect(result.stderr).toContain("updated mappings/fixtures/level-completed.json");
    expect(result.stdout).toContain("15 passed, 0 failed");
    expect(result.code).toBe(0);
    expect(git(project.dir, "diff", "--numstat", "--", "mappings/fixtures")).toBe(
      "1\t1\tmappings/fixtures/level-completed.json\n",
    );
    expect(changes()).toEqual([
      '-                "data": { "level": 3, "stars": 2 }',
      '+                "data": { "level": 3, "stars": 20 }',
    ]);
  });

  it("writes a new expectation in the file's own indentation and cuts one no longer produced", async () => {
    await handWrittenProject();
    await rm(project.path("mappings/send-event.jsonata"));
    await project.write(
      "mappings/stars.jsonata",
      mappingText("properties.stars > 1", '{ "userId": userId, "type": "stars" }'),
    );
    git(project.dir, "add", "-A");
    await gwenmap("test", "--update");
    const fixture = await project.read("mappings/fixtures/level-completed.json");
    expect(fixture).toContain(`        },
        {
            "mapping": "stars",
            "action": "sendEvent",
            "payload": {
                "userId": "${userId}",
                "type": "stars"
            }
        }
    ]
}
`);
    expect(fixture).not.toContain('"mapping": "send-event"');
    // Everything above the expectations is as it was written.
    expect(fixture.slice(0, fixture.indexOf('"expect"'))).toBe(
      handWritten.slice(0, handWritten.indexOf('"expect"')),
    );
  });

  it("fails an expectation of a mapping renamed by hand, then --update drops it and says so", async () => {
    await handWrittenProject();
    await rename(
      project.path("mappings/level-completed.jsonata"),
      project.path("mappings/level-done.jsonata"),
    );
    const failing = await gwenmap("test");
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain(
      "mapping level-completed: no mapping has this name (renamed or deleted?)",
    );
    expect(failing.stdout).toContain(
      "mapping level-done: delivered, but the fixture does not expect it",
    );

    const result = await gwenmap("test", "--update");
    expect(result.stderr).toContain("updated mappings/fixtures/level-completed.json");
    expect(result.stderr).toContain(
      'dropped the expectation of mapping "level-completed": no mapping has that name any more',
    );
    expect(result.code).toBe(0);
    const fixture = await project.read("mappings/fixtures/level-completed.json");
    expect(fixture).not.toContain('"level-completed"');
    expect(fixture).toContain('"mapping": "level-done"');
  });
});

describe("gwenmap test with a mapping that does not load", () => {
  const broken = mappingText('type = "track"', '{ "userId": userId,, }');

  it("runs every fixture against the mappings that loaded and counts fixtures exactly", async () => {
    await project.write("mappings/broken.jsonata", broken);
    const result = await gwenmap("test");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("✓ track-order-completed");
    expect(result.stdout).toMatch(
      /1 mapping did not load:\n\nmappings\/broken\.jsonata:5:20 S0211 [^\n]+\n {2}4 \| {2}\*\/\n> 5 \| \{ "userId": userId,, \}/,
    );
    expect(result.stdout.trim().split("\n").at(-1)).toBe(
      "14 passed, 0 failed, 1 mapping did not load",
    );
  });

  it("fails the expectations of the broken mapping with its load error, and --update keeps them", async () => {
    await handWrittenProject();
    await project.write("mappings/level-completed.jsonata", broken);
    const result = await gwenmap("test");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("✗ level-completed");
    expect(result.stdout).toContain(
      "mapping level-completed: the mapping did not load, so this expectation cannot be checked: mappings/level-completed.jsonata:5:20 S0211",
    );
    expect(result.stdout.trim().split("\n").at(-1)).toBe(
      "14 passed, 1 failed, 1 mapping did not load",
    );

    const update = await gwenmap("test", "--update");
    expect(update.code).toBe(1);
    expect(update.stderr).toContain(
      "kept the expectations of mapping level-completed as written: it does not load",
    );
    expect(await project.read("mappings/fixtures/level-completed.json")).toBe(handWritten);
  });

  it("counts a fixture file that does not load once, as failed", async () => {
    await project.write("mappings/fixtures/broken.json", '{\n  "event": {},\n  "expect": [,]\n}\n');
    const result = await gwenmap("test");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("1 fixture did not load:");
    expect(result.stdout.trim().split("\n").at(-1)).toBe("14 passed, 1 failed");
  });
});

describe("an empty mappings folder", () => {
  it("is a warning for test, validate and map, not a silent success", async () => {
    await mkdir(project.path("empty"));
    const warning =
      "warning no mappings in empty (no *.jsonata files): no event will map. Pass --mappings DIR or set GWENMAP_MAPPINGS if they are elsewhere";
    const test = await gwenmap("test", "--mappings", "empty");
    expect(test.stdout).toContain("0 passed, 0 failed");
    expect(test.stderr).toContain(warning);
    expect(test.stderr).toContain("warning no fixtures in empty/fixtures: nothing was tested");
    const validate = await gwenmap("validate", "--mappings", "empty");
    expect(validate.stderr).toContain(warning);
    const map = await runGwenmap(["map", "--mappings", "empty"], {
      cwd: project.dir,
      stdin: JSON.stringify({ type: "track", event: "x", userId }),
    });
    expect(map.stderr).toContain(warning);
    expect(map.stdout).toBe("");
  });
});
