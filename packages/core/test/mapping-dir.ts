import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A throwaway mappings directory with the given files (path -> content). */
export async function mappingDir(
  files: Record<string, string>,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "gwenmap-core-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A mapping file's text from its parts. */
export function mappingFile(action: string, trigger: string, expression: string): string {
  return `/**\n * @action ${action}\n * @trigger ${trigger}\n */\n${expression}\n`;
}
