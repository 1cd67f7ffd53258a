import { afterEach, describe, expect, it } from "vitest";
import { contracts } from "../../test/contracts.js";
import { mappingDir, mappingFile } from "../../test/mapping-dir.js";
import { formatError } from "../format/format-error.js";
import { loadMappings } from "./load-mappings.js";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function load(files: Record<string, string>) {
  const { dir, remove } = await mappingDir(files);
  cleanup = remove;
  const result = await loadMappings(dir, { contracts });
  return { ...result, dir };
}

describe("loadMappings", () => {
  it("reads tags and expression, names mappings after their files, in a stable order", async () => {
    const { mappings, errors } = await load({
      "b-second.jsonata": mappingFile("identifyUser", 'type = "identify"', '{ "userId": userId }'),
      "a-first.jsonata": `/**\n * @action sendEvent\n * @trigger type = "track"\n *   and event = "Signed Up"\n * @description Sign-ups\n * @disabled\n */\n{ "userId": userId, "type": event }`,
      "nested/c-third.jsonata": mappingFile(
        "sendEvent",
        'type = "page"',
        '{ "userId": userId, "type": "page" }',
      ),
      "fixtures/ignored.jsonata": "not a mapping",
    });
    expect(errors).toEqual([]);
    expect(mappings.map((m) => m.name)).toEqual(["a-first", "b-second", "c-third"]);
    const [first] = mappings;
    expect(first).toMatchObject({
      action: "sendEvent",
      trigger: 'type = "track"\n  and event = "Signed Up"',
      description: "Sign-ups",
      disabled: true,
    });
    expect(first?.expressionLocation).toMatchObject({ line: 7, column: 4 });
    expect(first?.triggerLocation).toMatchObject({ line: 3, column: 13 });
  });

  it("reports unknown tags, missing tags and unknown actions with file and line", async () => {
    const { errors, dir } = await load({
      "x.jsonata": `/**\n * @action sendEvnt\n * @owner growth-team\n */\n{ "userId": userId }`,
      "y.jsonata": `/**\n * @description no action, no trigger\n */\n{}`,
    });
    const lines = errors.map((e) => e.toString());
    expect(lines).toEqual([
      `${dir}/x.jsonata:3:4 E_MAPPING_UNKNOWN_TAG unknown tag @owner: a mapping header takes @action, @trigger, @description, @disabled`,
      `${dir}/x.jsonata:1:1 E_MAPPING_MISSING_TAG the header has no @trigger: @trigger is the JSONata predicate that selects events, e.g. \`@trigger type = "track"\``,
      `${dir}/x.jsonata:2:12 E_MAPPING_UNKNOWN_ACTION unknown action "sendEvnt": use one of sendEvent, identifyUser`,
      `${dir}/y.jsonata:1:1 E_MAPPING_MISSING_TAG the header has no @action: @action names the GWEN action, e.g. \`@action sendEvent\``,
      `${dir}/y.jsonata:1:1 E_MAPPING_MISSING_TAG the header has no @trigger: @trigger is the JSONata predicate that selects events, e.g. \`@trigger type = "track"\``,
    ]);
  });

  it("refuses a file without a header, an empty body and a repeated tag", async () => {
    const { errors } = await load({
      "no-header.jsonata": `{ "userId": userId }`,
      "empty.jsonata": `/**\n * @action sendEvent\n * @trigger true\n */\n\n`,
      "twice.jsonata": `/**\n * @action sendEvent\n * @action identifyUser\n * @trigger true\n */\n{}`,
    });
    expect(errors.map((e) => [e.code, e.location?.line])).toEqual([
      ["E_MAPPING_SYNTAX", 4],
      ["E_MAPPING_MISSING_TAG", 1],
      ["E_MAPPING_DUPLICATE_TAG", 3],
    ]);
    expect(errors[1]?.message).toContain("must begin with a /** ... */ header");
  });

  it("reports a duplicate mapping name across folders", async () => {
    const file = mappingFile("sendEvent", 'type = "track"', '{ "userId": userId, "type": type }');
    const { errors, mappings, dir } = await load({
      "a/signup.jsonata": file,
      "b/signup.jsonata": file,
    });
    expect(mappings).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe("E_MAPPING_DUPLICATE_NAME");
    expect(errors[0]?.toString()).toContain(`${dir}/b/signup.jsonata:1:1`);
    expect(errors[0]?.message).toContain(`already defined by ${dir}/a/signup.jsonata`);
  });

  it("points a syntax error in the expression at its file line and column, with a code frame", async () => {
    const { errors, dir } = await load({
      "broken.jsonata": mappingFile(
        "sendEvent",
        'type = "track"',
        '{\n  "userId": userId,\n  "type": type +\n}',
      ),
    });
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error?.toString()).toBe(
      `${dir}/broken.jsonata:8:1 S0211 The symbol "}" cannot be used as a unary operator`,
    );
    expect(error?.code).toBe("E_MAPPING_SYNTAX");
    expect(error?.jsonataCode).toBe("S0211");
    expect(formatError(error!)).toContain("> 8 | }\n    | ^");
  });

  it("points a syntax error in a multi-line trigger into the header", async () => {
    const { errors, dir } = await load({
      "t.jsonata": `/**\n * @action sendEvent\n * @trigger type = "track"\n *   and event = = "x"\n */\n{ "userId": userId, "type": type }`,
    });
    expect(errors[0]?.toString()).toMatch(new RegExp(`^${dir}/t\\.jsonata:4:18 S0211 `));
  });

  it("refuses $eval at load time, in expressions and triggers", async () => {
    const { errors, dir } = await load({
      "e.jsonata": mappingFile(
        "sendEvent",
        'type = "track"',
        '{ "userId": userId, "type": $eval(properties.code) }',
      ),
      "f.jsonata": mappingFile("sendEvent", '$eval("true")', "{}"),
    });
    expect(errors.map((e) => e.toString())).toEqual([
      `${dir}/e.jsonata:5:29 E_MAPPING_FORBIDDEN $eval is not allowed in mappings: it would run event data as code; write the expression out instead`,
      `${dir}/f.jsonata:3:13 E_MAPPING_FORBIDDEN $eval is not allowed in mappings: it would run event data as code; write the expression out instead`,
    ]);
  });

  it("says clearly when the directory does not exist", async () => {
    const result = await loadMappings("/no/such/mappings", { contracts });
    expect(result.errors[0]?.code).toBe("E_MAPPINGS_DIR");
    expect(result.errors[0]?.message).toBe(
      "the mappings directory /no/such/mappings does not exist: pass --mappings DIR or set GWENMAP_MAPPINGS",
    );
  });
});
