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

  it("authorizes a Basic header by its user name, and tells a missing or other scheme from an unknown key", () => {
    const keys = new WriteKeys(["first-key", "second-key"]);
    const basic = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;
    for (let round = 0; round < 3; round++) {
      expect(keys.authorize(basic("second-key:"))).toEqual({ kind: "known", source: "1" });
      expect(keys.authorize(`basic  ${Buffer.from("first-key").toString("base64")} `)).toEqual({
        kind: "known",
        source: "0",
      });
      expect(keys.authorize(basic("second-ke:"))).toEqual({ kind: "unknown" });
      expect(keys.authorize("Bearer second-key")).toEqual({ kind: "none" });
      expect(keys.authorize(undefined)).toEqual({ kind: "none" });
    }
  });

  it("still authorizes every header once more spellings matched than it remembers", () => {
    const keys = new WriteKeys(["key"]);
    const spellings = Array.from(
      { length: 100 },
      (_, index) => `Basic ${Buffer.from(`key:password-${index}`).toString("base64")}`,
    );
    for (let round = 0; round < 2; round++) {
      for (const header of spellings)
        expect(keys.authorize(header)).toEqual({ kind: "known", source: "0" });
    }
    expect(keys.authorize(`Basic ${Buffer.from("kex:").toString("base64")}`)).toEqual({
      kind: "unknown",
    });
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
