/** A valid GWEN user id (uuid) that is unique for each number. */
export function userIdFor(index: number): string {
  return `8d6f2a4e-3b1c-4f5e-9a7d-${index.toString(16).padStart(12, "0")}`;
}

/** A Segment track call for user `index`. */
export function trackEvent(
  index: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: "track",
    event: "Level Completed",
    userId: userIdFor(index),
    messageId: `message-${index}`,
    properties: { level: index % 50, score: index },
    ...extra,
  };
}

/** A Segment identify call for user `index`. */
export function identifyEvent(index: number): Record<string, unknown> {
  return {
    type: "identify",
    userId: userIdFor(index),
    messageId: `message-${index}`,
    context: { ip: "203.0.113.7", userAgent: "Mozilla/5.0" },
  };
}

/** NDJSON of `count` events, one delivery each with the shipped presets (every fifth an identify call). */
export function eventsNdjson(count: number): string {
  const lines: string[] = new Array(count);
  for (let index = 0; index < count; index++) {
    lines[index] = JSON.stringify(index % 5 === 0 ? identifyEvent(index) : trackEvent(index));
  }
  return `${lines.join("\n")}\n`;
}

export const EMULATOR_KEY = "gwen-emulator-key";
