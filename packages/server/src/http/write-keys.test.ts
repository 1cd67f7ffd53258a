import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "./webhook-signature.js";
import { basicUser, sameSecret, WriteKeys } from "./write-keys.js";

describe("WriteKeys", () => {
  it("answers the position of the matching key, for keys of any length", () => {
    const keys = new WriteKeys(["short", "a-much-longer-write-key"]);
    expect(keys.identify("short")).toBe("0");
    expect(keys.identify("a-much-longer-write-key")).toBe("1");
    expect(keys.identify("shor")).toBeUndefined();
    expect(keys.identify("")).toBeUndefined();
  });

  it("answers the same once a key has matched, and still refuses the keys around it", () => {
    const keys = new WriteKeys(["first-key", "second-key"]);
    for (let round = 0; round < 3; round++) {
      expect(keys.identify("second-key")).toBe("1");
      expect(keys.identify("first-key")).toBe("0");
      expect(keys.identify("second-ke")).toBeUndefined();
      expect(keys.identify("second-key ")).toBeUndefined();
    }
  });

  it("reads the user of a Basic header, with or without a password", () => {
    const header = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;
    expect(basicUser(header("key:"))).toBe("key");
    expect(basicUser(header("key:password"))).toBe("key");
    expect(basicUser(header("key"))).toBe("key");
    expect(basicUser("Bearer token")).toBeUndefined();
    expect(basicUser(undefined)).toBeUndefined();
  });

  it("compares secrets of different lengths", () => {
    expect(sameSecret("token", "token")).toBe(true);
    expect(sameSecret("token", "token-longer")).toBe(false);
  });
});

describe("verifyWebhookSignature", () => {
  const sign = (text: string) => createHmac("sha1", "secret").update(text).digest("hex");

  it("accepts the HMAC-SHA1 of the body, in either case", () => {
    const body = '{"type":"track"}';
    expect(verifyWebhookSignature("secret", { signature: sign(body), body, parsed: {} })).toBe(
      true,
    );
    const upper = sign(body).toUpperCase();
    expect(verifyWebhookSignature("secret", { signature: upper, body, parsed: {} })).toBe(true);
  });

  it("accepts a batch signed over its first event, as Segment signs batches", () => {
    const parsed = [
      { type: "track", event: "A" },
      { type: "track", event: "B" },
    ];
    const body = JSON.stringify(parsed, null, 2);
    const signature = sign(JSON.stringify(parsed[0]));
    expect(verifyWebhookSignature("secret", { signature, body, parsed })).toBe(true);
  });

  it("refuses another secret's signature, a malformed one, and none", () => {
    const body = "{}";
    const other = createHmac("sha1", "other").update(body).digest("hex");
    expect(verifyWebhookSignature("secret", { signature: other, body, parsed: {} })).toBe(false);
    expect(verifyWebhookSignature("secret", { signature: "abc", body, parsed: {} })).toBe(false);
    expect(verifyWebhookSignature("secret", { signature: undefined, body, parsed: {} })).toBe(
      false,
    );
  });
});
