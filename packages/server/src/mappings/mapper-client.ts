import type { Worker } from "node:worker_threads";
import { ServerError } from "../errors.js";
import { startThread } from "../threads/start-thread.js";
import type { MapperResponse, MapperSettings, MapperTask, MapperTasks } from "./mapper-protocol.js";

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * The main thread's side of the mapping thread: posts tasks, resolves each
 * with the thread's answer. A thread that dies takes its tasks with it
 * (they reject with `E_MAPPER_STOPPED`); `stopped` then tells its owner.
 */
export class MapperClient {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #seq = 0;
  #stopped: ServerError | undefined;
  #closing = false;

  constructor(settings: MapperSettings) {
    this.#worker = startThread(import.meta.url, "mapper-thread", settings);
    this.#worker.on("message", (response: MapperResponse) => this.#settle(response));
    this.#worker.on("error", (error) => this.#stop(error.message, error));
    this.#worker.on("exit", (code) => this.#stop(`it exited with code ${code}`));
  }

  /** Set once the thread has died (not when closed): its owner starts another. */
  get stopped(): ServerError | undefined {
    return this.#stopped;
  }

  run<K extends keyof MapperTasks>(
    type: K,
    input: MapperTasks[K]["input"],
  ): Promise<MapperTasks[K]["output"]> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const seq = this.#seq++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(seq, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ seq, task: { type, input } as MapperTask });
    });
  }

  /** Lets the tasks posted finish, then ends the thread. */
  async close(): Promise<void> {
    if (this.#closing || this.#stopped) return;
    this.#closing = true;
    const exited = new Promise<void>((resolve) => this.#worker.once("exit", () => resolve()));
    this.#worker.postMessage("close");
    await exited;
  }

  #settle(response: MapperResponse): void {
    const waiting = this.#waiting.get(response.seq);
    this.#waiting.delete(response.seq);
    if (!waiting) return;
    if (response.ok) waiting.resolve(response.value);
    else waiting.reject(new Error(`mapping failed in the mapping thread: ${response.message}`));
  }

  #stop(reason: string, cause?: unknown): void {
    if (this.#closing && this.#waiting.size === 0) return;
    this.#stopped ??= new ServerError(
      "E_MAPPER_STOPPED",
      `The mapping thread stopped (${reason}); the round is mapped again by a new thread, nothing is lost.`,
      { cause },
    );
    for (const waiting of this.#waiting.values()) waiting.reject(this.#stopped);
    this.#waiting.clear();
  }
}
