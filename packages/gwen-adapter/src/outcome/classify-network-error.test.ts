import { errors } from "undici";
import { describe, expect, it } from "vitest";
import { classifyNetworkError, type NetworkContext } from "./classify-network-error.js";

const context: NetworkContext = {
  origin: "https://gwen.example",
  connectTimeoutMs: 111,
  headersTimeoutMs: 222,
  bodyTimeoutMs: 333,
  durationMs: 5,
};

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("classifyNetworkError", () => {
  it.each([
    [
      new errors.ConnectTimeoutError(),
      /connecting to https:\/\/gwen.example timed out after 111 ms/,
    ],
    [new errors.HeadersTimeoutError(), /did not start answering within 222 ms/],
    [new errors.BodyTimeoutError(), /stopped sending its answer for more than 333 ms/],
    [
      new errors.SocketError("other side closed"),
      /closed before GWEN's answer was complete \(UND_ERR_SOCKET\)/,
    ],
    [new errors.RequestAbortedError(), /aborted before GWEN answered/],
    [new errors.ClientClosedError(), /client is closed/],
    [new errors.ClientDestroyedError(), /client is closed/],
    [
      withCode("read ECONNRESET", "ECONNRESET"),
      /closed before GWEN's answer was complete \(ECONNRESET\)/,
    ],
    [withCode("connect ECONNREFUSED", "ECONNREFUSED"), /refused the connection \(ECONNREFUSED\)/],
    [withCode("getaddrinfo ENOTFOUND", "ENOTFOUND"), /cannot resolve the host/],
    [new DOMException("This operation was aborted", "AbortError"), /aborted before GWEN answered/],
  ])("retries %s with a message that says what happened", (error, message) => {
    const outcome = classifyNetworkError(error, context);
    expect(outcome).toMatchObject({ kind: "retry", durationMs: 5 });
    expect(outcome.kind === "retry" && outcome.message).toMatch(message);
  });

  it("finds the code in a cause chain and in aggregated errors", () => {
    const wrapped = new TypeError("fetch failed", { cause: withCode("refused", "ECONNREFUSED") });
    expect(classifyNetworkError(wrapped, context)).toMatchObject({
      message: expect.stringContaining("ECONNREFUSED"),
    });
    const aggregate = new AggregateError([
      withCode("a", "ECONNREFUSED"),
      withCode("b", "ECONNREFUSED"),
    ]);
    expect(classifyNetworkError(aggregate, context)).toMatchObject({
      message: expect.stringContaining("refused the connection"),
    });
  });

  it("retries an unknown failure and quotes it", () => {
    const outcome = classifyNetworkError(withCode("something odd", "E_ODD"), context);
    expect(outcome).toMatchObject({
      kind: "retry",
      message: "network error talking to https://gwen.example: something odd (E_ODD)",
    });
  });
});
