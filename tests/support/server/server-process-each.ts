import {
  DEFAULT_EMULATOR_API_KEY,
  type Emulator,
  startEmulator,
} from "@gwenmap/gwen-adapter/emulator";
import { afterEach, beforeEach } from "vitest";
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
  const started: ServerProcess[] = [];
  const current = () => {
    if (parts === undefined) throw new Error("serverProcessEach: used outside a test");
    return parts;
  };
  beforeEach(async () => {
    parts = {
      emulator: await startEmulator(),
      data: await temporaryDataDir(),
      mappings: await temporaryMappingsDir(options.mappings),
    };
  });
  afterEach(async () => {
    for (const server of started.splice(0)) await server.stop("SIGKILL");
    const { emulator, data, mappings } = current();
    await emulator.close();
    await data.remove();
    await mappings.remove();
    parts = undefined;
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
      started.push(server);
      return server;
    },
  };
}
