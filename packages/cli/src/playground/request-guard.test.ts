import { describe, expect, it } from "vitest";
import { Refusal } from "./refusal.js";
import { bearerToken, checkRequest, guardFor } from "./request-guard.js";

const guard = guardFor(4321, "the-token");
const own = { host: "127.0.0.1:4321", origin: "http://127.0.0.1:4321" };

function refused(
  method: string,
  headers: Record<string, string>,
  token?: string | null,
): string | undefined {
  try {
    checkRequest(guard, { method, headers }, token);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(Refusal);
    return (error as Refusal).code;
  }
}

describe("checkRequest", () => {
  it("serves the server's own address, by IP or as localhost, from its own page, with the token", () => {
    expect(refused("GET", { host: own.host }, "the-token")).toBeUndefined();
    expect(refused("PUT", own, "the-token")).toBeUndefined();
    expect(
      refused("PUT", { host: "localhost:4321", origin: "http://localhost:4321" }, "the-token"),
    ).toBeUndefined();
    // the page's assets need no token: they are the public build
    expect(refused("GET", { host: own.host })).toBeUndefined();
  });

  it("refuses a foreign Host (DNS rebinding), even with the token", () => {
    expect(refused("GET", { host: "attacker.example:4321" }, "the-token")).toBe("E_FOREIGN_HOST");
    expect(refused("GET", { host: "127.0.0.1:4322" }, "the-token")).toBe("E_FOREIGN_HOST");
    expect(refused("GET", {}, "the-token")).toBe("E_FOREIGN_HOST");
  });

  it("refuses writes without the page's Origin, and any request from a foreign one", () => {
    expect(refused("PUT", { host: own.host }, "the-token")).toBe("E_FOREIGN_ORIGIN");
    expect(refused("PUT", { ...own, origin: "http://attacker.example" }, "the-token")).toBe(
      "E_FOREIGN_ORIGIN",
    );
    expect(refused("GET", { ...own, origin: "null" }, "the-token")).toBe("E_FOREIGN_ORIGIN");
  });

  it("refuses a missing or wrong token", () => {
    expect(refused("GET", own, null)).toBe("E_TOKEN");
    expect(refused("GET", own, "the-tokem")).toBe("E_TOKEN");
    expect(refused("GET", own, "")).toBe("E_TOKEN");
  });
});

describe("bearerToken", () => {
  it("reads Authorization: Bearer <token>, nothing else", () => {
    expect(bearerToken({ authorization: "Bearer abc-DEF_1" })).toBe("abc-DEF_1");
    expect(bearerToken({ authorization: "Basic abc" })).toBeNull();
    expect(bearerToken({})).toBeNull();
  });
});
