import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startServer } from "../../server/start-server.js";
import {
  eventually,
  startTestServer,
  type TestServer,
  USER_ID,
} from "../../testing/test-server.js";
import { createTestSchema, type TestSchema } from "./test-postgres-url.js";

describe("the server on a PostgreSQL queue", () => {
  let schema: TestSchema;
  const servers: TestServer[] = [];

  beforeEach(() => {
    schema = createTestSchema();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await schema.drop();
  });

  /** The test URL with a password in it (the test server trusts loopback, so it is not checked). */
  function urlWithPassword(): string {
    const url = new URL(schema.url);
    url.username ||= "postgres";
    url.password = "hunter2-not-for-logs";
    return url.href;
  }

  it("keeps the queue in PostgreSQL when given queueUrl, and never logs the URL's password", async () => {
    const t = await startTestServer({ queueUrl: urlWithPassword() });
    servers.push(t);
    const answer = await t.post("/v1/track", { userId: USER_ID, event: "Played" });
    expect(answer.status).toBe(200);
    const [request] = await eventually(
      () => (t.emulator.requests().length > 0 ? t.emulator.requests() : undefined),
      "the delivery",
    );
    expect(request?.variables).toMatchObject({ userId: USER_ID, type: "track" });
    const listening = t
      .logs()
      .find((line) => String(line.msg).startsWith("gwenmap server listening"));
    expect(listening?.queue).toContain(`schema=${schema.name}`);
    expect(t.logText()).not.toContain("hunter2-not-for-logs");
  });

  it("sends through the token bucket all instances share when a rate limit is set", async () => {
    const t = await startTestServer({ queueUrl: schema.url, rateLimit: 50 });
    servers.push(t);
    await t.post("/v1/track", { userId: USER_ID, event: "Played" });
    await eventually(() => (t.emulator.requests().length > 0 ? true : undefined), "the delivery");
    const bucket = await schema.query("SELECT name FROM rate_limit");
    expect(bucket).toEqual([{ name: "gwen" }]);
  });

  it("refuses a queue URL that is not postgres:// with E_CONFIG", async () => {
    await expect(
      startServer({ queueUrl: "mysql://localhost/gwenmap", watch: false }, {}),
    ).rejects.toMatchObject({
      code: "E_CONFIG",
      message: expect.stringContaining("GWENMAP_QUEUE_URL"),
    });
  });
});
