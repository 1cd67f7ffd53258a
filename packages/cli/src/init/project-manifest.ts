/** What `gwenmap init` puts in package.json: scripts, the CLI, and leave to build SQLite. */
export interface ManifestPlan {
  /** The new package.json text, or undefined when nothing needs to change. */
  readonly content?: string;
  /** Why package.json cannot be changed without --force (empty when it can). */
  readonly conflicts: readonly string[];
}

export interface ManifestOptions {
  /** The text of the project's package.json, when it has one. */
  readonly existing?: string;
  /** The project's name, for a new package.json. */
  readonly name: string;
  /** The version of the running CLI: the devDependency is `^version`. */
  readonly cliVersion: string;
  /** Overwrite scripts that say something else. */
  readonly force: boolean;
}

const scripts: Readonly<Record<string, string>> = {
  validate: "gwenmap validate",
  test: "gwenmap test",
};

/** The test script `npm init` writes: a placeholder, not a choice to keep. */
const npmPlaceholderTest = 'echo "Error: no test specified" && exit 1';

type Manifest = Record<string, unknown> & {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean | string>;
};

/**
 * A new package.json, or the project's own with gwenmap's scripts, the CLI
 * as a devDependency and better-sqlite3's install script allowed (npm 11
 * asks for approval; `gwenmap serve` needs the compiled module). A script
 * that already says something else is a conflict unless `force`.
 */
export function planManifest(options: ManifestOptions): ManifestPlan {
  if (options.existing === undefined) {
    return { content: render(newManifest(options)), conflicts: [] };
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(options.existing) as Manifest;
  } catch {
    return { conflicts: ["package.json is not valid JSON: fix it or remove it"] };
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    return { conflicts: ["package.json is not a JSON object: fix it or remove it"] };
  }
  const conflicts = scriptConflicts(manifest);
  if (conflicts.length > 0 && !options.force) return { conflicts };
  const merged = mergeInto(manifest, options.cliVersion);
  const content = render(merged);
  return content === render(JSON.parse(options.existing))
    ? { conflicts: [] }
    : { content, conflicts: [] };
}

function newManifest(options: ManifestOptions): Manifest {
  return {
    name: options.name,
    version: "0.0.0",
    private: true,
    description: "Our Segment events as GWEN actions: gwenmap mappings and their fixtures",
    type: "module",
    scripts: { ...scripts },
    devDependencies: { "@gwenmap/cli": `^${options.cliVersion}` },
    allowScripts: { "better-sqlite3": true },
  };
}

function scriptConflicts(manifest: Manifest): string[] {
  return Object.entries(scripts).flatMap(([name, command]) => {
    const current = manifest.scripts?.[name];
    if (current === undefined || current === command) return [];
    if (name === "test" && current === npmPlaceholderTest) return [];
    return [`package.json: scripts.${name} is "${current}" (gwenmap's is "${command}")`];
  });
}

function mergeInto(manifest: Manifest, cliVersion: string): Manifest {
  const hasCli =
    manifest.dependencies?.["@gwenmap/cli"] !== undefined ||
    manifest.devDependencies?.["@gwenmap/cli"] !== undefined;
  return {
    ...manifest,
    scripts: { ...manifest.scripts, ...scripts },
    devDependencies: hasCli
      ? manifest.devDependencies
      : { ...manifest.devDependencies, "@gwenmap/cli": `^${cliVersion}` },
    allowScripts: { "better-sqlite3": true, ...manifest.allowScripts },
  } as Manifest;
}

function render(manifest: unknown): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
