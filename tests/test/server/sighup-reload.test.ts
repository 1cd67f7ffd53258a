import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  eventually,
  type ServerProcess,
  spawnServer,
  temporaryDataDir,
} from "../../support/server/spawn-server.js";

const WRITE_KEY = "reload-write-key";
const PLAYER = "0f3b6c2a-5d4e-4f1a-9b8c-7e6d5c4b3a29";

const typed = (type: string) =>
  `/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": userId, "type": "${type}" }\n`;
const BROKEN = `/**\n * @action sendEvent\n * @trigger type = "track"\n */\n{ "userId": userId, "type": \n`;

let emulator: Emulator;
let data: Awaited<ReturnType<typeof temporaryDataDir>>;
let mappings: string;
let server: ServerProcess | undefined;

beforeEach(async () => {
  emulator = await startEmulator();
  data = await temporaryDataDir();
  mappings = await mkdtemp(join(tmpdir(), "gwenmap-e2e-mappings-"));
});

afterEach(async () => {
  await server?.stop("SIGKILL");
  server = undefined;
  await emulator.close();
  await data.remove();
  await rm(mappings, { recursive: true, force: true });
});

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
    const types = emulator.requests().map((request) => request.variables.type);
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
    await writeFile(join(mappings, "send-event.jsonata"), typed("first"));
    server = await spawnServer({
      GWENMAP_DATA_DIR: data.dir,
      GWENMAP_MAPPINGS: mappings,
      GWENMAP_WRITE_KEYS: WRITE_KEY,
      GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
      GWEN_ENDPOINT: emulator.url,
      GWENMAP_WATCH: "0",
    });

    await writeFile(join(mappings, "send-event.jsonata"), BROKEN);
    server.child.kill("SIGHUP");
    const refused = await logged(server, "mapping reload refused");
    expect(String(refused.errors)).toMatch(/send-event\.jsonata:\d+:\d+/);
    expect(await track(server.url)).toBe(200);
    expect(await deliveredTypes(1)).toEqual(["first"]);

    await writeFile(join(mappings, "send-event.jsonata"), typed("second"));
    server.child.kill("SIGHUP");
    await logged(server, "mappings reloaded");
    expect(await track(server.url)).toBe(200);
    expect(await deliveredTypes(2)).toEqual(["first", "second"]);
    expect(await server.stop("SIGTERM")).toBe(0);
  });
});
