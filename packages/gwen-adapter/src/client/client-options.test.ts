import { describe, expect, it } from "vitest";
import { InvalidOptionError, MissingApiKeyError } from "../errors.js";
import { resolveClientOptions } from "./client-options.js";

const endpoint = "http://127.0.0.1:1/graphql";

describe("resolveClientOptions", () => {
  it("fills in short timeouts, bounded connections and no retry by default", () => {
    const options = resolveClientOptions({ apiKey: "k", endpoint });
    expect(options).toMatchObject({
      connections: 10,
      pipelining: 1,
      connectTimeoutMs: 5_000,
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      retry: { attempts: 0 },
    });
    expect(options.maxRequestsPerSecond).toBeUndefined();
  });

  it.each(["", "   ", undefined])("refuses a missing API key (%j)", (apiKey) => {
    expect(() => resolveClientOptions({ apiKey: apiKey as string, endpoint })).toThrowError(
      MissingApiKeyError,
    );
  });

  it("refuses a key with a line break without quoting it", () => {
    const apiKey = "secret-part\nmore";
    expect(() => resolveClientOptions({ apiKey, endpoint })).toThrowError(InvalidOptionError);
    expect(() => resolveClientOptions({ apiKey, endpoint })).toThrowError(
      expect.objectContaining({ message: expect.not.stringContaining("secret-part") }),
    );
  });

  it.each([
    [{ connections: 0 }, /connections/],
    [{ pipelining: 1.5 }, /pipelining/],
    [{ headersTimeoutMs: -1 }, /headersTimeoutMs/],
    [{ retry: { attempts: -1 } }, /retry.attempts/],
    [{ maxRequestsPerSecond: 0 }, /maxRequestsPerSecond/],
  ])("names the option out of range: %j", (bad, name) => {
    expect(() => resolveClientOptions({ apiKey: "k", endpoint, ...bad })).toThrowError(name);
  });
});
