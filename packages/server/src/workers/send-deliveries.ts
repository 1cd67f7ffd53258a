import type { GwenClient, Outcome } from "@gwenmap/gwen-adapter";
import type { ClaimedDelivery } from "../queue/job-store.js";

/** What sending needs of the GWEN client (or of a rate-limited wrapper around it). */
export type DeliverySender = Pick<GwenClient, "sendBatch">;

/**
 * Sends deliveries to GWEN in one request (`sendBatch`: aliased mutations in
 * one GraphQL operation, a plain mutation for one; an outcome per delivery,
 * in order). A delivery whose action the adapter does not know is not sent:
 * the adapter answers it `permanent`.
 */
export function sendDeliveries(
  client: DeliverySender,
  deliveries: readonly ClaimedDelivery[],
  signal: AbortSignal,
): Promise<Outcome[]> {
  return client.sendBatch(
    deliveries.map(({ action, variables }) => ({ action, variables })),
    { signal },
  );
}
