import { createInterface } from "node:readline";
import { startChild } from "./child-process.js";
import type { LoadResult } from "./load-result.js";

/** One load run: autocannon's options that matter here. */
export interface LoadOptions {
  readonly url: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
  readonly connections: number;
  /** Seconds, unless `amount` is set. */
  readonly durationSeconds?: number;
  /** A fixed number of requests instead of a duration. */
  readonly amount?: number;
  /** Requests per second across all connections; unset: as fast as the server answers. */
  readonly overallRate?: number;
}

/** autocannon in a child process of its own, taking one run at a time. */
export interface LoadGenerator {
  run(options: LoadOptions): Promise<LoadResult>;
  /** Several loads at once (e.g. one per server instance), one result each. */
  runTogether(loads: readonly LoadOptions[]): Promise<LoadResult[]>;
  stop(): Promise<void>;
}

/** Starts the load generator process (`src/children/autocannon.ts`). */
export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = await startChild("autocannon.ts", { stdin: true });
  const answers = createInterface({ input: child.process.stdout! })[Symbol.asyncIterator]();
  let queue = Promise.resolve();
  const run = async (loads: readonly LoadOptions[]): Promise<LoadResult[]> => {
    child.process.stdin!.write(`${JSON.stringify(loads.map(toAutocannon))}\n`);
    const answer = await answers.next();
    if (answer.done) throw new Error("the load generator exited");
    return JSON.parse(answer.value) as LoadResult[];
  };
  const runTogether = (loads: readonly LoadOptions[]) => {
    const result = queue.then(() => run(loads));
    queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
  return {
    runTogether,
    run: (options) => runTogether([options]).then(([result]) => result!),
    async stop() {
      child.process.stdin!.end();
      await child.stop();
    },
  };
}

function toAutocannon(options: LoadOptions): Record<string, unknown> {
  return {
    url: options.url,
    method: "POST",
    body: options.body,
    headers: { "content-type": "application/json", ...options.headers },
    connections: options.connections,
    timeout: 30,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    ...(options.amount === undefined
      ? { duration: options.durationSeconds ?? 1 }
      : { amount: options.amount }),
  };
}
