import { rm } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { repository, type TempProject, tempProject } from "../../support/cli/temp-project.js";

const brokenMapping = `/**
 * @action sendEvent
 * @trigger type = "track"
 */
{
  "userId": userId,
  "type": type +,
  "data": properties
}
`;

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

describe("gwenmap validate", () => {
  it("accepts the shipped presets and counts mappings and fixtures", async () => {
    const result = await runGwenmap(["validate"], { cwd: project.dir });
    expect(result.stdout).toContain("2 mappings and 14 fixtures in mappings are valid");
    expect(result.code).toBe(0);
  });

  it("reads the folder from GWENMAP_MAPPINGS", async () => {
    const result = await runGwenmap(["validate"], {
      cwd: project.dir,
      env: { GWENMAP_MAPPINGS: `${repository}examples/mappings` },
    });
    expect(result.stdout).toMatch(/5 mappings and 10 fixtures in .*examples\/mappings are valid/);
    expect(result.code).toBe(0);
  });

  it("lists a syntax error as file:line:col with jsonata's code and a code frame, exit 1", async () => {
    await project.write("mappings/broken.jsonata", brokenMapping);
    const result = await runGwenmap(["validate"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'mappings/broken.jsonata:7:17 S0211 The symbol "," cannot be used as a unary operator',
    );
    expect(result.stderr).toContain('> 7 |   "type": type +,');
    expect(result.stderr).toMatch(/\n\s+\|\s+\^/);
    expect(result.stderr).toContain("1 problem in mappings");
  });

  it("lists every problem of every file at once", async () => {
    await project.write("mappings/broken.jsonata", brokenMapping);
    await project.write("mappings/no-action.jsonata", '/**\n * @trigger type = "page"\n */\n{}\n');
    await project.write("mappings/fixtures/not-json.json", '{ "event": { "type": "track" ');
    const result = await runGwenmap(["validate"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("mappings/broken.jsonata:7:17 S0211");
    expect(result.stderr).toMatch(/mappings\/no-action\.jsonata:\d+:\d+ E_MAPPING_MISSING_TAG/);
    expect(result.stderr).toMatch(/mappings\/fixtures\/not-json\.json:1:\d+ E_FIXTURE_INVALID/);
    expect(result.stderr).toContain("3 problems in mappings");
  });

  it("says how to point at the mappings when the folder does not exist", async () => {
    await rm(project.path("mappings"), { recursive: true });
    const result = await runGwenmap(["validate"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("E_MAPPINGS_DIR");
    expect(result.stderr).toContain("--mappings DIR or set GWENMAP_MAPPINGS");
  });
});

describe("the gwenmap command line", () => {
  const commands = [
    "validate",
    "test",
    "map",
    "mv",
    "playground",
    "send",
    "diff",
    "check-auth",
    "emulator",
    "serve",
  ];

  it("lists every command in --help", async () => {
    const result = await runGwenmap(["--help"], { cwd: project.dir });
    expect(result.code).toBe(0);
    for (const command of commands) expect(result.stdout).toContain(`  ${command}`);
    expect(result.stdout).not.toContain("\u001b[");
  });

  it.each(commands)("explains every option of %s with an example", async (command) => {
    const result = await runGwenmap([command, "--help"], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`gwenmap ${command}`);
    expect(result.stdout).toContain("EXAMPLES");
    // an option's text may wrap onto the lines under it
    const options = result.stdout
      .slice(result.stdout.indexOf("OPTIONS"), result.stdout.indexOf("EXAMPLES"))
      .split(/\n(?= {2}-)/)
      .slice(1);
    expect(options.length).toBeGreaterThan(0);
    for (const option of options) expect(option.replace(/\s+/g, " ")).toMatch(/\(e\.g\. /);
  });

  it("prints its version", async () => {
    const result = await runGwenmap(["--version"], { cwd: project.dir });
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.code).toBe(0);
  });

  it("exits 2 with the commands listed when no command is given", async () => {
    const result = await runGwenmap([], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("COMMANDS");
  });

  it("exits 2 for an unknown command", async () => {
    const result = await runGwenmap(["publish"], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "publish"');
  });

  it("exits 2 for an unknown option instead of ignoring it", async () => {
    const result = await runGwenmap(["send", "events.ndjson", "--concurency", "8"], {
      cwd: project.dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option --concurency for gwenmap send");
  });

  it("exits 2 for a value out of range, naming the option and an example", async () => {
    const result = await runGwenmap(["send", "events.ndjson", "--dry-run", "--concurrency", "0"], {
      cwd: project.dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--concurrency must be a whole number 1 to 1000");
    expect(result.stderr).toContain("e.g. --concurrency 32");
  });

  it("exits 2 for a bad enum value", async () => {
    const result = await runGwenmap(["test", "--reporter", "tap"], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--reporter");
  });
});
