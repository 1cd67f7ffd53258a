import { describe, expect, it } from "vitest";
import { redactSecrets } from "./redact-secrets.js";

describe("redactSecrets", () => {
  it("replaces every occurrence of each secret", () => {
    expect(redactSecrets("key k1 and k1 and k2", ["k1", "k2"])).toBe(
      "key [redacted] and [redacted] and [redacted]",
    );
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
});
