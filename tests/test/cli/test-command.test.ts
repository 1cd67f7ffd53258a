import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";

const fixtureFile = "mappings/fixtures/track-order-completed.json";

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

/** Make the fixture expect a total of 14 and an extra field, which the mapping does not produce. */
async function breakFixture(): Promise<string> {
  const original = await project.read(fixtureFile);
  const document = JSON.parse(original) as {
    expect: { payload: { data: Record<string, unknown> } }[];
  };
  const expected = document.expect[0];
  if (!expected) throw new Error("the fixture has no expectation");
  expected.payload.data = { ...expected.payload.data, total: 14, coupon: "SUMMER" };
  await project.write(fixtureFile, `${JSON.stringify(document, null, 2)}\n`);
  return original;
}

describe("gwenmap test", () => {
  it("runs every fixture and ends with the summary line, exit 0", async () => {
    const result = await runGwenmap(["test"], { cwd: project.dir });
    expect(result.stdout).toContain("✓ track-order-completed");
    expect(result.stdout.trim().split("\n").at(-1)).toBe("14 passed, 0 failed");
    expect(result.code).toBe(0);
  });

  it("shows the failing fixture, its mapping and a structural diff, exit 1", async () => {
    await breakFixture();
    const result = await runGwenmap(["test"], { cwd: project.dir });
    expect(result.code).toBe(1);
    const { stdout } = result;
    expect(stdout).toContain("✗ track-order-completed");
    expect(stdout).toContain(fixtureFile);
    expect(stdout).toContain("mapping send-event: the payload differs");
    expect(stdout).toContain("- Expected (fixture)");
    expect(stdout).toContain("+ Actual (mappings)");
    expect(stdout).toMatch(/^\s+- +"coupon": "SUMMER",$/m);
    expect(stdout).toMatch(/^\s+- +"total": 14$/m);
    expect(stdout).toMatch(/^\s+\+ +"total": 12.5$/m);
    // Unchanged fields are context, not differences.
    expect(stdout).toMatch(/^\s{6,}"currency": "SEK",$/m);
    expect(stdout.trim().split("\n").at(-1)).toBe("13 passed, 1 failed");
  });

  it("fails with the syntax error's location when a mapping does not compile", async () => {
    await project.write(
      "mappings/broken.jsonata",
      '/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": userId,, }\n',
    );
    const result = await runGwenmap(["test"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/mappings\/broken\.jsonata:5:\d+ S\d{4} /);
    expect(result.stdout).toContain("14 passed, 0 failed, 1 mapping did not load");
  });

  it("shows a runtime error the fixture did not expect at its sub-expression, with a code frame", async () => {
    await project.write(
      "mappings/total.jsonata",
      '/**\n * @action sendEvent\n * @trigger event = "Order Completed"\n */\n{ "userId": userId, "type": "total", "data": { "t": $number(properties.currency) } }\n',
    );
    const result = await runGwenmap(["test"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "mapping total: rejected E_EVALUATION_FAILED, which the fixture does not expect",
    );
    expect(result.stdout).toContain(
      [
        '    > 5 | { "userId": userId, "type": "total", "data": { "t": $number(properties.currency) } }',
        "        |                                                     ^",
      ].join("\n"),
    );
  });

  it("--update rewrites the expect of a failing fixture and keeps its other fields", async () => {
    const original = await breakFixture();
    const result = await runGwenmap(["test", "--update"], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`updated ${fixtureFile}`);
    expect(result.stdout).toContain("14 passed, 0 failed");
    const rewritten = JSON.parse(await project.read(fixtureFile)) as Record<string, unknown>;
    const before = JSON.parse(original) as Record<string, unknown>;
    expect(rewritten).toEqual(before);
    expect(Object.keys(rewritten)).toEqual(Object.keys(before));
    const again = await runGwenmap(["test"], { cwd: project.dir });
    expect(again.code).toBe(0);
  });

  it("--update leaves passing fixtures untouched", async () => {
    const before = await project.read("mappings/fixtures/identify-with-context.json");
    const result = await runGwenmap(["test", "--update"], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("nothing to update");
    expect(await project.read("mappings/fixtures/identify-with-context.json")).toBe(before);
  });

  it("--reporter junit writes valid JUnit XML with one testcase per fixture and the diff in the failure", async () => {
    await breakFixture();
    const result = await runGwenmap(["test", "--reporter", "junit"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(XMLValidator.validate(result.stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      result.stdout,
    );
    const suite = xml.testsuites.testsuite;
    expect(suite.tests).toBe("14");
    expect(suite.failures).toBe("1");
    expect(suite.testcase).toHaveLength(14);
    const failing = suite.testcase.find(
      (testCase: { name: string }) => testCase.name === "track-order-completed",
    );
    expect(failing.classname).toBe("gwenmap.mappings");
    expect(failing.file).toBe(fixtureFile);
    expect(failing.failure.message).toBe("mapping send-event: the payload differs");
    expect(failing.failure["#text"]).toContain('-       "total": 14');
    expect(failing.failure["#text"]).not.toContain("\u001b[");
  });

  it("--reporter junit reports a mapping that does not load as an error", async () => {
    await project.write("mappings/broken.jsonata", "/**\n * @action sendEvent\n */\n{}\n");
    const result = await runGwenmap(["test", "--reporter", "junit"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(XMLValidator.validate(result.stdout)).toBe(true);
    expect(result.stdout).toMatch(
      /<error message="[^"]*@trigger[^"]*" type="E_MAPPING_MISSING_TAG"/,
    );
  });

  it("--reporter json gives the counts, differences and actual outcomes", async () => {
    await breakFixture();
    const result = await runGwenmap(["test", "--reporter", "json"], { cwd: project.dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.passed).toBe(13);
    expect(report.failed).toBe(1);
    const failing = report.fixtures.find(
      (f: { name: string }) => f.name === "track-order-completed",
    );
    expect(failing.passed).toBe(false);
    expect(failing.differences).toEqual([
      expect.objectContaining({ kind: "mismatch", mapping: "send-event" }),
    ]);
    expect(failing.actual[0].payload.data.total).toBe(12.5);
  });

  it("--coverage names a trigger never true, one never false, and a branch never taken", async () => {
    await project.write(
      "mappings/level-up.jsonata",
      '/**\n * @action sendEvent\n * @trigger type = "track" and event = "Level Up"\n */\n{ "userId": userId, "type": "level_up" }\n',
    );
    await project.write(
      "mappings/everything.jsonata",
      '/**\n * @action sendEvent\n * @trigger true\n */\n{ "userId": userId, "type": properties.level > 1000 ? "legend" : "seen" }\n',
    );
    const result = await runGwenmap(["test", "--coverage", "--reporter", "json"], {
      cwd: project.dir,
    });
    const report = JSON.parse(result.stdout);
    const levelUp = report.coverage.find((c: { mapping: string }) => c.mapping === "level-up");
    expect(levelUp.trigger.true).toBe(0);
    expect(levelUp.fired).toBe(0);

    const pretty = await runGwenmap(["test", "--coverage"], { cwd: project.dir });
    const section = pretty.stdout.slice(pretty.stdout.indexOf("Coverage"));
    expect(section).toMatch(/! level-up .*\n\s+trigger never true/);
    expect(section).toContain(
      'mappings/level-up.jsonata:3:32 trigger clause `event = "Level Up"` never true',
    );
    expect(section).not.toContain('trigger clause `type = "track"` never true');
    expect(section).toMatch(/! everything .*\n\s+trigger never false/);
    expect(section).toMatch(
      /everything\.jsonata:5:53 condition never true \(its then-branch is untested\)/,
    );
    expect(section).not.toMatch(/everything\.jsonata:5:53 condition never false/);
    expect(section).toMatch(/✓ send-event/);
  });
});
