import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { templatesDir } from "./scaffold-files.js";

/**
 * `gwenmap init` ships copies of the repository's presets (the package
 * cannot reach the repository once published): they must stay identical.
 */
const repoMappings = fileURLToPath(new URL("../../../../mappings/", import.meta.url));
const templateMappings = join(templatesDir, "mappings");

async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory()
        ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    ),
  );
  return nested.flat().sort();
}

describe("the init templates", () => {
  it("hold exactly the files of the repository's mappings/", async () => {
    const repoFiles = await filesUnder(repoMappings);
    expect(repoFiles).toContain("send-event.jsonata");
    expect(repoFiles).toContain("identify-user.jsonata");
    expect(await filesUnder(templateMappings)).toEqual(repoFiles);
  });

  it("are byte for byte the repository's presets and fixtures", async () => {
    for (const file of await filesUnder(repoMappings)) {
      const [repo, template] = await Promise.all([
        readFile(join(repoMappings, file), "utf8"),
        readFile(join(templateMappings, file), "utf8"),
      ]);
      expect({ file, text: template }).toEqual({ file, text: repo });
    }
  });
});
