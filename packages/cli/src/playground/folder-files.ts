import { readFile } from "node:fs/promises";
import { relative, sep } from "node:path";
import { listFixtureFiles, listMappingFiles } from "@gwenmap/core";
import type { ProjectFile, ProjectFiles } from "@gwenmap/playground/api";
import { Refusal } from "./refusal.js";

/**
 * The mappings folder's files as the page needs them, read afresh: the
 * mapping files core's loader would read (links and skipped folders
 * excluded by the same listing) and the fixtures beside them.
 */
export async function readProjectFiles(dir: string, folder: string): Promise<ProjectFiles> {
  try {
    const mappings = await readAll(dir, await listMappingFiles(dir));
    const fixtures = await readAll(dir, await listFixtureFiles(dir).catch(noFixtures));
    return { folder, mappings, fixtures };
  } catch (cause) {
    throw new Refusal("E_FILE", `cannot read ${folder}: ${(cause as Error).message}`, { cause });
  }
}

function noFixtures(error: NodeJS.ErrnoException): string[] {
  if (error.code === "ENOENT") return [];
  throw error;
}

async function readAll(dir: string, files: readonly string[]): Promise<ProjectFile[]> {
  return Promise.all(
    files.map(async (file) => ({
      path: relative(dir, file).split(sep).join("/"),
      text: await readFile(file, "utf8"),
    })),
  );
}
