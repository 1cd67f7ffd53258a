import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { CliError } from "../errors.js";
import type { FailureRecord } from "./failure-record.js";

/**
 * The NDJSON file of what did not reach GWEN. Created at the first failure
 * (a run without failures leaves no file), written with backpressure.
 */
export class FailuresFile {
  readonly path: string;
  #stream: WriteStream | undefined;
  #error: Error | undefined;
  #count = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** How many records were written. */
  get count(): number {
    return this.#count;
  }

  async write(record: FailureRecord): Promise<void> {
    const stream = this.#open();
    this.#count++;
    try {
      if (!stream.write(`${JSON.stringify(record)}\n`)) await once(stream, "drain");
    } finally {
      this.#throwIfFailed();
    }
  }

  async close(): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    try {
      stream.end();
      if (!stream.closed) await once(stream, "close");
    } finally {
      this.#throwIfFailed();
    }
  }

  #open(): WriteStream {
    if (this.#stream) return this.#stream;
    const stream = createWriteStream(this.path, { flags: "w" });
    stream.on("error", (error) => {
      this.#error = error;
    });
    this.#stream = stream;
    return stream;
  }

  #throwIfFailed(): void {
    if (!this.#error) return;
    throw new CliError(
      "E_FILE",
      `cannot write the failures file ${this.path}: ${this.#error.message}`,
      {
        cause: this.#error,
      },
    );
  }
}
