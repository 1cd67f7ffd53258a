import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { browserBuild } from "../scripts/build.js";

/**
 * The page runs @gwenmap/core and the adapter in the browser: their browser
 * entries must bundle for platform "browser" (where esbuild refuses every
 * Node built-in) and carry no loader, client or emulator.
 */
async function bundle(
  entry: string,
): Promise<esbuild.BuildResult<{ metafile: true; write: false }>> {
  return esbuild.build({
    ...browserBuild,
    logLevel: "silent",
    stdin: { contents: `export * from "${entry}";`, resolveDir: import.meta.dirname, loader: "ts" },
    write: false,
    metafile: true,
  });
}

function inputsOf(result: esbuild.BuildResult<{ metafile: true }>): string[] {
  return Object.keys(result.metafile.inputs);
}

describe("the browser entries of core and the adapter", () => {
  it("bundle for the browser with the engine and the GWEN requests, and nothing that reads files", async () => {
    const core = inputsOf(await bundle("@gwenmap/core/browser"));
    expect(core).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/core\/dist\/engine\/create-engine\.js$/),
        expect.stringMatching(/core\/dist\/mapping\/compile-mapping-text\.js$/),
        expect.stringMatching(/core\/dist\/fixtures\/update-fixture\.js$/),
      ]),
    );
    expect(core.filter((input) => /load-(mappings|fixtures|engine)\.js$/.test(input))).toEqual([]);

    const adapter = inputsOf(await bundle("@gwenmap/gwen-adapter/browser"));
    expect(adapter).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/gwen-adapter\/dist\/request\/build-request\.js$/),
      ]),
    );
    expect(adapter.filter((input) => /\/(client|emulator|outcome)\/|undici/.test(input))).toEqual(
      [],
    );
  });

  it("are needed: the packages' main entries do not bundle for the browser", async () => {
    // the check above can fail: the full entries pull in Node built-ins and esbuild refuses them
    await expect(bundle("@gwenmap/core")).rejects.toThrow(/node:fs/);
    await expect(bundle("@gwenmap/gwen-adapter")).rejects.toThrow(/node:/);
  });
});
