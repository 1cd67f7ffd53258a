import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../config/resolve-config.js";
import { eventually, serversClosedAfterEach, USER_ID } from "../testing/test-server.js";

const WRITE_KEY = "wk-SeCrEt-write-key";
const ADMIN_TOKEN = "adm-SeCrEt-admin-token";
const WEBHOOK_SECRET = "wh-SeCrEt-webhook";
const API_KEY = "gwen-SeCrEt-api-key";

const start = serversClosedAfterEach();

describe("secrets", () => {
  it("never appear in the log or in answers, whatever fails", async () => {
    const t = await start({
      writeKeys: [WRITE_KEY],
      adminToken: ADMIN_TOKEN,
      webhookSecret: WEBHOOK_SECRET,
      gwenApiKey: API_KEY,
      emulatorOptions: { apiKeys: [API_KEY] },
    });
    const answers: string[] = [];
    const keep = (answer: { text: string }) => answers.push(answer.text);
    const call = { type: "track", event: "E", userId: USER_ID, writeKey: WRITE_KEY };
    keep(await t.post("/v1/track", call, { writeKey: WRITE_KEY }));
    keep(await t.post("/v1/track", call, { writeKey: `${WRITE_KEY}-wrong` }));
    keep(await t.post("/v1/track", "{ not json", { writeKey: WRITE_KEY }));
    keep(await t.post("/v1/batch", { batch: [call], writeKey: WRITE_KEY }, { writeKey: null }));
    const body = JSON.stringify(call);
    const signature = createHmac("sha1", `${WEBHOOK_SECRET}x`).update(body).digest("hex");
    keep(
      await t.post("/v1/webhook", body, { writeKey: null, headers: { "x-signature": signature } }),
    );
    keep(await t.get("/admin/dead-letters", { authorization: `Bearer ${ADMIN_TOKEN}x` }));
    keep(await t.get("/admin/dead-letters", { authorization: `Bearer ${ADMIN_TOKEN}` }));
    await eventually(() => (t.emulator.requests().length === 2 ? true : undefined), "deliveries");
    t.emulator.setApiKeys(["rotated"]);
    keep(await t.post("/v1/track", call, { writeKey: WRITE_KEY }));
    await eventually(
      () => t.logs().find((line) => String(line.msg).startsWith("GWEN refuses the API key")),
      "the pause",
    );
    keep(await t.get("/healthz"));
    keep(await t.get("/readyz"));
    keep(await t.get("/metrics"));
    const everything = `${t.logText()}\n${answers.join("\n")}`;
    expect(everything.match(/.{0,200}SeCrEt.{0,80}/g) ?? []).toEqual([]);
    const failed = (await t.get("/admin/dead-letters", { authorization: `Bearer ${ADMIN_TOKEN}` }))
      .text;
    expect(failed).not.toMatch(/SeCrEt/);
  });

  it("are not named in configuration errors", () => {
    expect(() =>
      resolveConfig({ gwenApiKey: API_KEY, adminToken: ADMIN_TOKEN }, { PORT: "not-a-port" }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringMatching(/SeCrEt/) }));
    expect(() => resolveConfig({ gwenApiKey: API_KEY }, {})).toThrow(/GWENMAP_WRITE_KEYS/);
  });
});
