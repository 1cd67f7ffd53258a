/** One operation the emulator accepted (one per alias of a batched request). */
export interface RecordedRequest {
  /** `SendEvent` or `UserSession` (the request's own name when it was not batched). */
  operationName: string;
  /** The operation's variables, unprefixed (`userId`, `type`, `data` / `userId`, `session`). */
  variables: Record<string, unknown>;
  /** When the HTTP request arrived, ISO 8601. */
  receivedAt: string;
  /** The alias (`e0`, `e1`, ...) when it came in a batch. */
  alias?: string;
}

interface Entry {
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
  readonly receivedAtMs: number;
  readonly alias: string | undefined;
}

/**
 * The accepted operations, in arrival order: every one, or the latest `limit`.
 * Entries keep the arrival time as a number and become `RecordedRequest`s
 * only when read, so recording 100k requests in a benchmark costs one small
 * object each.
 */
export class Recorder {
  readonly #limit: number;
  #entries: Entry[] = [];

  constructor(limit = Number.POSITIVE_INFINITY) {
    this.#limit = limit;
  }

  record(entry: Entry): void {
    this.#entries.push(entry);
    // Trimmed once it holds twice the limit: each entry is moved at most once.
    if (this.#entries.length >= 2 * this.#limit) this.#entries = this.#entries.slice(-this.#limit);
  }

  get size(): number {
    return Math.min(this.#entries.length, this.#limit);
  }

  list(): RecordedRequest[] {
    return this.#entries
      .slice(-this.#limit)
      .map(({ operationName, variables, receivedAtMs, alias }) => ({
        operationName,
        variables,
        receivedAt: new Date(receivedAtMs).toISOString(),
        ...(alias === undefined ? {} : { alias }),
      }));
  }

  clear(): void {
    this.#entries = [];
  }
}
