import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact-secrets.js";

describe("redactSecrets", () => {
  it("replaces every occurrence of each secret", () => {
    expect(
      redactSecrets("key k1-secret and k1-secret and k2-secret", ["k1-secret", "k2-secret"]),
    ).toBe("key [redacted] and [redacted] and [redacted]");
  });

  it("also catches the JSON-escaped and URL-encoded forms of a secret", () => {
    const secret = 'a"b\\c/d e';
    const text = `raw ${secret} json ${JSON.stringify(secret)} url ${encodeURIComponent(secret)}`;
    const redacted = redactSecrets(text, [secret]);
    expect(redacted).not.toContain(secret);
    expect(redacted).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(redacted).not.toContain(encodeURIComponent(secret));
  });

  it("ignores empty secrets", () => {
    expect(redactSecrets("unchanged", ["", "absent"])).toBe("unchanged");
  });

  it("replaces whole secrets only, not the same letters inside another word", () => {
    const key = "s3cr3t-k3y";
    expect(redactSecrets(`Authorization: ${key}; x${key}y "${key}"`, [key])).toBe(
      `Authorization: [redacted]; x${key}y "[redacted]"`,
    );
  });

  it("leaves secrets too short to be told from words alone", () => {
    expect(redactSecrets("check the key k", ["k", "check"])).toBe("check the key k");
  });
});
