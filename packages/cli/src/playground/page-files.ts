import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One file of the built page, held in memory. */
export interface PageFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The built page the CLI ships: `dist/playground-page/` (copied from @gwenmap/playground at build). */
export const shippedPageDir = fileURLToPath(new URL("../playground-page/", import.meta.url));

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * The page's files by URL path (`/` for index.html, `/assets/<name>`), read
 * once: the server answers only these, never a path it was asked for.
 */
export async function readPageFiles(dir: string): Promise<ReadonlyMap<string, PageFile>> {
  const files = new Map<string, PageFile>();
  const file = async (relativePath: string) => ({
    body: await readFile(join(dir, relativePath)),
    contentType: contentTypes[extname(relativePath)] ?? "application/octet-stream",
  });
  files.set("/", await file("index.html"));
  for (const name of await readdir(join(dir, "assets"))) {
    files.set(`/assets/${name}`, await file(join("assets", name)));
  }
  return files;
}
