import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { identifyEvent, trackEvent, userIdFor } from "../../support/cli/events.js";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

function lines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function map(file: string, text: string, args: string[] = []) {
  await project.write(file, text);
  return runGwenmap(["map", file, ...args], { cwd: project.dir });
}

const delivered = (index: number) => ({
  mapping: "send-event",
  action: "sendEvent",
  messageId: `message-${index}`,
  payload: { userId: userIdFor(index), type: "track", data: { level: index % 50, score: index } },
});

describe("gwenmap map reads events the way people have them", () => {
  it("NDJSON: one event per line", async () => {
    const result = await map(
      "events.ndjson",
      `${JSON.stringify(trackEvent(1))}\n${JSON.stringify(trackEvent(2))}\n`,
    );
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([delivered(1), delivered(2)]);
  });

  it("one pretty-printed event of 27 KB over 1,500 lines", async () => {
    const properties = Object.fromEntries(
      Array.from({ length: 1_500 }, (_, i) => [`k${i}`, `v${i}`]),
    );
    const event = { ...trackEvent(3), properties };
    const text = JSON.stringify(event, null, 2);
    expect(text.split("\n").length).toBeGreaterThan(1_500);
    expect(Buffer.byteLength(text)).toBeGreaterThan(27_000);
    const result = await map("big-event.json", text);
    expect(result.stderr).toBe("");
    expect(lines(result.stdout)).toEqual([
      { ...delivered(3), payload: { userId: userIdFor(3), type: "track", data: properties } },
    ]);
  });

  it("many pretty-printed documents", async () => {
    const text = [trackEvent(4), trackEvent(5)].map((e) => JSON.stringify(e, null, 2)).join("\n");
    expect(lines((await map("events.json", text)).stdout)).toEqual([delivered(4), delivered(5)]);
  });

  it("a JSON array of events", async () => {
    const text = JSON.stringify([trackEvent(6), trackEvent(7)], null, 2);
    expect(lines((await map("events.json", text)).stdout)).toEqual([delivered(6), delivered(7)]);
  });

  it("a Segment batch body, by Segment's batch rules: shared context, messageId filled in", async () => {
    const { context: _context, messageId: _messageId, ...identify } = identifyEvent(8);
    const body = {
      batch: [identify, trackEvent(9)],
      context: { ip: "203.0.113.9", userAgent: "analytics-node" },
      writeKey: "secret",
    };
    const result = await map("batch.json", JSON.stringify(body, null, 2), ["--format", "request"]);
    expect(result.code).toBe(0);
    const [session, event] = lines(result.stdout);
    expect(session).toMatchObject({
      messageId: expect.stringMatching(/^gwenmap-[0-9a-f-]{36}$/),
      request: {
        operationName: "UserSession",
        variables: {
          userId: userIdFor(8),
          session: { ip: "203.0.113.9", userAgent: "analytics-node" },
        },
      },
    });
    expect(event).toMatchObject({
      messageId: "message-9",
      request: { operationName: "SendEvent" },
    });
  });

  it("a batch body on stdin", async () => {
    const result = await runGwenmap(["map", "-"], {
      cwd: project.dir,
      stdin: JSON.stringify({ batch: [trackEvent(10), trackEvent(11)] }),
    });
    expect(lines(result.stdout)).toMatchObject([
      { messageId: "message-10", payload: delivered(10).payload },
      { messageId: "message-11", payload: delivered(11).payload },
    ]);
  });

  it("says where a pretty-printed document breaks, and reads on", async () => {
    const broken = `{\n  "type": "track",\n  "event": oops\n}`;
    const text = `${JSON.stringify(trackEvent(12), null, 2)}\n${broken}\n${JSON.stringify(trackEvent(13), null, 2)}`;
    const result = await map("events.json", text);
    expect(result.code).toBe(1);
    const start = JSON.stringify(trackEvent(12), null, 2).split("\n").length + 1;
    expect(lines(result.stdout)).toEqual([
      delivered(12),
      {
        line: start,
        error: {
          code: "E_NOT_JSON",
          message: expect.stringContaining(
            `line ${start + 2}, column 12 is not JSON: unexpected character "o" (in the document of lines ${start} to ${start + 3}, which was skipped)`,
          ),
        },
      },
      delivered(13),
    ]);
    expect(result.stderr).toContain(`line ${start + 2}, column 12 is not JSON`);
  });

  it("an event over Segment's 32 KB is rejected, as the server rejects it", async () => {
    const event = trackEvent(14, { properties: { text: "z".repeat(33_000) } });
    const result = await map("events.ndjson", JSON.stringify(event));
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toMatchObject([
      { messageId: "message-14", error: { code: "E_EVENT_TOO_LARGE" } },
    ]);
  });

  it("a batch call that only the batch's shared context pushes over 32 KB is mapped, as the server maps it", async () => {
    const context = { page: { note: "c".repeat(20_000) } };
    // each call alone is under 32 KB; with the shared context merged in it is over
    const call = trackEvent(15, { properties: { text: "z".repeat(20_000) } });
    const tooBig = trackEvent(16, { properties: { text: "z".repeat(33_000) } });
    const result = await map(
      "context-batch.json",
      JSON.stringify({ batch: [call, tooBig], context }),
    );
    expect(result.code).toBe(1);
    expect(lines(result.stdout)).toMatchObject([
      { messageId: "message-15", mapping: "send-event" },
      { messageId: "message-16", error: { code: "E_EVENT_TOO_LARGE" } },
    ]);
  });

  it("keeps memory flat: an NDJSON file larger than the heap it is given", async () => {
    const path = join(project.dir, "large.ndjson");
    const out = createWriteStream(path);
    const padding = "p".repeat(900);
    const count = 60_000;
    for (let index = 0; index < count; index++) {
      const line = `${JSON.stringify(trackEvent(index, { properties: { padding } }))}\n`;
      if (!out.write(line)) await once(out, "drain");
    }
    out.end();
    await once(out, "close");
    const result = await runGwenmap(["map", "large.ndjson"], {
      cwd: project.dir,
      env: { NODE_OPTIONS: "--max-old-space-size=40" },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // over 60 MB of input through a 40 MB heap: every event mapped
    expect(result.stdout.trim().split("\n")).toHaveLength(count);
  }, 120_000);
});
