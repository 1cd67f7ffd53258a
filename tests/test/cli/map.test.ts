import { buildRequest } from "@gwenmap/gwen-adapter";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { identifyEvent, trackEvent, userIdFor } from "../../support/cli/events.js";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { repository, type TempProject, tempProject } from "../../support/cli/temp-project.js";

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

const mixed = [
  JSON.stringify(trackEvent(1)),
  JSON.stringify(trackEvent(2, { userId: "not-a-uuid" })),
  '{"type": "track", "event": oops}',
  JSON.stringify(identifyEvent(4)),
  "",
  JSON.stringify({ type: "page", userId: userIdFor(6), name: "Home" }),
].join("\n");

function lines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("gwenmap map", () => {
  it("prints one JSON line per delivery and per rejection, and keeps going after a bad line", async () => {
    await project.write("events.ndjson", mixed);
    const result = await runGwenmap(["map", "events.ndjson"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toEqual([
      {
        mapping: "send-event",
        action: "sendEvent",
        messageId: "message-1",
        payload: { userId: userIdFor(1), type: "track", data: { level: 1, score: 1 } },
      },
      {
        mapping: "send-event",
        messageId: "message-2",
        line: 2,
        error: {
          code: "E_PAYLOAD_INVALID",
          message: expect.stringContaining("User ID must be a valid uuid string but it was not."),
          path: "/userId",
        },
      },
      {
        line: 3,
        error: {
          code: "E_NOT_JSON",
          message: expect.stringMatching(
            /^line 3, column 28 is not JSON: unexpected character "o"; fix the JSON there/,
          ),
        },
      },
      {
        mapping: "identify-user",
        action: "identifyUser",
        messageId: "message-4",
        payload: { userId: userIdFor(4), ip: "203.0.113.7", userAgent: "Mozilla/5.0" },
      },
    ]);
  });

  it("explains each rejection on stderr in words, with its line, field and value", async () => {
    await project.write("events.ndjson", mixed);
    const result = await runGwenmap(["map", "events.ndjson"], { cwd: project.dir });
    expect(result.stderr).toContain(
      "rejected line 2: User ID must be a valid uuid string but it was not.",
    );
    expect(result.stderr).toContain("messageId message-2");
    expect(result.stderr).toContain('field /userId (the value was "not-a-uuid")');
    expect(result.stderr).toContain("rejected line 3, column 28 is not JSON");
  });

  it("exits 0 when every event maps, reading stdin", async () => {
    const result = await runGwenmap(["map"], {
      cwd: project.dir,
      stdin: `${JSON.stringify(trackEvent(7))}\n${JSON.stringify(identifyEvent(8))}\n`,
    });
    expect(result.code).toBe(0);
    expect(lines(result.stdout).map((line) => line.mapping)).toEqual([
      "send-event",
      "identify-user",
    ]);
    expect(result.stderr).toBe("");
  });

  it("reads one pretty-printed JSON event", async () => {
    await project.write("event.json", JSON.stringify(trackEvent(9), null, 2));
    const result = await runGwenmap(["map", "event.json"], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toHaveLength(1);
    expect(lines(result.stdout)[0]).toMatchObject({
      mapping: "send-event",
      messageId: "message-9",
    });
  });

  it("--format request prints the GraphQL body GWEN would receive", async () => {
    const result = await runGwenmap(["map", "-", "--format", "request"], {
      cwd: project.dir,
      stdin: JSON.stringify(identifyEvent(3)),
    });
    expect(result.code).toBe(0);
    const [line] = lines(result.stdout);
    expect(line).toEqual({
      mapping: "identify-user",
      action: "identifyUser",
      messageId: "message-3",
      request: buildRequest("identifyUser", {
        userId: userIdFor(3),
        ip: "203.0.113.7",
        userAgent: "Mozilla/5.0",
      }),
    });
    expect(JSON.stringify(line?.request)).toContain('"operationName":"UserSession"');
  });

  it("--explain says for every mapping why it fired or not, with the trigger's value", async () => {
    const events = [
      JSON.stringify(
        trackEvent(1, { event: "Order Completed", properties: { first_order: false } }),
      ),
      JSON.stringify(trackEvent(2, { event: "Order Completed", userId: "42" })),
    ].join("\n");
    const result = await runGwenmap(
      ["map", "--explain", "--mappings", `${repository}examples/mappings`],
      { cwd: project.dir, stdin: events },
    );
    expect(result.code).toBe(1);
    const [first, second] = result.stderr.split(/^(?=line \d)/m);
    expect(first).toMatch(/^line 1 \(messageId message-1\):/);
    expect(first).toMatch(
      /✓ order-completed +fired: trigger `type = "track" and event = "Order Completed"` is true/,
    );
    expect(first).toMatch(
      /· first-order +did not fire: trigger `type = "track" and event = "Order Completed" and properties.first_order = true` is false/,
    );
    expect(first).toMatch(/· page-view +did not fire: trigger `type = "page"` cannot match/);
    expect(second).toMatch(/✗ order-completed +rejected: User ID must be a valid uuid/);
    expect(second).toContain('field /userId (the value was "42")');
  });

  it("--explain gives each clause of a trigger that did not fire with its value on the event", async () => {
    await project.write(
      "mappings/level-up.jsonata",
      '/**\n * @action sendEvent\n * @trigger type = "track"\n *   and properties.level >= 10\n */\n{ "userId": userId, "type": "level_up", "data": { "level": properties.level, "bonus": properties.bonus } }\n',
    );
    const events = [
      JSON.stringify(trackEvent(3, { properties: { level: 3 } })),
      JSON.stringify(trackEvent(12, { properties: { level: 12 } })),
    ].join("\n");
    const result = await runGwenmap(["map", "--explain"], { cwd: project.dir, stdin: events });
    expect(result.code).toBe(0);
    const [first, second] = result.stderr.split(/^(?=line \d)/m);
    expect(first).toContain(
      [
        '  · level-up       did not fire: trigger `type = "track" and properties.level >= 10` is false',
        '      type = "track" → true (type = "track")',
        "      properties.level >= 10 → false (properties.level = 3)",
      ].join("\n"),
    );
    expect(first).toContain(
      [
        '  · identify-user  did not fire: trigger `type = "identify"` cannot match this event\'s type or name (the trigger index skipped it)',
        '      type = "identify" → false (type = "track")',
      ].join("\n"),
    );
    expect(second).toContain(
      [
        '  ✓ level-up       fired: trigger `type = "track" and properties.level >= 10` is true',
        "      dropped /data/bonus: it came out undefined (mappings/level-up.jsonata:6:78)",
      ].join("\n"),
    );
  });

  it("reports a runtime error at the sub-expression that failed, with a code frame, in a trigger and an expression", async () => {
    await project.write(
      "mappings/level-up.jsonata",
      '/**\n * @action sendEvent\n * @trigger type = "track"\n *   and $number(properties.level) > 2\n */\n{\n  "userId": userId,\n  "type": "level_up",\n  "data": { "next": properties.level + properties.step }\n}\n',
    );
    const events = [
      JSON.stringify(trackEvent(1, { properties: { level: "abc" } })),
      JSON.stringify(trackEvent(2, { properties: { level: "5", step: "one" } })),
    ].join("\n");
    const result = await runGwenmap(["map"], { cwd: project.dir, stdin: events });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      [
        'rejected line 1: the trigger failed at mappings/level-up.jsonata:4:10: D3030 Unable to cast value to a number: "abc"',
      ].join(""),
    );
    expect(result.stderr).toContain(
      [
        '    3 |  * @trigger type = "track"',
        "  > 4 |  *   and $number(properties.level) > 2",
        "      |          ^",
        "    5 |  */",
      ].join("\n"),
    );
    expect(result.stderr).toContain(
      "rejected line 2: the expression failed at mappings/level-up.jsonata:9:38: T2001",
    );
    expect(result.stderr).toContain(
      [
        '  >  9 |   "data": { "next": properties.level + properties.step }',
        "       |                                      ^",
      ].join("\n"),
    );
    const rejected = lines(result.stdout).filter((line) => line.mapping === "level-up");
    expect(rejected.map((line) => (line.error as { location?: unknown }).location)).toEqual([
      { file: "mappings/level-up.jsonata", line: 4, column: 10 },
      { file: "mappings/level-up.jsonata", line: 9, column: 38 },
    ]);
  });

  it("fails with the mapping's location when the set does not load", async () => {
    await project.write(
      "mappings/broken.jsonata",
      "/**\n * @action sendEvent\n * @trigger type = \n */\n{}\n",
    );
    const result = await runGwenmap(["map"], {
      cwd: project.dir,
      stdin: JSON.stringify(trackEvent(1)),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("the mappings in mappings do not load (1 problem)");
    expect(result.stderr).toMatch(/mappings\/broken\.jsonata:3:\d+ /);
  });

  it("says so when the input file does not exist", async () => {
    const result = await runGwenmap(["map", "missing.ndjson"], { cwd: project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the input file missing.ndjson does not exist");
  });
});
