import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { loadEngine } from "../../src/engine/load-engine.js";
import type { MapResult, RejectionCode } from "../../src/engine/map-result.js";
import type { EvaluationLimits } from "../../src/evaluator/evaluator.js";
import { contracts } from "../contracts.js";
import { mappingDir } from "../mapping-dir.js";

/** Every code a rejection may carry: anything else is a bug. */
export const REJECTION_CODES: readonly RejectionCode[] = [
  "E_EVENT_INVALID",
  "E_TRIGGER_FAILED",
  "E_EVALUATION_FAILED",
  "E_EVALUATION_TIMEOUT",
  "E_EVALUATION_DEPTH",
  "E_PAYLOAD_NOT_OBJECT",
  "E_PAYLOAD_INVALID",
  "E_PAYLOAD_TOO_LARGE",
  "E_PAYLOAD_TOO_DEEP",
];

/** The presets shipped in the repository's mappings/ folder, as mapping files. */
export function shippedPresets(): Record<string, string> {
  const text = (name: string) =>
    readFileSync(new URL(`../../../../mappings/${name}.jsonata`, import.meta.url), "utf8");
  return {
    "send-event.jsonata": text("send-event"),
    "identify-user.jsonata": text("identify-user"),
  };
}

/** An engine over the given mapping files; fails the test when they do not load. */
export async function engineOf(
  files: Record<string, string>,
  limits?: Partial<EvaluationLimits>,
): Promise<{ engine: Engine; remove: () => Promise<void> }> {
  const dir = await mappingDir(files);
  const loaded = await loadEngine(dir.dir, { contracts, ...(limits ? { limits } : {}) });
  if (!loaded.ok) {
    await dir.remove();
    throw new Error(loaded.errors.map((error) => error.message).join("\n"));
  }
  return { engine: loaded.engine, remove: dir.remove };
}

/**
 * What every result must be, whatever the input: data (never an exception),
 * payloads that are plain JSON, rejections with a known code and a sentence.
 */
export function expectWellFormed(result: MapResult): void {
  expect(Array.isArray(result.deliveries)).toBe(true);
  expect(Array.isArray(result.rejections)).toBe(true);
  for (const delivery of result.deliveries) {
    expect(JSON.parse(JSON.stringify(delivery.payload))).toEqual(delivery.payload);
  }
  for (const rejection of result.rejections) {
    expect(REJECTION_CODES).toContain(rejection.code);
    expect(rejection.message.length).toBeGreaterThan(10);
  }
}
