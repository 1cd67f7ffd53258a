import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { trackEvent } from "../../support/cli/events.js";
import {
  collect,
  finished,
  runGwenmap,
  spawnGwenmap,
  waitForOutput,
} from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";
import { unusedPort } from "../../support/cli/unused-port.js";

const ADMIN_TOKEN = "admin-token-5c2e";
const WRITE_KEY = "write-key-9b1d";

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

describe("gwenmap serve and gwenmap dead-letters", () => {
  it("serves Segment's API, and lists and replays a rejected event through the admin endpoints", async () => {
    const child = spawnGwenmap(
      [
        "serve",
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--emulator",
        "--write-key",
        WRITE_KEY,
        "--data-dir",
        "data",
      ],
      { cwd: project.dir, env: { GWENMAP_ADMIN_TOKEN: ADMIN_TOKEN } },
    );
    const output = collect(child);
    try {
      const [, server = ""] = await waitForOutput(
        output,
        /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      );
      expect(output.stdout + output.stderr).not.toContain(WRITE_KEY);
      const answer = await fetch(`${server}/v1/track`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`,
        },
        body: JSON.stringify(trackEvent(1, { userId: "not-a-uuid" })),
      });
      expect(answer.status).toBe(200);

      const admin = (...args: string[]) =>
        runGwenmap(["dead-letters", ...args, "--server", server], {
          cwd: project.dir,
          env: { GWENMAP_ADMIN_TOKEN: ADMIN_TOKEN },
        });
      let page: { items: { state: string; mapping: string; reason: { code: string } }[] } = {
        items: [],
      };
      const deadline = Date.now() + 15_000;
      while (page.items.length === 0 && Date.now() < deadline) {
        page = JSON.parse((await admin("list", "--json")).stdout);
      }
      expect(page.items).toEqual([
        expect.objectContaining({
          state: "rejected",
          mapping: "send-event",
          reason: expect.objectContaining({ code: "E_PAYLOAD_INVALID" }),
        }),
      ]);
      const listed = await admin("list", "--state", "rejected");
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(
        /#\d+ rejected send-event messageId message-1, 0 attempts: E_PAYLOAD_INVALID/,
      );

      const replayed = await admin("replay", "--mapping", "send-event");
      expect(replayed.code).toBe(0);
      expect(replayed.stdout).toContain("1 records marked for replay");

      const refused = await runGwenmap(
        ["dead-letters", "list", "--server", server, "--admin-token", "wrong-token-0a"],
        { cwd: project.dir },
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("the server refused the admin token");
      expect(refused.stderr).not.toContain("wrong-token-0a");
    } finally {
      child.kill("SIGTERM");
    }
    const result = await finished(child, output);
    expect(result.code).toBe(0);
  }, 60_000);

  it("dead-letters needs an admin token and says what to replay", async () => {
    const noToken = await runGwenmap(["dead-letters", "list"], { cwd: project.dir });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("GWENMAP_ADMIN_TOKEN");
    const nothing = await runGwenmap(["dead-letters", "replay", "--admin-token", ADMIN_TOKEN], {
      cwd: project.dir,
    });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("--all, --mapping NAME or --id");
    const noSub = await runGwenmap(["dead-letters"], { cwd: project.dir });
    expect(noSub.code).toBe(2);
    expect(noSub.stderr).toContain("needs a sub-command (list, replay)");
  });

  it("says when the server is not running", async () => {
    const server = `http://127.0.0.1:${await unusedPort()}`;
    const result = await runGwenmap(
      ["dead-letters", "list", "--server", server, "--admin-token", ADMIN_TOKEN],
      { cwd: project.dir },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot reach the gwenmap server at ${server} (ECONNREFUSED)`);
  });

  it("queues in PostgreSQL with --queue-url and never prints its password", async () => {
    const base = process.env.GWENMAP_TEST_POSTGRES_URL;
    if (!base)
      throw new Error("GWENMAP_TEST_POSTGRES_URL is not set: run scripts/ensure-postgres.sh");
    const queue = new URL(base);
    queue.password = "queue-secret-7f3a";
    queue.searchParams.set("schema", `cli_serve_${process.pid}_${Date.now()}`);
    const child = spawnGwenmap(
      ["serve", "--port", "0", "--host", "127.0.0.1", "--emulator", "--queue-url", String(queue)],
      // At debug, every delivery is logged too: the password must be in none of those lines either.
      { cwd: project.dir, env: { GWENMAP_WRITE_KEYS: WRITE_KEY, GWENMAP_LOG_LEVEL: "debug" } },
    );
    const output = collect(child);
    try {
      const [, server = ""] = await waitForOutput(
        output,
        /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      );
      const answer = await fetch(`${server}/v1/track`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString("base64")}`,
        },
        body: JSON.stringify(trackEvent(1)),
      });
      expect(answer.status).toBe(200);
      await waitForOutput(output, /GWEN emulator accepted SendEvent/);
      expect(output.stdout + output.stderr).toContain("postgres");
      expect(output.stdout + output.stderr).not.toContain("queue-secret-7f3a");
    } finally {
      child.kill("SIGTERM");
    }
    expect((await finished(child, output)).code).toBe(0);
  }, 60_000);

  it("exits 1 when the mappings do not load", async () => {
    await project.write("mappings/broken.jsonata", "/**\n * @action sendEvent\n */\n{}\n");
    const result = await runGwenmap(["serve", "--port", "0", "--emulator", "--data-dir", "data"], {
      cwd: project.dir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the server did not start");
  }, 30_000);
});
