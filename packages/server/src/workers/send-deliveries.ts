import {
  type GwenClient,
  isActionName,
  type Outcome,
  type PreparedItem,
} from "@gwenmap/gwen-adapter";
import type { ClaimedDelivery } from "../queue/job-store.js";

/** What sending needs of the GWEN client (or of a rate-limited wrapper around it). */
export type DeliverySender = Pick<GwenClient, "sendBatch">;

/**
 * Sends deliveries to GWEN in one request (`sendBatch`: aliased mutations in
 * one GraphQL operation, a plain mutation for one; an outcome per delivery).
 * A delivery whose action the adapter does not know is not sent; its outcome
 * is permanent. Answers the outcomes in order.
 */
export async function sendDeliveries(
  client: DeliverySender,
  deliveries: readonly ClaimedDelivery[],
  signal: AbortSignal,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(deliveries.length);
  const sendable: { index: number; item: PreparedItem }[] = [];
  deliveries.forEach(({ action, variables }, index) => {
    if (isActionName(action)) sendable.push({ index, item: { action, variables } });
    else
      outcomes[index] = {
        kind: "permanent",
        message: `the adapter has no action "${action}"`,
        durationMs: 0,
      };
  });
  if (sendable.length === 0) return outcomes;
  const answers = await client.sendBatch(
    sendable.map(({ item }) => item),
    { signal },
  );
  sendable.forEach(({ index }, position) => {
    outcomes[index] = answers[position] as Outcome;
  });
  return outcomes;
}
