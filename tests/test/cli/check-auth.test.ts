import { type Emulator, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_KEY } from "../../support/cli/events.js";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";
import { unusedPort } from "../../support/cli/unused-port.js";

const wrongKey = "wrong-key-3f9a1c7e";

let emulator: Emulator;
let project: TempProject;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  project = await tempProject();
});

afterEach(async () => {
  await project.remove();
});

describe("gwenmap check-auth", () => {
  it("confirms a key GWEN accepts, exit 0, without printing it", async () => {
    const result = await runGwenmap(["check-auth", "--endpoint", emulator.url], {
      cwd: project.dir,
      env: { GWEN_API_KEY: EMULATOR_KEY },
    });
    expect(result.stdout).toContain(`GWEN at ${emulator.url} accepts the API key`);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(EMULATOR_KEY);
  });

  it("reads the endpoint from GWEN_ENDPOINT and the key from --api-key", async () => {
    const result = await runGwenmap(["check-auth", "--api-key", EMULATOR_KEY], {
      cwd: project.dir,
      env: { GWEN_ENDPOINT: emulator.url },
    });
    expect(result.code).toBe(0);
  });

  it("says GWEN refused a wrong key, exit 1, and never prints the key", async () => {
    const result = await runGwenmap(
      ["check-auth", "--endpoint", emulator.url, "--api-key", wrongKey],
      {
        cwd: project.dir,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`GWEN at ${emulator.url} refused the API key`);
    expect(result.stderr).toContain("Check --api-key or GWEN_API_KEY");
    expect(result.stdout + result.stderr).not.toContain(wrongKey);
  });

  it("is a usage error without a key, before contacting GWEN", async () => {
    const before = emulator.stats().requests ?? 0;
    const result = await runGwenmap(["check-auth", "--endpoint", emulator.url], {
      cwd: project.dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "usage error no GWEN API key: pass --api-key KEY or set GWEN_API_KEY",
    );
    expect(result.stderr).toContain("GWEN_API_KEY");
    expect(emulator.stats().requests ?? 0).toBe(before);
  });

  it("says GWEN cannot be reached when nothing listens at the endpoint, exit 1", async () => {
    const endpoint = `http://127.0.0.1:${await unusedPort()}/graphql`;
    const result = await runGwenmap(["check-auth", "--endpoint", endpoint, "--api-key", wrongKey], {
      cwd: project.dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot check the API key with GWEN at ${endpoint}`);
    expect(result.stderr).toMatch(/ECONNREFUSED|refused/i);
    expect(result.stderr).not.toContain(wrongKey);
  });

  it("is a usage error for an endpoint that is not an http URL", async () => {
    const result = await runGwenmap(
      ["check-auth", "--endpoint", "ftp://gwen", "--api-key", wrongKey],
      {
        cwd: project.dir,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage error --endpoint must be an http:// or https:// URL");
  });
});
