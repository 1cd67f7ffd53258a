import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidEndpointError } from "../errors.js";
import { DEFAULT_ENDPOINT, resolveEndpoint } from "./endpoint.js";

describe("resolveEndpoint", () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.GWEN_ENDPOINT;
    delete process.env.GWEN_ENDPOINT;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.GWEN_ENDPOINT;
    else process.env.GWEN_ENDPOINT = saved;
  });

  it("defaults to GWEN's production endpoint", () => {
    expect(resolveEndpoint()).toBe("https://gwen.insertcoin.se/graphql");
    expect(DEFAULT_ENDPOINT).toBe("https://gwen.insertcoin.se/graphql");
  });

  it("prefers the option over GWEN_ENDPOINT over the default", () => {
    process.env.GWEN_ENDPOINT = "http://127.0.0.1:4000/graphql";
    expect(resolveEndpoint()).toBe("http://127.0.0.1:4000/graphql");
    expect(resolveEndpoint("http://localhost:5000/gql")).toBe("http://localhost:5000/gql");
    expect(resolveEndpoint("  ")).toBe("http://127.0.0.1:4000/graphql");
  });

  it("refuses what is not an http(s) URL, naming where it came from", () => {
    expect(() => resolveEndpoint("gwen.insertcoin.se/graphql")).toThrowError(InvalidEndpointError);
    expect(() => resolveEndpoint("ftp://gwen.example/graphql")).toThrowError(
      /http:\/\/ or https:\/\//,
    );
    process.env.GWEN_ENDPOINT = "not a url";
    expect(() => resolveEndpoint()).toThrowError(/GWEN_ENDPOINT is not a URL/);
  });

  it("does not repeat credentials of a broken URL in its message", () => {
    expect(() => resolveEndpoint("http://user:hunter2@exa mple/graphql")).toThrowError(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });
});
