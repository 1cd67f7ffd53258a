import { randomUUID } from "node:crypto";
import { startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { type ServerProcess, writeKeyHeader } from "./server-process.js";

/** Longer than any poll of the server's workers: an event not delivered by then is lost, not late. */
const DELIVERY_TIMEOUT_MS = 30_000;

/**
 * The GWEN emulator in the bench's own process, noting when each user's
 * delivery reaches it on the bench's clock: one event in flight at a time
 * leaves the process idle, so the note is taken as the request arrives.
 */
export interface ArrivalClock {
  readonly url: string;
  /** When the delivery for `userId` reached the emulator (`performance.now()`); ask before posting. */
  arrival(userId: string): Promise<number>;
  close(): Promise<void>;
}

export async function startArrivalClock(): Promise<ArrivalClock> {
  const waiting = new Map<string, (at: number) => void>();
  const emulator = await startEmulator({
    onRequest: (request) => {
      const at = performance.now();
      const userId = String(request.variables.userId);
      waiting.get(userId)?.(at);
      waiting.delete(userId);
    },
  });
  return {
    url: emulator.url,
    arrival: (userId) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(userId);
          reject(new Error(`no delivery for ${userId} within ${DELIVERY_TIMEOUT_MS} ms`));
        }, DELIVERY_TIMEOUT_MS);
        waiting.set(userId, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      }),
    close: () => emulator.close(),
  };
}

/**
 * Posts one track call (a fresh user, so its delivery is told apart) to
 * `server` and answers the milliseconds from just before the request until
 * the emulator received its delivery, whichever instance sent it.
 */
export async function postToDelivery(server: ServerProcess, clock: ArrivalClock): Promise<number> {
  const userId = randomUUID();
  const arrived = clock.arrival(userId);
  // Should the post fail, its error is the one reported, not the timeout that follows.
  arrived.catch(() => {});
  const sentAt = performance.now();
  const answer = await fetch(`${server.url}/v1/track`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: writeKeyHeader },
    body: JSON.stringify({ userId, event: "Level Completed", properties: { level: 3 } }),
  });
  await answer.arrayBuffer();
  if (answer.status !== 200)
    throw new Error(`the server answered ${answer.status} to a track call`);
  return (await arrived) - sentAt;
}

/** The nearest-rank percentile (`p` in 0-100) of `values`, which must not be empty. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
