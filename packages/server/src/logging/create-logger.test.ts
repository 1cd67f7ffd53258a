import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** What a logger made by `createLogger(level, format)` writes to stdout, in a process of its own. */
function logged(format: string, options: { tty?: boolean } = {}): string {
  const url = new URL("./create-logger.ts", import.meta.url).pathname;
  const script = `
    import { createLogger } from ${JSON.stringify(url)};
    const logger = createLogger("info", ${JSON.stringify(format)});
    logger.info({ apiKey: "gwen-SeCrEt-key", mapping: "send-event" }, "delivery resumed");
    logger.debug("a line per delivery");
  `;
  const command = options.tty
    ? ["script", ["-qec", `node --import tsx -e '${script.replace(/'/g, "'\\''")}'`, "/dev/null"]]
    : ["node", ["--import", "tsx", "-e", script]];
  const child = spawnSync(command[0] as string, command[1] as string[], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(child.status, child.stderr).toBe(0);
  return child.stdout;
}

describe("createLogger", () => {
  it("writes one JSON object per line when stdout is not a terminal", () => {
    const lines = logged("auto").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 30,
      msg: "delivery resumed",
      mapping: "send-event",
      apiKey: "[redacted]",
    });
  });

  it("writes readable lines on a terminal, and when told to, with secrets censored", () => {
    for (const output of [logged("auto", { tty: true }), logged("pretty")]) {
      expect(output).toMatch(/INFO.*delivery resumed/);
      expect(output).toMatch(/mapping: "send-event"/);
      expect(output).toContain("[redacted]");
      expect(output).not.toContain("SeCrEt");
      expect(output).not.toContain('{"level"');
    }
  });

  it("writes JSON on a terminal when told to", () => {
    const output = logged("json", { tty: true }).trim();
    expect(JSON.parse(output)).toMatchObject({ msg: "delivery resumed" });
  });
});
