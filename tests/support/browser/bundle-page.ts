import { build } from "esbuild";

const ENTRY = new URL("./page/analytics-page.ts", import.meta.url).pathname;

/**
 * Bundles the test page's script with the real `@segment/analytics-next` from
 * node_modules, as a web app's bundler would. Built in memory on each run:
 * nothing generated is committed.
 */
export async function bundleTestPage(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "chrome110",
    // The library reads process.env.NODE_ENV, as it would under any web bundler.
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild produced no bundle for the test page");
  return output.text;
}
