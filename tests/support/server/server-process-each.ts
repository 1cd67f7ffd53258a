import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { beforeEach } from "vitest";
import { cleanupAfterEach } from "../cleanup/cleanups.js";
import {
  type ServerProcess,
  spawnServer,
  temporaryDataDir,
  temporaryMappingsDir,
} from "./spawn-server.js";

/** What each test of a file gets: its own emulator, data directory and mappings directory. */
export interface ServerProcessSetup {
  readonly emulator: Emulator;
  readonly dataDir: string;
  readonly mappingsDir: string;
  /**
   * Starts the server process on them, delivering to the emulator, with
   * `env` added (`GWENMAP_WATCH` off unless `env` says otherwise); it is
   * killed after the test.
   */
  start(env?: Record<string, string>): Promise<ServerProcess>;
}

/**
 * Registers, for every test of the calling file, a fresh GWEN emulator, data
 * directory and mappings directory (holding `mappings`: name -> text), and
 * their removal after it with the server the test started.
 */
export function serverProcessEach(options: {
  readonly writeKeys: string;
  readonly mappings?: Readonly<Record<string, string>>;
}): ServerProcessSetup {
  let parts:
    | {
        emulator: Emulator;
        data: Awaited<ReturnType<typeof temporaryDataDir>>;
        mappings: Awaited<ReturnType<typeof temporaryMappingsDir>>;
      }
    | undefined;
  const cleanup = cleanupAfterEach();
  const current = () => {
    if (parts === undefined) throw new Error("serverProcessEach: used outside a test");
    return parts;
  };
  // Each part is removed after the test even when another's removal fails, or the set-up stopped halfway.
  beforeEach(async () => {
    cleanup(() => {
      parts = undefined;
    });
    const emulator = await startEmulator();
    cleanup(() => emulator.close());
    const data = await temporaryDataDir();
    cleanup(() => data.remove());
    const mappings = await temporaryMappingsDir(options.mappings);
    cleanup(() => mappings.remove());
    parts = { emulator, data, mappings };
  });
  return {
    get emulator() {
      return current().emulator;
    },
    get dataDir() {
      return current().data.dir;
    },
    get mappingsDir() {
      return current().mappings.dir;
    },
    async start(env = {}) {
      const { emulator, data, mappings } = current();
      const server = await spawnServer({
        GWENMAP_DATA_DIR: data.dir,
        GWENMAP_MAPPINGS: mappings.dir,
        GWENMAP_WRITE_KEYS: options.writeKeys,
        GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
        GWEN_ENDPOINT: emulator.url,
        GWENMAP_WATCH: "0",
        ...env,
      });
      cleanup(() => server.stop("SIGKILL"));
      return server;
    },
  };
}
