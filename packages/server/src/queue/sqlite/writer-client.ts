import type { Worker } from "node:worker_threads";
import { StoreError } from "../../errors.js";
import { startThread } from "../../threads/start-thread.js";
import type {
  CountDelta,
  OperationValues,
  WriteOperation,
  WriteResult,
  WriterMessage,
  WriterSettings,
} from "./write-protocol.js";

interface Waiting {
  resolve(result: { value: unknown; delta: CountDelta }): void;
  reject(error: Error): void;
}

/** SQLite codes that mean "the disk cannot take more now", answered with 503 and Retry-After. */
const UNAVAILABLE_CODES = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|PROTOCOL)/;

/**
 * The main thread's side of the writer thread: posts operations and resolves
 * each one when the group transaction holding it has committed.
 */
export class WriterClient {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  readonly #onDelta: (delta: CountDelta) => void;
  readonly #retryAfterSeconds: number;
  #seq = 0;
  #closed: Promise<void> | undefined;
  #failure: StoreError | undefined;

  private constructor(worker: Worker, options: WriterClientOptions) {
    this.#worker = worker;
    this.#onDelta = options.onDelta;
    this.#retryAfterSeconds = options.retryAfterSeconds;
    worker.on("message", (message: WriterMessage) => {
      if (message.type === "results") this.#settle(message.results);
    });
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", () => this.#fail(new Error("the writer thread stopped")));
  }

  /** Starts the writer thread; resolves once it has opened and migrated the store. */
  static start(settings: WriterSettings, options: WriterClientOptions): Promise<WriterClient> {
    const worker = startThread(import.meta.url, "writer-thread", settings);
    return new Promise((resolve, reject) => {
      const onExit = (code: number) =>
        reject(storeOpenError(settings.file, `the writer thread exited with code ${code}`));
      worker.once("error", (error) => reject(storeOpenError(settings.file, error.message, error)));
      worker.once("exit", onExit);
      worker.once("message", (message: WriterMessage) => {
        worker.off("exit", onExit);
        worker.removeAllListeners("error");
        if (message.type === "ready") resolve(new WriterClient(worker, options));
        else
          reject(storeOpenError(settings.file, message.type === "failed" ? message.message : ""));
      });
    });
  }

  /** Runs one operation in the next group transaction; resolves once it is committed. */
  run<K extends WriteOperation["op"]>(
    operation: Extract<WriteOperation, { op: K }>,
  ): Promise<OperationValues[K]> {
    if (this.#closed || this.#failure) {
      return Promise.reject(
        this.#failure ??
          new StoreError(
            "E_STORE_CLOSED",
            "The job store is closed: the server is shutting down; try again shortly.",
            { retryAfterSeconds: this.#retryAfterSeconds },
          ),
      );
    }
    const seq = this.#seq++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(seq, {
        resolve: ({ value, delta }) => {
          this.#onDelta(delta);
          resolve(value as OperationValues[K]);
        },
        reject,
      });
      this.#worker.postMessage({ seq, operation });
    });
  }

  /** Lets queued operations commit, then stops the thread and closes the connection. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.#worker.removeAllListeners("exit");
      this.#worker.once("exit", () => resolve());
      this.#worker.postMessage("close");
    });
    return this.#closed;
  }

  #settle(results: readonly WriteResult[]): void {
    for (const result of results) {
      const waiting = this.#waiting.get(result.seq);
      if (!waiting) continue;
      this.#waiting.delete(result.seq);
      if (result.ok) waiting.resolve(result);
      else waiting.reject(this.#writeError(result.message, result.sqliteCode));
    }
  }

  #writeError(message: string, sqliteCode: string | undefined): StoreError {
    if (sqliteCode && UNAVAILABLE_CODES.test(sqliteCode)) {
      return new StoreError(
        "E_STORE_UNAVAILABLE",
        `The job store cannot take more now (${sqliteCode}: ${message}); free disk space or raise GWENMAP_MAX_STORE_MB.`,
        { retryAfterSeconds: this.#retryAfterSeconds },
      );
    }
    return new StoreError("E_STORE_UNAVAILABLE", `A write to the job store failed: ${message}`, {
      retryAfterSeconds: this.#retryAfterSeconds,
    });
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.#failure = new StoreError(
      "E_STORE_UNAVAILABLE",
      `The job store's writer stopped (${error.message}); restart the server.`,
      { cause: error, retryAfterSeconds: this.#retryAfterSeconds },
    );
    for (const waiting of this.#waiting.values()) waiting.reject(this.#failure);
    this.#waiting.clear();
  }
}

export interface WriterClientOptions {
  readonly onDelta: (delta: CountDelta) => void;
  readonly retryAfterSeconds: number;
}

function storeOpenError(file: string, reason: string, cause?: unknown): StoreError {
  return new StoreError(
    "E_STORE_OPEN",
    `The job store ${file} cannot be opened: ${reason}. Check that GWENMAP_DATA_DIR is a writable directory.`,
    { cause },
  );
}
