import type { Rejection, Violation } from "@gwenmap/core";
import type { SourceFrames } from "../mapping-set/source-frames.js";
import type { Colors } from "../terminal/colors.js";

/**
 * A rejection in words for stderr: the input line, the engine's message
 * (which names the mapping, field and messageId), its code, then each
 * violated field with the value it had, or the code frame of the
 * sub-expression that failed.
 */
export function describeRejection(
  rejection: Rejection,
  line: number,
  context: { colors: Colors; frames: SourceFrames },
): string {
  const { colors, frames } = context;
  const code = rejection.jsonataCode
    ? `${rejection.code} ${rejection.jsonataCode}`
    : rejection.code;
  const frame = frames.frameOf(rejection, "  ");
  return [
    `${colors.red("rejected")} line ${line}: ${rejection.message} ${colors.dim(`[${code}]`)}`,
    ...violationLines(rejection, "  "),
    ...(frame ? [frame] : []),
  ].join("\n");
}

/** One line per violated field: what is wrong unless the message already says it, and the value. */
export function violationLines(rejection: Rejection, indent: string): string[] {
  return (rejection.violations ?? []).map((violation) => {
    const what = rejection.message.includes(violation.message) ? "" : `: ${violation.message}`;
    return `${indent}field ${violation.path || "/"}${what}${describeValue(violation)}`;
  });
}

function describeValue(violation: Violation): string {
  return "value" in violation ? ` (the value was ${JSON.stringify(violation.value)})` : "";
}
