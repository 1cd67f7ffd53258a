import type { Readable } from "node:stream";

/** A line of the input, or a piece of one too long to hold (`end: false` until its last piece). */
export interface LinePiece {
  readonly bytes: Buffer;
  /** 1-based line number. */
  readonly line: number;
  /** True for a line's last (or only) piece. */
  readonly end: boolean;
}

/** A line longer than this is passed on in pieces instead of held whole. */
export const MAX_HELD_LINE_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * The input's lines as bytes, without their line break (`\n` or `\r\n`) and
 * without a leading byte order mark. Splitting buffers (rather than through
 * `readline` and strings) keeps reading cheap; memory holds one line, or
 * one piece of a line longer than `MAX_HELD_LINE_BYTES`.
 */
export async function* linePieces(input: Readable): AsyncGenerator<LinePiece> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let line = 1;
  let first = true;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (first && bytes.length > 0) {
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    let start = 0;
    for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, at);
      const whole = heldBytes === 0 ? piece : Buffer.concat([...held, piece]);
      yield { bytes: withoutCarriageReturn(whole), line, end: true };
      held = [];
      heldBytes = 0;
      line++;
      start = at + 1;
    }
    if (start < bytes.length) {
      held.push(bytes.subarray(start));
      heldBytes += bytes.length - start;
      if (heldBytes > MAX_HELD_LINE_BYTES) {
        yield { bytes: Buffer.concat(held), line, end: false };
        held = [];
        heldBytes = 0;
      }
    }
  }
  if (heldBytes > 0) yield { bytes: withoutCarriageReturn(Buffer.concat(held)), line, end: true };
}

function withoutCarriageReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
}
