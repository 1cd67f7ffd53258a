import { type Emulator, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { cleanupAfterEach } from "../cleanup/cleanups.js";
import type { ServerProcess } from "../server/spawn-server.js";
import { startReliabilityServer } from "./reliability-server.js";
import { SmallFilesystem } from "./small-filesystem.js";

/** What a storage test starts: each is stopped after the test, the last started first. */
export interface StorageTestResources {
  /** Runs `cleanup` after the test. */
  add(cleanup: () => Promise<unknown> | unknown): void;
  /** A tmpfs of `sizeKb` KB (see `SmallFilesystem`), unmounted after the test. */
  smallFilesystem(sizeKb: number): SmallFilesystem;
  emulator(): Promise<Emulator>;
  /** The server process on `dataDir`, delivering to `gwen`; killed after the test. */
  server(gwen: Emulator, dataDir: string): Promise<ServerProcess>;
}

/** Call at the top of a test file: registers the `afterEach` that stops what each test started. */
export function storageTestResources(): StorageTestResources {
  const add = cleanupAfterEach();
  return {
    add,
    smallFilesystem(sizeKb) {
      const mounted = SmallFilesystem.mount(sizeKb);
      add(() => mounted.unmount());
      return mounted;
    },
    async emulator() {
      const started = await startEmulator();
      add(() => started.close());
      return started;
    },
    async server(gwen, dataDir) {
      const started = await startReliabilityServer(gwen, dataDir);
      add(() => started.stop("SIGKILL"));
      return started;
    },
  };
}
