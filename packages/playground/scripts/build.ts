/**
 * Build the playground page into dist/page/ (index.html and assets/): the
 * page's TypeScript bundled by esbuild for the browser, with @gwenmap/core's
 * and the adapter's browser entries inside it, and examples/mappings built
 * in for the static page. `platform: "browser"` makes esbuild refuse any
 * Node built-in, so a build that succeeds is a page with no file reading.
 * Also writes the server API's types (dist/types/api.d.ts) for the CLI.
 * `--watch` rebuilds on change.
 */
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { listFixtureFiles, listMappingFiles } from "@gwenmap/core";
import * as esbuild from "esbuild";
import type { ProjectFile, ProjectFiles } from "../src/api.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const repositoryDir = join(packageDir, "..", "..");
const pageDir = join(packageDir, "dist", "page");
const examplesFolder = "examples/mappings";

/** The page's bundle options; the browser-safety test builds core's entries with the same. */
export const browserBuild = {
  bundle: true,
  platform: "browser",
  format: "iife",
  target: ["chrome111", "firefox115", "safari16.4"],
  logLevel: "warning",
} as const satisfies esbuild.BuildOptions;

async function build(watch: boolean): Promise<void> {
  await rm(join(packageDir, "dist"), { recursive: true, force: true });
  await mkdir(join(pageDir, "assets"), { recursive: true });
  await copyFile(join(packageDir, "src", "index.html"), join(pageDir, "index.html"));
  await copyFile(
    join(packageDir, "src", "playground.css"),
    join(pageDir, "assets", "playground.css"),
  );
  const options: esbuild.BuildOptions = {
    ...browserBuild,
    entryPoints: [join(packageDir, "src", "main.ts")],
    outfile: join(pageDir, "assets", "playground.js"),
    minify: !watch,
    sourcemap: watch ? "linked" : false,
    legalComments: "linked",
    plugins: [examplesPlugin],
  };
  if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
    console.log(`watching; open ${join(pageDir, "index.html")}`);
    return;
  }
  await esbuild.build(options);
  execFileSync("tsc", ["-p", "tsconfig.build.json"], { cwd: packageDir, stdio: "inherit" });
}

/** `import examples from "gwenmap:examples"`: the examples folder's files, read at build time. */
const examplesPlugin: esbuild.Plugin = {
  name: "gwenmap-examples",
  setup(builder) {
    builder.onResolve({ filter: /^gwenmap:examples$/ }, (args) => ({
      path: args.path,
      namespace: "gwenmap-examples",
    }));
    builder.onLoad({ filter: /.*/, namespace: "gwenmap-examples" }, async () => {
      const dir = join(repositoryDir, examplesFolder);
      const mappings = await readFiles(dir, await listMappingFiles(dir));
      const fixtures = await readFiles(dir, await listFixtureFiles(dir));
      const files: ProjectFiles = { folder: examplesFolder, mappings, fixtures };
      return {
        contents: JSON.stringify(files),
        loader: "json",
        watchDirs: [dir, join(dir, "fixtures")],
      };
    });
  },
};

async function readFiles(dir: string, files: readonly string[]): Promise<ProjectFile[]> {
  return Promise.all(
    files.map(async (file) => ({
      path: relative(dir, file).split(sep).join("/"),
      text: await readFile(file, "utf8"),
    })),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build(process.argv.includes("--watch"));
}
