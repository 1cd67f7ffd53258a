import { type BatchItem, GwenClient } from "@gwenmap/gwen-adapter";
import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";

/** The sendEvent payload the adapter suite delivers (an Order Completed, mapped). */
export const deliveryPayload = {
  userId: "8d6f2a4e-3b1c-4f5e-9a7d-2c1b0e9f8a7d",
  type: "order_completed",
  data: { orderId: "50314b8e9bcf000000000000", revenue: 134.46, currency: "USD", itemCount: 3 },
};

/** How one client run is shaped. */
export interface ClientRun {
  readonly endpoint: string;
  /** Requests in flight at once (and connections in the pool). */
  readonly concurrency: number;
  /** Deliveries per request: 1 uses `send`, more `sendBatch`. */
  readonly batchSize: number;
  readonly seconds: number;
  /** The sendEvent payload (default `deliveryPayload`): compare with what the contender sends. */
  readonly payload?: Record<string, unknown>;
}

/** Deliveries per second, and how many did not come back `ok` (a valid run has none). */
export interface ClientResult {
  readonly deliveriesPerSecond: number;
  readonly failed: number;
}

/**
 * Keeps `concurrency` requests in flight through one `GwenClient` (a fresh
 * pool per run, as a process starting up would have) for `seconds`.
 */
export async function measureClient(run: ClientRun): Promise<ClientResult> {
  const client = new GwenClient({
    apiKey: DEFAULT_EMULATOR_API_KEY,
    endpoint: run.endpoint,
    connections: run.concurrency,
  });
  const payload = run.payload ?? deliveryPayload;
  const items: BatchItem[] = Array.from({ length: run.batchSize }, () => ({
    action: "sendEvent",
    payload,
  }));
  let delivered = 0;
  let failed = 0;
  const start = performance.now();
  const deadline = start + run.seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const outcomes =
        run.batchSize === 1
          ? [await client.send("sendEvent", payload)]
          : await client.sendBatch(items);
      for (const outcome of outcomes) {
        if (outcome.kind === "ok") delivered++;
        else failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: run.concurrency }, loop));
  const seconds = (performance.now() - start) / 1000;
  await client.close();
  return { deliveriesPerSecond: delivered / seconds, failed };
}
