import { once } from "node:events";
import type { Writable } from "node:stream";

/** Bytes gathered before one write: large enough that 100,000 short lines are a few dozen writes. */
const CHUNK_SIZE = 64 * 1024;

/**
 * Writes lines to a stream through a buffer, and waits for the stream to
 * drain when it says it is full, so a fast producer never piles output up in
 * memory. Call `flush` at the end.
 */
export class LineWriter {
  readonly #stream: Writable;
  #buffer = "";

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  /** Adds one line (a newline is appended); resolves at once unless the stream needs to drain. */
  async line(text: string): Promise<void> {
    this.#buffer += `${text}\n`;
    if (this.#buffer.length >= CHUNK_SIZE) await this.flush();
  }

  /** Writes what is buffered and waits until the stream has taken it. */
  async flush(): Promise<void> {
    if (this.#buffer === "") return;
    const chunk = this.#buffer;
    this.#buffer = "";
    if (!this.#stream.write(chunk)) await once(this.#stream, "drain");
  }
}
