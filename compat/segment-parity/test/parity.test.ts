import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divergences } from "./divergences.js";
import { loadGwenmapPresets } from "./gwenmap-presets.js";
import type { Outcome } from "./outcome.js";
import { loadSegmentDestination } from "./segment-destination.js";
import { segmentEvents } from "./segment-events.js";

/** `npm test` runs a fixed seed (the same events every run); `npm run test:long` a random one, printed. */
const runs = Number(process.env.GWENMAP_PARITY_RUNS ?? 3_000);
const seed =
  process.env.GWENMAP_PARITY_SEED === "random" ||
  (process.env.GWENMAP_PARITY_RUNS && !process.env.GWENMAP_PARITY_SEED)
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.GWENMAP_PARITY_SEED ?? 20_241_204);

const segment = loadSegmentDestination();
const gwenmap = await loadGwenmapPresets();

/** How each event ended on gwenmap's side, to show the comparisons covered every kind. */
const seen = new Map<string, number>();
const count = (name: string) => seen.set(name, (seen.get(name) ?? 0) + 1);

async function compare(event: Record<string, unknown>): Promise<void> {
  const text = JSON.stringify(event);
  const ours = await gwenmap(text);
  count(ours.kind === "sent" ? `sent ${ours.requests.length}` : ours.kind);
  // Segment's tracking API refuses these before any destination sees them: nothing to compare
  if (ours.kind === "refused") return;
  const theirs = await segment(JSON.parse(text));
  const applying = divergences.filter((divergence) => divergence.applies(event, theirs));
  let expected: Outcome = ours;
  if (applying.length > 0) {
    const read = applying.reduce<Record<string, unknown>>(
      (current, divergence) => divergence.event?.(current) ?? current,
      event,
    );
    if (read !== event) expected = await gwenmap(JSON.stringify(read));
    expected = applying.reduce<Outcome>(
      (current, divergence) => divergence.outcome?.(current) ?? current,
      expected,
    );
    for (const divergence of applying) count(`divergence: ${divergence.name}`);
  }
  if (!same(theirs, expected)) {
    const segmentSide = JSON.stringify(comparable(theirs));
    const gwenmapSide = JSON.stringify(comparable(expected));
    throw new Error(
      `Segment's destination and gwenmap's presets differ on ${text}\n  Segment: ${segmentSide}\n  gwenmap: ${gwenmapSide}`,
    );
  }
}

describe("gwenmap's presets and Segment's GWEN destination", () => {
  it(`send the same GraphQL requests, or reject with the same messages (${runs} events, seed ${seed})`, async () => {
    try {
      await fc.assert(fc.asyncProperty(segmentEvents, compare), {
        numRuns: runs,
        seed,
        includeErrorInReport: true,
      });
    } catch (error) {
      throw new Error(
        `parity failed: reproduce with GWENMAP_PARITY_SEED=${seed}\n${(error as Error).message}`,
      );
    }
    console.log(`parity: ${runs} events, seed ${seed}:`, Object.fromEntries([...seen].sort()));
    // the comparisons covered deliveries of both actions, rejections and refusals
    expect(seen.get("sent 1") ?? 0).toBeGreaterThan(runs / 10);
    expect(seen.get("rejected") ?? 0).toBeGreaterThan(runs / 20);
    expect(seen.get("refused") ?? 0).toBeGreaterThan(runs / 50);
  }, 600_000);
});

function same(a: Outcome, b: Outcome): boolean {
  return JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));
}

/** A Segment runtime failure is compared by its error's name only. */
function comparable(outcome: Outcome): Outcome {
  if (outcome.kind !== "failed") return outcome;
  return { kind: "failed", message: outcome.message.split(":")[0] ?? "" };
}
