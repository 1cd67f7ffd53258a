import type { EmulatorFaults } from "@gwenmap/gwen-adapter/emulator";
import type { ChildServer } from "./child-server.js";

/** Replaces the emulator's faults (`{}`: none). */
export async function setEmulatorFaults(
  emulator: ChildServer,
  faults: EmulatorFaults,
): Promise<void> {
  const response = await fetch(new URL("/_emulator/faults", emulator.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`emulator faults: HTTP ${response.status}`);
}

/** The emulator's counters since they were last reset (`operations`, `rateLimited`, ...). */
export async function emulatorStats(emulator: ChildServer): Promise<Record<string, number>> {
  const response = await fetch(new URL("/_emulator/stats", emulator.url));
  return (await response.json()) as Record<string, number>;
}

/** Sets every counter of the emulator back to 0. */
export async function resetEmulatorStats(emulator: ChildServer): Promise<void> {
  await fetch(new URL("/_emulator/stats", emulator.url), { method: "DELETE" });
}
