import { type DeliveryPolicy, decideDelivery, type Outcome } from "@gwenmap/gwen-adapter";
import type { ClaimedDelivery, Settlement } from "../queue/job-store.js";

/**
 * What the store records for a delivery after GWEN's answer, as the adapter's
 * delivery policy decides (`decideDelivery`): delivered; retried at its next
 * attempt; dead-lettered; or released untouched when GWEN refuses the API key
 * (delivery pauses, the attempt is not counted).
 */
export function decideSettlement(
  delivery: ClaimedDelivery,
  outcome: Outcome,
  context: { readonly now: number; readonly policy: DeliveryPolicy },
): Settlement {
  const { id, attempts, windowStart } = delivery;
  const progress = { attempts: attempts + 1, windowStart, now: context.now };
  const step = decideDelivery(outcome, progress, context.policy);
  switch (step.next) {
    case "delivered":
      return { id, result: "delivered" };
    case "retry":
      return { id, result: "retry", nextAttemptAt: step.at, reason: step.failure };
    case "dead":
      return { id, result: "dead", reason: step.failure };
    case "pause":
      return { id, result: "released", reason: step.failure };
  }
}
