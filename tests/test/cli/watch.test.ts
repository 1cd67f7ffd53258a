import { readFile, writeFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, finished, spawnGwenmap, waitForOutput } from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

describe("gwenmap test --watch", () => {
  it("runs again when a mapping changes, and stops cleanly on Ctrl-C", async () => {
    const child = spawnGwenmap(["test", "--watch"], { cwd: project.dir });
    const output = collect(child);
    try {
      await waitForOutput(output, /14 passed, 0 failed/);
      await waitForOutput(output, /Watching mappings for changes/);

      const file = project.path("mappings/send-event.jsonata");
      const mapping = await readFile(file, "utf8");
      await writeFile(file, mapping.replace('"type": type', '"type": "changed"'));
      await waitForOutput(output, /changed .*send-event\.jsonata: running again/);
      await waitForOutput(output, /11 passed, 3 failed/);

      await writeFile(file, mapping);
      await waitForOutput(
        output,
        /14 passed, 0 failed[\s\S]*11 passed, 3 failed[\s\S]*14 passed, 0 failed/,
      );
    } finally {
      child.kill("SIGINT");
    }
    const result = await finished(child, output);
    expect(result.code).toBe(0);
  });
});
