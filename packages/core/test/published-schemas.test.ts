import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fixtureSchema } from "../src/fixtures/fixture-schema.js";
import { loadFixtures } from "../src/fixtures/load-fixtures.js";
import { knownTags, parseHeader } from "../src/mapping/header.js";
import { loadMappings } from "../src/mapping/load-mappings.js";
import { SourceText } from "../src/source/source-text.js";
import { createAjv } from "../src/validation/create-ajv.js";
import { contracts } from "./contracts.js";
import { mappingDir, mappingFile } from "./mapping-dir.js";

/**
 * The JSON Schemas in `schemas/` are what editors see through a fixture's
 * `$schema`; they must say exactly what core itself accepts.
 */
const schemasDir = fileURLToPath(new URL("../schemas/", import.meta.url));
const repoMappings = fileURLToPath(new URL("../../../mappings/", import.meta.url));
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));
const publishedFixtureSchema = readJson(join(schemasDir, "fixture.schema.json"));
const headerSchema = readJson(join(schemasDir, "mapping-header.schema.json")) as {
  required: string[];
  properties: Record<string, unknown>;
};

/** A mapping header as the object the header schema describes (tag name -> value). */
function headerObject(text: string): Record<string, string> {
  const header = parseHeader(new SourceText(text));
  return Object.fromEntries(header.tags.map((tag) => [tag.name, tag.value]));
}

describe("fixture.schema.json", () => {
  it("is core's own fixture schema, the one the loader checks with", () => {
    expect(publishedFixtureSchema).toEqual(fixtureSchema);
  });

  it("accepts every shipped fixture", () => {
    const validate = createAjv().compile(publishedFixtureSchema as object);
    const files = readdirSync(join(repoMappings, "fixtures")).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const valid = validate(readJson(join(repoMappings, "fixtures", file)));
      expect({ file, valid, errors: validate.errors ?? null }).toEqual({
        file,
        valid: true,
        errors: null,
      });
    }
  });

  it("lets a fixture name its schema with $schema, and the loader accepts it", async () => {
    const fixture = {
      $schema: "../../node_modules/@gwenmap/core/schemas/fixture.schema.json",
      event: { type: "alias", userId: "a", previousId: "b" },
      expect: [],
    };
    const validate = createAjv().compile(publishedFixtureSchema as object);
    expect(validate(fixture)).toBe(true);
    const { dir, remove } = await mappingDir({
      "fixtures/with-schema.json": JSON.stringify(fixture),
    });
    try {
      const { fixtures, errors } = await loadFixtures(dir);
      expect(errors).toEqual([]);
      expect(fixtures.map((f) => f.name)).toEqual(["with-schema"]);
    } finally {
      await remove();
    }
  });

  it("is exported as @gwenmap/core/schemas/fixture.schema.json", () => {
    const require = createRequire(import.meta.url);
    for (const name of ["fixture.schema.json", "mapping-header.schema.json"]) {
      const resolved = require.resolve(`@gwenmap/core/schemas/${name}`);
      expect(readJson(resolved)).toEqual(readJson(join(schemasDir, name)));
    }
  });
});

describe("mapping-header.schema.json", () => {
  it("names exactly the tags the mapping loader knows", () => {
    expect(Object.keys(headerSchema.properties).sort()).toEqual([...knownTags].sort());
    expect(headerSchema.required.sort()).toEqual(["action", "trigger"]);
  });

  it("accepts the header of every shipped mapping", () => {
    const validate = createAjv().compile(headerSchema);
    const files = readdirSync(repoMappings).filter((f) => f.endsWith(".jsonata"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const header = headerObject(readFileSync(join(repoMappings, file), "utf8"));
      expect({ file, valid: validate(header) }).toEqual({ file, valid: true });
    }
  });

  it("rejects what the loader rejects: an unknown tag, a missing @trigger", async () => {
    const validate = createAjv().compile(headerSchema);
    const unknownTag = "/**\n * @action sendEvent\n * @trigger true\n * @owner growth\n */\n{}\n";
    const noTrigger = "/**\n * @action sendEvent\n */\n{}\n";
    expect(validate(headerObject(unknownTag))).toBe(false);
    expect(validate(headerObject(noTrigger))).toBe(false);
    expect(validate(headerObject(mappingFile("sendEvent", "true", "{}")))).toBe(true);
    const { dir, remove } = await mappingDir({ "a.jsonata": unknownTag, "b.jsonata": noTrigger });
    try {
      const { errors } = await loadMappings(dir, { contracts });
      expect(errors.map((error) => error.location?.file.split("/").at(-1)).sort()).toEqual([
        "a.jsonata",
        "b.jsonata",
      ]);
    } finally {
      await remove();
    }
  });
});
