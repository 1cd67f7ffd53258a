import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { orderCompleted } from "./engine-inputs.js";

/** One NDJSON line: the engine suite's Order Completed with its own messageId. */
function line(index: number, event: Record<string, unknown>): string {
  return `${JSON.stringify({ ...event, messageId: `bench-${index}` })}\n`;
}

/**
 * An Order Completed call with 60 products (about 13 KB): a 1 GB backfill of
 * these is 80,000 lines, so the large-file run tests memory, not patience.
 */
export const largeOrder = {
  ...orderCompleted,
  properties: {
    ...orderCompleted.properties,
    products: Array.from({ length: 20 }, () => orderCompleted.properties.products).flat(),
  },
};

/** Writes an NDJSON file of `lines` events (or, with `bytes`, as many as fit) and answers the line count. */
export async function writeNdjson(
  path: string,
  size: { lines?: number; bytes?: number; event?: Record<string, unknown> },
): Promise<number> {
  const event = size.event ?? orderCompleted;
  const out = createWriteStream(path);
  let written = 0;
  let count = 0;
  while (
    (size.lines === undefined || count < size.lines) &&
    (size.bytes === undefined || written < size.bytes)
  ) {
    const text = line(count, event);
    written += Buffer.byteLength(text);
    count++;
    if (!out.write(text)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return count;
}
