import { describe, expect, it } from "vitest";
import { callSizeRejection, MAX_EVENT_BYTES } from "./event-size.js";

describe("callSizeRejection", () => {
  it("takes an event within 32 KB without measuring the call as sent", () => {
    let measured = 0;
    const sentBytes = () => {
      measured += 1;
      return MAX_EVENT_BYTES + 1;
    };
    expect(callSizeRejection({ bytes: MAX_EVENT_BYTES, sentBytes }, "m-1")).toBeUndefined();
    expect(measured).toBe(0);
  });

  it("takes a call that only what was filled in pushed over 32 KB, as Segment measures what was sent", () => {
    expect(
      callSizeRejection({ bytes: MAX_EVENT_BYTES + 500, sentBytes: () => MAX_EVENT_BYTES }, "m-2"),
    ).toBeUndefined();
  });

  it("refuses a call over 32 KB as sent, naming its messageId and size", () => {
    const sent = MAX_EVENT_BYTES + 10;
    expect(callSizeRejection({ bytes: sent + 40, sentBytes: () => sent }, "m-3")).toEqual({
      code: "E_EVENT_TOO_LARGE",
      message: expect.stringContaining(`event m-3 is ${sent} bytes`),
    });
    expect(callSizeRejection({ bytes: sent })?.code).toBe("E_EVENT_TOO_LARGE");
  });
});
