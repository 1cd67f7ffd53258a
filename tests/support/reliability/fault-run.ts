import { type Emulator, type EmulatorFaults, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { eventually, type ServerProcess, temporaryDataDir } from "../server/spawn-server.js";
import { BatchSender } from "./batch-sender.js";
import { startReliabilityServer, WRITE_KEY } from "./reliability-server.js";

/** A server process delivering to its own emulator, on its own data directory. */
export interface FaultRun {
  readonly emulator: Emulator;
  readonly server: ServerProcess;
  /** Sends events `0..events-1` of `run` and resolves once all are acknowledged. */
  send(run: number, events: number, perBatch?: number): Promise<void>;
  /** Stops the server and the emulator, and removes the data directory. */
  close(): Promise<void>;
}

/**
 * Starts an emulator and a server process delivering to it. `faults` are set
 * only once the server has asked GWEN about its key at start-up, so that they
 * strike deliveries, not the start.
 */
export async function startFaultRun(
  faults: EmulatorFaults,
  env: Record<string, string> = {},
): Promise<FaultRun> {
  const data = await temporaryDataDir();
  const emulator = await startEmulator();
  const server = await startReliabilityServer(emulator, data.dir, env);
  await eventually(
    () => ((emulator.stats().validateApiKey ?? 0) > 0 ? true : undefined),
    "the start-up key check",
  );
  emulator.setFaults(faults);
  return {
    emulator,
    server,
    async send(run, events, perBatch = 50) {
      const sender = new BatchSender({ run, events, perBatch, writeKey: WRITE_KEY });
      sender.point(server.url);
      await sender.run();
    },
    async close() {
      await server.stop("SIGKILL");
      await emulator.close();
      await data.remove();
    },
  };
}
