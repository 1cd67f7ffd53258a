import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** One file `gwenmap init` writes: its path inside the project (with `/`) and its text. */
export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
}

/** The templates shipped in the package (`templates/`, beside `dist/` and `src/`). */
export const templatesDir = fileURLToPath(new URL("../../templates/", import.meta.url));

/**
 * Where a scaffolded fixture finds its JSON Schema: `mappings/fixtures/` is
 * two levels below the project, whose `node_modules` holds @gwenmap/core.
 */
export const fixtureSchemaReference =
  "../../node_modules/@gwenmap/core/schemas/fixture.schema.json";

/**
 * Project files are kept without their leading dot in the package (npm
 * drops or renames some dotfiles when packing): template name -> project path.
 */
const projectFiles: Readonly<Record<string, string>> = {
  "README.md": "README.md",
  gitignore: ".gitignore",
  "gwenmap.yml": ".github/workflows/gwenmap.yml",
};

/**
 * Every file of a new mappings project except `package.json`: the Segment
 * presets and their fixtures (each pointing at the fixture schema), the CI
 * workflow, the team's README and a `.gitignore`.
 */
export async function scaffoldFiles(): Promise<ScaffoldFile[]> {
  const mappings = join(templatesDir, "mappings");
  const files: ScaffoldFile[] = [];
  for (const name of await jsonNames(mappings, ".jsonata")) {
    files.push({ path: `mappings/${name}`, content: await readFile(join(mappings, name), "utf8") });
  }
  for (const name of await jsonNames(join(mappings, "fixtures"), ".json")) {
    const text = await readFile(join(mappings, "fixtures", name), "utf8");
    files.push({ path: `mappings/fixtures/${name}`, content: withSchemaReference(text) });
  }
  for (const [template, path] of Object.entries(projectFiles)) {
    files.push({ path, content: await readFile(join(templatesDir, "project", template), "utf8") });
  }
  return files;
}

async function jsonNames(dir: string, extension: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith(extension)).sort();
}

/** The fixture's text with `"$schema"` as its first key; the rest keeps its layout. */
export function withSchemaReference(fixtureText: string): string {
  return fixtureText.replace(/^\s*\{\s*/, `{\n  "$schema": "${fixtureSchemaReference}",\n  `);
}
