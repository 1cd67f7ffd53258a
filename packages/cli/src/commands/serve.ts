import { defineCommand } from "citty";
import type { OptionChecks } from "../cli/command-module.js";
import { ExitCode } from "../cli/exit-code.js";
import { CliError } from "../errors.js";
import { parseWholeNumber } from "../options/resolve-options.js";
import { mappingsArg } from "../options/shared-args.js";
import { loadServer } from "../serve/load-server.js";

export const examples = [
  "gwenmap serve --emulator",
  "GWEN_API_KEY=... GWENMAP_WRITE_KEYS=wk_live_1 gwenmap serve --port 8080 --data-dir /var/lib/gwenmap",
  "gwenmap serve --mappings examples/mappings --write-key my-source-key --emulator",
];

const parsePort = (value?: string) =>
  parseWholeNumber("port", value, { min: 0, max: 65_535, example: 8080 });

export const optionChecks: OptionChecks = { port: parsePort };

export default defineCommand({
  meta: {
    name: "serve",
    description:
      "Run the gwenmap server: Segment's HTTP tracking API in, durable queue, delivery to GWEN with retries and dead letters (options win over the server's environment variables)",
  },
  args: {
    port: {
      type: "string",
      valueHint: "N",
      description: "Port to listen on; PORT, default 3000, 0 for a free one (e.g. --port 8080)",
    },
    host: {
      type: "string",
      valueHint: "HOST",
      description: "Interface to listen on; HOST, default 0.0.0.0 (e.g. --host 127.0.0.1)",
    },
    mappings: mappingsArg,
    "data-dir": {
      type: "string",
      valueHint: "DIR",
      description:
        "Folder of the SQLite queue; GWENMAP_DATA_DIR, default ./.gwenmap (e.g. --data-dir /var/lib/gwenmap)",
    },
    "queue-url": {
      type: "string",
      valueHint: "URL",
      description:
        "A PostgreSQL queue shared by several servers instead of the SQLite file; GWENMAP_QUEUE_URL, never printed with its password (e.g. --queue-url postgres://gwenmap@db/gwenmap)",
    },
    "write-key": {
      type: "string",
      valueHint: "KEYS",
      description:
        "Comma-separated write keys your Segment sources send; GWENMAP_WRITE_KEYS, never printed (e.g. --write-key wk_live_1)",
    },
    emulator: {
      type: "boolean",
      description:
        "Deliver to an in-process GWEN emulator instead of GWEN (the default without GWEN_API_KEY) (e.g. --emulator)",
    },
  },
  async run({ args }) {
    const port = parsePort(args.port);
    const writeKeys = args["write-key"]
      ?.split(",")
      .map((key) => key.trim())
      .filter(Boolean);
    // Loaded only here: the server's dependencies (fastify, SQLite) stay out of every other command.
    const { ServerError, startServer } = await loadServer("serve");
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({
        ...(port === undefined ? {} : { port }),
        ...(args.host ? { host: args.host } : {}),
        ...(args.mappings ? { mappingsDir: args.mappings } : {}),
        ...(args["data-dir"] ? { dataDir: args["data-dir"] } : {}),
        ...(args["queue-url"] ? { queueUrl: args["queue-url"] } : {}),
        ...(writeKeys?.length ? { writeKeys } : {}),
        ...(args.emulator ? { emulator: true } : {}),
      });
    } catch (error) {
      if (error instanceof ServerError) {
        throw new CliError("E_START", `the server did not start: ${error.code} ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
    await untilStopped(server);
    return ExitCode.ok;
  },
});

/** Serve until SIGINT or SIGTERM (a second one stops at once); SIGHUP reloads the mappings. */
async function untilStopped(server: { close(): Promise<void>; reload(): Promise<unknown> }) {
  const reload = () => void server.reload();
  process.on("SIGHUP", reload);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.once("SIGINT", () => process.exit(ExitCode.failure));
      process.once("SIGTERM", () => process.exit(ExitCode.failure));
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.off("SIGHUP", reload);
  await server.close();
}
