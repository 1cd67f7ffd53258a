import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  eventually,
  type ServerProcess,
  spawnServer,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

/** The README's `curl` line after `npm start`, sent with fetch. */
const README_USER = "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d";
const README_EVENT = `{"type":"track","event":"Level Completed","userId":"${README_USER}","properties":{"level":3}}`;
const DEV_WRITE_KEY = "gwenmap-dev-write-key";

function basic(user: string): string {
  return `Basic ${Buffer.from(`${user}:`).toString("base64")}`;
}

let data: Awaited<ReturnType<typeof temporaryDataDir>>;
let server: ServerProcess | undefined;

beforeEach(async () => {
  data = await temporaryDataDir();
});

afterEach(async () => {
  await server?.stop("SIGKILL");
  server = undefined;
  await data.remove();
});

describe("npm start: the server on embedded defaults", () => {
  it("delivers the README's track call to its in-process GWEN emulator, and says so loudly", async () => {
    // What `npm start` runs, from the repository root, without GWEN_API_KEY or write keys.
    server = await spawnServer({ GWENMAP_DATA_DIR: data.dir });
    const warnings = server.logs.filter((entry) => entry.level === 40).map((entry) => entry.msg);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /NO GWEN_API_KEY: DELIVERIES GO TO AN IN-PROCESS GWEN EMULATOR.*NOT TO GWEN/,
        ),
        expect.stringContaining(`accepting the dev write key "${DEV_WRITE_KEY}"`),
      ]),
    );
    const listening = server.logs.find((entry) => typeof entry.gwen === "string");
    expect(listening?.mappingsDir).toBe("./mappings");

    const answer = await fetch(`${server.url}/v1/track`, {
      method: "POST",
      headers: { authorization: basic(DEV_WRITE_KEY), "content-type": "application/json" },
      body: README_EVENT,
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ success: true });

    const emulatorUrl = String(server.logs.find((entry) => "emulator" in entry)?.emulator);
    const received = async () => {
      const answer = await fetch(emulatorUrl.replace(/\/graphql$/, "/_emulator/requests"));
      const requests = (await answer.json()) as { operationName: string }[];
      return requests.length > 0 ? requests : undefined;
    };
    const accepted = await eventually(received, "the emulator's record of the delivery", 15_000);
    expect(accepted).toEqual([
      expect.objectContaining({
        operationName: "SendEvent",
        variables: { userId: README_USER, type: "track", data: { level: 3 } },
      }),
    ]);
    const stats = await fetch(emulatorUrl.replace(/\/graphql$/, "/_emulator/stats"));
    expect(await stats.json()).toMatchObject({ operations: 1 });
    // At the default level the log has no line per delivery.
    expect(server.logs.filter((entry) => entry.component === "gwen-emulator")).toEqual([]);
    expect(existsSync(join(data.dir, "queue.sqlite"))).toBe(true);
    expect(await server.stop("SIGTERM")).toBe(0);
  });

  it("refuses another write key with a 401 that names the development key", async () => {
    server = await spawnServer({ GWENMAP_DATA_DIR: data.dir });
    const answer = await fetch(`${server.url}/v1/track`, {
      method: "POST",
      headers: { authorization: basic("my-segment-write-key"), "content-type": "application/json" },
      body: README_EVENT,
    });
    expect(answer.status).toBe(401);
    const body = (await answer.json()) as { code: string; message: string };
    expect(body.code).toBe("E_UNAUTHORIZED");
    expect(body.message).toContain(`accepts only the development key "${DEV_WRITE_KEY}"`);
  });
});
