import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { runGwenmap, runOnTerminal } from "../../support/cli/run-gwenmap.js";
import { useTempProject } from "../../support/cli/temp-project.js";

const project = useTempProject("mappings");

const ansi = "\u001b[";

/** A fixture that fails, so `test` prints its whole palette: marks, diff, summary. */
async function breakAFixture(): Promise<void> {
  const file = "mappings/fixtures/track-order-completed.json";
  const text = await project.read(file);
  await project.write(
    file,
    text.replace(/"type": "track",(\s+)"data"/, '"type": "trick",$1"data"'),
  );
}

/** Run gwenmap on a terminal in the project. */
function onTerminal(
  args: readonly string[],
  options: { columns?: number; env?: Record<string, string> } = {},
): Promise<string> {
  return runOnTerminal(args, { cwd: project.dir, ...options });
}

describe("colour switches reach every line", () => {
  it("colours a terminal by default, and --no-color, NO_COLOR and FORCE_COLOR=0 each turn all of it off", async () => {
    await breakAFixture();
    // The fault first: on a terminal, without a switch, the output is coloured.
    expect(await onTerminal(["test"])).toContain(ansi);
    expect(await onTerminal(["test", "--reporter", "xml"])).toContain(ansi);
    for (const [args, env] of [
      [["--no-color"], {}],
      [[], { NO_COLOR: "1" }],
      [[], { FORCE_COLOR: "0" }],
    ] as const) {
      const test = await onTerminal(["test", ...args], { env });
      expect(test).toContain("13 passed, 1 failed");
      expect(test).toContain("- Expected (fixture)");
      const optionError = await onTerminal(["test", "--reporter", "xml", ...args], { env });
      expect(optionError).toContain(
        'usage error --reporter must be one of pretty, json, junit, not "xml"',
      );
      const help = await onTerminal(["send", "--help", ...args], { env });
      expect(help).toContain("--batch-size N");
      for (const output of [test, optionError, help]) expect(output).not.toContain(ansi);
    }
  });

  it("--no-color wins over FORCE_COLOR, for output and option errors, when output is piped", async () => {
    await breakAFixture();
    const forced = await runGwenmap(["test"], { cwd: project.dir, env: { FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain(ansi);
    const plain = await runGwenmap(["test", "--no-color"], {
      cwd: project.dir,
      env: { FORCE_COLOR: "1" },
    });
    expect(plain.stdout).toContain("13 passed, 1 failed");
    expect(plain.stdout + plain.stderr).not.toContain(ansi);
    const optionError = await runGwenmap(["map", "--format", "bogus", "--no-color"], {
      cwd: project.dir,
      env: { FORCE_COLOR: "1" },
    });
    expect(optionError.code).toBe(2);
    expect(optionError.stderr).toBe(
      'usage error --format must be one of payload, request, not "bogus" (e.g. --format payload)\n',
    );
  });
});

describe("help", () => {
  const commands = ["test", "map", "send", "mv", "emulator", "dead-letters", "dead-letters list"];

  it("wraps to 80 columns when not a terminal, with plain placeholders", async () => {
    for (const command of ["", ...commands]) {
      const result = await runGwenmap([...command.split(" ").filter(Boolean), "--help"], {
        cwd: project.dir,
      });
      expect(result.code).toBe(0);
      const lines = result.stdout.split("\n");
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
      expect(result.stdout).not.toMatch(/=<|<[A-Z]/);
    }
    const send = await runGwenmap(["send", "--help"], { cwd: project.dir });
    expect(send.stdout).toContain("USAGE gwenmap send [OPTIONS] FILE.ndjson");
    expect(send.stdout).toMatch(/^ {2}--retry-window SECONDS {2}How long to keep retrying/m);
    const test = await runGwenmap(["test", "--help"], { cwd: project.dir });
    expect(test.stdout).toMatch(/^ {2}--reporter pretty\|json\|junit/m);
  });

  it("wraps to the terminal's width", async () => {
    const wide = await onTerminal(["send", "--help"], { columns: 120 });
    const narrow = await onTerminal(["send", "--help"], { columns: 50 });
    const longest = (text: string) =>
      Math.max(
        ...stripVTControlCharacters(text)
          .split(/\r?\n/)
          .map((line) => line.length),
      );
    expect(longest(narrow)).toBeLessThanOrEqual(50);
    expect(longest(wide)).toBeGreaterThan(80);
    expect(longest(wide)).toBeLessThanOrEqual(120);
  });
});

describe("usage errors", () => {
  const gwenmap = (...args: string[]) => runGwenmap(args, { cwd: project.dir });

  it("name options as they are typed", async () => {
    const noKey = await gwenmap("send", "events.ndjson");
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain(
      "usage error no GWEN API key: pass --api-key KEY or set GWEN_API_KEY",
    );
    expect(noKey.stderr).not.toContain("apiKey");
    const endpoint = await gwenmap("check-auth", "--endpoint", "ftp://gwen", "--api-key", "k");
    expect(endpoint.code).toBe(2);
    expect(endpoint.stderr).toContain("usage error --endpoint must be an http:// or https:// URL");
    const missing = await gwenmap("mv", "send-event");
    expect(missing.stderr).toContain("usage error gwenmap mv needs NEW:");
  });

  it("report the first problem on the command line first", async () => {
    const pairs = [
      [["send", "e.ndjson", "--batch-size", "99", "--concurrency", "0"], "--batch-size"],
      [["send", "e.ndjson", "--concurrency", "0", "--batch-size", "99"], "--concurrency"],
      [["send", "e.ndjson", "--skip", "-3", "--bogus"], "--skip"],
      [["send", "e.ndjson", "--bogus", "--skip", "-3"], "unknown option --bogus"],
      [["emulator", "--latency-ms", "-1", "--error-rate", "5"], "--latency-ms"],
      [["emulator", "--error-rate", "5", "--latency-ms", "-1"], "--error-rate"],
      [["dead-letters", "list", "--after", "-1", "--limit", "0"], "--after"],
      [["test", "--reporter", "xml", "--mappings", ""], "--reporter"],
      [["test", "--mappings", "", "--reporter", "xml"], "--mappings"],
    ] as const;
    for (const [args, first] of pairs) {
      const result = await gwenmap(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0], args.join(" ")).toMatch(
        new RegExp(`^usage error (invalid fault options: )?${first.replace(/[-]/g, "\\-")}`),
      );
    }
  });
});
