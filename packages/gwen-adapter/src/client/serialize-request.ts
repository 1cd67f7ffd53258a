import type { Outcome } from "../outcome/outcome.js";
import type { BatchItem } from "../request/build-batch-request.js";
import { buildRequest } from "../request/build-request.js";

/** The JSON text of a request, or a permanent outcome when it cannot be built or serialized. */
export function serialize(build: () => unknown): string | Outcome {
  try {
    return JSON.stringify(build());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: "permanent", message: `the request cannot be built: ${reason}`, durationMs: 0 };
  }
}

/** Marks the items that cannot be serialized alone; the others are resent without them. */
export function blameUnserializable(
  subset: readonly BatchItem[],
  whole: Outcome,
): (Outcome | undefined)[] {
  const alone = subset.map((item) => serialize(() => buildRequest(item.action, item.payload)));
  const blamed = alone.some((result) => typeof result !== "string");
  return alone.map((result) => (typeof result !== "string" ? result : blamed ? undefined : whole));
}
