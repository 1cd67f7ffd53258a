import type { Emulator } from "@gwenmap/gwen-adapter/emulator";
import { userIdFor } from "./events.js";

/** What reached GWEN for a run, per event: the figures of the results table. */
export interface Tally {
  readonly events: number;
  /** Events that reached an emulator at least once. */
  readonly delivered: number;
  /** Operations beyond the first for an event. */
  readonly duplicates: number;
  /** Events never delivered. */
  readonly lost: number;
  /** Indexes of lost events. */
  readonly lostIndexes: readonly number[];
  /** How many times each delivered event arrived, summed over the emulators. */
  readonly counts: ReadonlyMap<string, number>;
}

/** How many operations each user received at one emulator. */
export function countByUser(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of emulator.requests()) {
    const userId = String(request.variables.userId);
    counts.set(userId, (counts.get(userId) ?? 0) + 1);
  }
  return counts;
}

/** Counts the events `0..events-1` of `run` over every emulator that may have received them. */
export function tally(run: number, events: number, emulators: readonly Emulator[]): Tally {
  const counts = new Map<string, number>();
  for (const emulator of emulators) {
    for (const [userId, count] of countByUser(emulator)) {
      counts.set(userId, (counts.get(userId) ?? 0) + count);
    }
  }
  const lostIndexes: number[] = [];
  let duplicates = 0;
  for (let index = 0; index < events; index++) {
    const count = counts.get(userIdFor(run, index)) ?? 0;
    if (count === 0) lostIndexes.push(index);
    else duplicates += count - 1;
  }
  return {
    events,
    delivered: events - lostIndexes.length,
    duplicates,
    lost: lostIndexes.length,
    lostIndexes,
    counts,
  };
}

/** Distinct users of `run` an emulator has seen (cheap enough to poll). */
export function distinctUsers(emulators: readonly Emulator[]): number {
  const users = new Set<string>();
  for (const emulator of emulators) {
    for (const request of emulator.requests()) users.add(String(request.variables.userId));
  }
  return users.size;
}
