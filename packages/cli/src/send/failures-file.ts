import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { CliError } from "../errors.js";
import type { FailureRecord } from "./failure-record.js";

/** Where a backfill puts what did not reach GWEN: the failures file, or a dry run's list. */
export interface FailureSink {
  /** How many records were written. */
  readonly count: number;
  write(record: FailureRecord): Promise<void>;
  close(): Promise<void>;
}

/**
 * The NDJSON file of what did not reach GWEN. Created at the first failure
 * (a run without failures leaves no file), written with backpressure: every
 * writer waits for the same `drain`, however many write at once.
 */
export class FailuresFile implements FailureSink {
  readonly path: string;
  #stream: WriteStream | undefined;
  #error: Error | undefined;
  #count = 0;
  #drained: Promise<void> | undefined;

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
      if (!stream.write(`${JSON.stringify(record)}\n`)) await this.#drain(stream);
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

  #drain(stream: WriteStream): Promise<void> {
    this.#drained ??= once(stream, "drain").then(
      () => {
        this.#drained = undefined;
      },
      () => {
        this.#drained = undefined; // the stream's error is kept by its error listener
      },
    );
    return this.#drained;
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

/**
 * A dry run's failures: counted, the first few kept to show, nothing
 * written. A dry run sent nothing, so a file of "failures" to re-send would
 * mislead: re-sending it would deliver only the rejected events.
 */
export class DryRunRejections implements FailureSink {
  /** The first records, in the order they came. */
  readonly first: FailureRecord[] = [];
  readonly #keep: number;
  #count = 0;

  constructor(keep: number) {
    this.#keep = keep;
  }

  get count(): number {
    return this.#count;
  }

  async write(record: FailureRecord): Promise<void> {
    this.#count++;
    if (this.first.length < this.#keep) this.first.push(record);
  }

  async close(): Promise<void> {}
}

/**
 * Where the failures of a run reading `input` go by default: beside it,
 * `events.failures.ndjson`; re-sending a failures file counts up
 * (`events.failures-2.ndjson`, `-3`, ...) rather than stacking suffixes.
 */
export function defaultFailuresPath(input: string): string {
  const slash = Math.max(input.lastIndexOf("/"), input.lastIndexOf("\\"));
  const folder = input.slice(0, slash + 1);
  const name = input.slice(slash + 1).replace(/\.(ndjson|jsonl|json)$/i, "");
  const again = /^(.*)\.failures(?:-(\d+))?$/.exec(name);
  if (again) return `${folder}${again[1]}.failures-${Number(again[2] ?? 1) + 1}.ndjson`;
  return `${folder}${name}.failures.ndjson`;
}
