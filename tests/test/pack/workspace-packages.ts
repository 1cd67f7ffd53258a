import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo's root folder. */
export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** A package the monorepo publishes, as its package.json describes it. */
export interface PublishedPackage {
  readonly dir: string;
  readonly manifest: Manifest;
}

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly repository?: { readonly url?: string; readonly directory?: string };
  readonly engines?: Record<string, string>;
  readonly files?: readonly string[];
  readonly bin?: Record<string, string>;
  readonly exports?: Record<string, unknown>;
  readonly publishConfig?: { readonly access?: string };
  readonly dependencies?: Record<string, string>;
}

/** Every workspace that is not private: what `npm publish -ws` would publish. */
export function publishedPackages(): PublishedPackage[] {
  const root = readManifest(repositoryRoot) as Manifest & { workspaces: string[] };
  return root.workspaces
    .map((workspace) => join(repositoryRoot, workspace))
    .map((dir) => ({ dir, manifest: readManifest(dir) }))
    .filter((pkg) => pkg.manifest.private !== true);
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}
