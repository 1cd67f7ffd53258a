import { describe, expect, it } from "vitest";
import { classifyBatchResponse } from "./classify-batch-response.js";

function answer(status: number, body: unknown) {
  return { status, headers: {}, body: JSON.stringify(body), durationMs: 3 };
}

describe("classifyBatchResponse", () => {
  it("maps errors back to their alias by path and leaves the others ok", () => {
    const result = classifyBatchResponse(
      answer(200, {
        data: { e0: true, e1: null, e2: true },
        errors: [{ message: "user unknown", path: ["e1"] }],
      }),
      3,
    );
    expect(result).toEqual({
      items: [
        { kind: "ok", status: 200, durationMs: 3 },
        {
          kind: "permanent",
          status: 200,
          message: "GWEN refused the request: user unknown",
          durationMs: 3,
        },
        { kind: "ok", status: 200, durationMs: 3 },
      ],
    });
  });

  it("blames the item whose variable failed and asks to resend the rest", () => {
    const result = classifyBatchResponse(
      answer(200, { errors: [{ message: 'Variable "$e1_userId" got invalid value "x"' }] }),
      3,
    );
    expect("items" in result && result.items.map((item) => item?.kind)).toEqual([
      undefined,
      "permanent",
      undefined,
    ]);
  });

  it("applies an unattributed failure of the whole operation to every item", () => {
    const result = classifyBatchResponse(answer(200, { errors: [{ message: "Syntax Error" }] }), 2);
    expect("items" in result && result.items.map((item) => item?.kind)).toEqual([
      "permanent",
      "permanent",
    ]);
  });

  it("shares transport-level and key failures across the batch", () => {
    expect(classifyBatchResponse(answer(503, "busy"), 2)).toMatchObject({
      shared: { kind: "retry", status: 503 },
    });
    const keyError = {
      errors: [{ message: "bad key", path: ["e0"], extensions: { code: "UNAUTHENTICATED" } }],
    };
    expect(classifyBatchResponse(answer(200, keyError), 2)).toMatchObject({
      shared: { kind: "auth" },
    });
  });

  it("does not report ok for an alias missing from the answer", () => {
    const result = classifyBatchResponse(answer(200, { data: { e0: true } }), 2);
    expect("items" in result && result.items.map((item) => item?.kind)).toEqual([
      "ok",
      "permanent",
    ]);
  });
});
