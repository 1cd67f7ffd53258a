import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { serverProcessEach } from "../../support/server/server-process-each.js";
import { eventually, type ServerProcess } from "../../support/server/spawn-server.js";

const WRITE_KEY = "reload-write-key";
const PLAYER = "0f3b6c2a-5d4e-4f1a-9b8c-7e6d5c4b3a29";

const typed = (type: string) =>
  `/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": userId, "type": "${type}" }\n`;
const BROKEN = `/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": userId, "type": \n`;

const setup = serverProcessEach({ writeKeys: WRITE_KEY });

async function track(url: string): Promise<number> {
  const answer = await fetch(`${url}/v1/track`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ event: "Level Completed", userId: PLAYER }),
  });
  return answer.status;
}

function deliveredTypes(count: number): Promise<unknown[]> {
  return eventually(() => {
    const types = setup.emulator.requests().map((request) => request.variables.type);
    return types.length >= count ? types : undefined;
  }, `${count} deliveries`);
}

function logged(process: ServerProcess, prefix: string): Promise<Record<string, unknown>> {
  return eventually(
    () => process.logs.find((entry) => String(entry.msg).startsWith(prefix)),
    `the log line "${prefix}"`,
  );
}

describe("SIGHUP", () => {
  it("refuses a broken mapping set and keeps the running one, then swaps in a fixed set", async () => {
    await writeFile(join(setup.mappingsDir, "send-event.jsonata"), typed("first"));
    const server = await setup.start();

    await writeFile(join(setup.mappingsDir, "send-event.jsonata"), BROKEN);
    server.child.kill("SIGHUP");
    const refused = await logged(server, "mapping reload refused");
    expect(String(refused.errors)).toMatch(/send-event\.jsonata:\d+:\d+/);
    expect(await track(server.url)).toBe(200);
    expect(await deliveredTypes(1)).toEqual(["first"]);

    await writeFile(join(setup.mappingsDir, "send-event.jsonata"), typed("second"));
    server.child.kill("SIGHUP");
    await logged(server, "mappings reloaded");
    expect(await track(server.url)).toBe(200);
    expect(await deliveredTypes(2)).toEqual(["first", "second"]);
    expect(await server.stop("SIGTERM")).toBe(0);
  });
});
