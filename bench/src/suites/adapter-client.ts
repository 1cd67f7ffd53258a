import { type BatchItem, GwenClient, type Outcome } from "@gwenmap/gwen-adapter";
import { DEFAULT_EMULATOR_API_KEY } from "@gwenmap/gwen-adapter/emulator";
import type { SuiteOptions } from "../harness/figure.js";
import { loadTiming } from "../load/load-timing.js";
import { sendEventPayload } from "./engine-inputs.js";

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

/** How a front end's deliveries are sent: requests in flight, deliveries per request. */
export interface DeliveryShape {
  readonly concurrency: number;
  readonly batchSize: number;
}

/**
 * The baseline a front end's deliveries are set against: deliveries/s of
 * the bare client sending the shipped `send-event` payload (what the server
 * and `gwenmap send` deliver) in the same shape.
 */
export async function measureClientAlone(
  endpoint: string,
  shape: DeliveryShape,
  options: SuiteOptions,
): Promise<number> {
  const result = await measureClient({
    endpoint,
    ...shape,
    seconds: loadTiming(options).secondsPerRound,
    payload: sendEventPayload,
  });
  return result.deliveriesPerSecond;
}

/** The case name of `measureClientAlone`'s figure. */
export function clientAloneName({ concurrency, batchSize }: DeliveryShape): string {
  return batchSize > 1
    ? `GwenClient.sendBatch alone, ${batchSize} per request, same payload, concurrency ${concurrency}`
    : `GwenClient.send alone, same payload, concurrency ${concurrency}`;
}

/** How one paced client run is shaped: `send`, one delivery per request. */
export interface PacedClientRun {
  readonly endpoint: string;
  /** Connections in the pool. */
  readonly concurrency: number;
  readonly deliveriesPerSecond: number;
  readonly seconds: number;
  readonly payload: Record<string, unknown>;
}

const PACE_TICK_MS = 10;

/**
 * The CPU time this process spends per delivery sending at a steady
 * `deliveriesPerSecond` (started every 10 ms, as many as are due): the cost
 * of the bare act of delivering, to set the server's steady cost against.
 */
export async function measureClientCpu(run: PacedClientRun): Promise<number> {
  const client = new GwenClient({
    apiKey: DEFAULT_EMULATOR_API_KEY,
    endpoint: run.endpoint,
    connections: run.concurrency,
  });
  const total = Math.max(1, Math.round(run.deliveriesPerSecond * run.seconds));
  const sends: Promise<Outcome>[] = [];
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  while (sends.length < total) {
    const due = Math.min(
      total,
      Math.ceil(((performance.now() - start) / 1000) * run.deliveriesPerSecond),
    );
    while (sends.length < due) sends.push(client.send("sendEvent", run.payload));
    await new Promise((resolve) => setTimeout(resolve, PACE_TICK_MS));
  }
  const outcomes = await Promise.all(sends);
  const cpu = process.cpuUsage(cpuBefore);
  await client.close();
  const failed = outcomes.filter((outcome) => outcome.kind !== "ok").length;
  if (failed > 0) throw new Error(`paced client: ${failed} of ${total} deliveries failed`);
  return (cpu.user + cpu.system) / total;
}
