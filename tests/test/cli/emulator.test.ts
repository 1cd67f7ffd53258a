import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_KEY, eventsNdjson } from "../../support/cli/events.js";
import {
  collect,
  finished,
  runGwenmap,
  spawnGwenmap,
  waitForOutput,
} from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

describe("gwenmap emulator", () => {
  it("runs a GWEN that check-auth and send talk to, records deliveries, and stops on SIGTERM", async () => {
    const child = spawnGwenmap(["emulator", "--port", "0", "--api-key", "local-key"], {
      cwd: project.dir,
    });
    const output = collect(child);
    try {
      const [, url = ""] = await waitForOutput(
        output,
        /listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/,
      );
      expect(output.stdout).not.toContain("local-key");

      const auth = await runGwenmap(["check-auth", "--endpoint", url, "--api-key", "local-key"], {
        cwd: project.dir,
      });
      expect(auth.code).toBe(0);
      const refused = await runGwenmap(
        ["check-auth", "--endpoint", url, "--api-key", EMULATOR_KEY],
        {
          cwd: project.dir,
        },
      );
      expect(refused.code).toBe(1);

      await project.write("events.ndjson", eventsNdjson(20));
      const sent = await runGwenmap(
        ["send", "events.ndjson", "--endpoint", url, "--api-key", "local-key"],
        {
          cwd: project.dir,
        },
      );
      expect(sent.code).toBe(0);
      const recorded = (await (
        await fetch(url.replace("/graphql", "/_emulator/requests"))
      ).json()) as {
        operationName: string;
      }[];
      expect(recorded).toHaveLength(20);
      expect(recorded.filter((r) => r.operationName === "UserSession")).toHaveLength(4);
    } finally {
      child.kill("SIGTERM");
    }
    const result = await finished(child, output);
    expect(result.code).toBe(0);
  });

  it("injects the faults given as flags", async () => {
    const child = spawnGwenmap(
      ["emulator", "--port", "0", "--error-rate", "1", "--error-status", "500"],
      {
        cwd: project.dir,
      },
    );
    const output = collect(child);
    try {
      const [, url = ""] = await waitForOutput(output, /listening on (http:\/\/\S+\/graphql)/);
      expect(output.stdout).toContain('Faults: {"errorRate":1,"errorStatus":500}');
      const auth = await runGwenmap(["check-auth", "--endpoint", url, "--api-key", EMULATOR_KEY], {
        cwd: project.dir,
      });
      expect(auth.code).toBe(1);
      expect(auth.stderr).toContain("HTTP 500");
    } finally {
      child.kill("SIGINT");
    }
    expect((await finished(child, output)).code).toBe(0);
  });

  it("is a usage error for a fault out of range, naming the flag", async () => {
    const result = await runGwenmap(["emulator", "--port", "0", "--error-rate", "1.5"], {
      cwd: project.dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--error-rate: must be a number from 0 to 1");
  });
});
