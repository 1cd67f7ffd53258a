import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";

/** The repository root, where the shipped `mappings/` and `examples/mappings/` live. */
export const repository = fileURLToPath(new URL("../../../", import.meta.url));

/** A throwaway folder; `remove` deletes it. */
export interface TempProject {
  readonly dir: string;
  path(...parts: string[]): string;
  write(relative: string, text: string): Promise<void>;
  read(relative: string): Promise<string>;
  remove(): Promise<void>;
}

/** A temp folder, optionally with a copy of a mapping set (`mappings` or `examples/mappings`) as `mappings/`. */
export async function tempProject(copy?: "mappings" | "examples/mappings"): Promise<TempProject> {
  const dir = await mkdtemp(join(tmpdir(), "gwenmap-cli-test-"));
  if (copy) await cp(join(repository, copy), join(dir, "mappings"), { recursive: true });
  return {
    dir,
    path: (...parts) => join(dir, ...parts),
    write: (relative, text) => writeFile(join(dir, relative), text, "utf8"),
    read: (relative) => readFile(join(dir, relative), "utf8"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * A fresh `tempProject(copy)` for each test of the calling file, removed after
 * it: `const project = useTempProject("mappings")` at the top of the file.
 */
export function useTempProject(copy?: "mappings" | "examples/mappings"): TempProject {
  let current: TempProject | undefined;
  beforeEach(async () => {
    current = await tempProject(copy);
  });
  afterEach(async () => {
    await current?.remove();
    current = undefined;
  });
  const now = (): TempProject => {
    if (!current) throw new Error("useTempProject's project exists only inside a test");
    return current;
  };
  return {
    get dir() {
      return now().dir;
    },
    path: (...parts) => now().path(...parts),
    write: (relative, text) => now().write(relative, text),
    read: (relative) => now().read(relative),
    remove: () => now().remove(),
  };
}
