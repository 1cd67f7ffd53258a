import { fileURLToPath } from "node:url";
import { eventSizeRejection, loadEngine, type MapResult } from "@gwenmap/core";
import { actions, buildRequest, isActionName } from "@gwenmap/gwen-adapter";
import { comparableRequest, type Outcome } from "./outcome.js";

/** The presets `gwenmap init` writes, the same files as the repository's `mappings/`. */
export const PRESETS_DIR = fileURLToPath(
  new URL("../../../packages/cli/templates/mappings", import.meta.url),
);

/**
 * gwenmap's presets as a front end runs them on the JSON text of one event:
 * the 32 KB limit on its bytes, then the engine (event rules, triggers,
 * expressions, payload validation), then the adapter's GraphQL request.
 */
export async function loadGwenmapPresets(): Promise<(text: string) => Promise<Outcome>> {
  const loaded = await loadEngine(PRESETS_DIR, { contracts: actions });
  if (!loaded.ok) throw new Error(loaded.errors.map((error) => error.message).join("\n"));
  const { engine } = loaded;
  return async (text) => {
    const tooLarge = eventSizeRejection(Buffer.byteLength(text));
    if (tooLarge) return { kind: "refused", reason: tooLarge.message };
    return outcomeOf(await engine.mapEvent(JSON.parse(text)));
  };
}

function outcomeOf(result: MapResult): Outcome {
  const refusal = result.rejections.find((rejection) => rejection.code === "E_EVENT_INVALID");
  if (refusal) return { kind: "refused", reason: refusal.message };
  const [other] = result.rejections.filter((rejection) => rejection.code !== "E_PAYLOAD_INVALID");
  if (other) return { kind: "failed", message: `${other.code}: ${other.message}` };
  if (result.rejections.length > 0) {
    const messages = result.rejections.flatMap((r) => r.violations?.map((v) => v.message) ?? []);
    return { kind: "rejected", messages: messages.sort() };
  }
  const requests = result.deliveries.map((delivery) => {
    if (!isActionName(delivery.action)) throw new Error(`unknown action ${delivery.action}`);
    return comparableRequest(JSON.stringify(buildRequest(delivery.action, delivery.payload)));
  });
  return { kind: "sent", requests };
}
