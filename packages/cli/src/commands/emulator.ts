import { DEFAULT_EMULATOR_API_KEY, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { defineCommand } from "citty";
import type { OptionChecks } from "../cli/command-module.js";
import { ExitCode } from "../cli/exit-code.js";
import { faultArgs, faultChecks, faultsFrom } from "../emulator/fault-args.js";
import { parseWholeNumber } from "../options/resolve-options.js";
import { stdoutColors } from "../terminal/colors.js";

export const examples = [
  "gwenmap emulator --port 4000",
  "gwenmap emulator --port 4000 --error-rate 0.2 --error-status 503 --rate-limit-rate 0.05",
  "GWEN_ENDPOINT=http://127.0.0.1:4000/graphql GWEN_API_KEY=gwen-emulator-key gwenmap send events.ndjson",
];

const parsePort = (value?: string) =>
  parseWholeNumber("port", value, { min: 0, max: 65_535, example: 4000 });

export const optionChecks: OptionChecks = { port: parsePort, ...faultChecks() };

export default defineCommand({
  meta: {
    name: "emulator",
    description:
      "Run a local GWEN (GraphQL, GWEN's schema) in the foreground; it checks the key, records what it accepts, and injects faults",
  },
  args: {
    port: {
      type: "string",
      valueHint: "N",
      description: "TCP port, 0 for a free one (default 4000) (e.g. --port 4100)",
    },
    host: {
      type: "string",
      valueHint: "HOST",
      description: "Interface to listen on (default 127.0.0.1) (e.g. --host 0.0.0.0)",
    },
    "api-key": {
      type: "string",
      valueHint: "KEYS",
      description: `Accepted API keys, comma-separated (default ${DEFAULT_EMULATOR_API_KEY}) (e.g. --api-key my-test-key)`,
    },
    log: {
      type: "boolean",
      description: "Print one line per accepted operation (e.g. --log)",
    },
    ...faultArgs(),
  },
  async run({ args }) {
    const port = parsePort(args.port) ?? 4000;
    const keys = args["api-key"]
      ?.split(",")
      .map((key) => key.trim())
      .filter(Boolean);
    const faults = faultsFrom(args);
    const emulator = await startEmulator({
      port,
      ...(args.host ? { host: args.host } : {}),
      ...(keys && keys.length > 0 ? { apiKeys: keys } : {}),
      faults,
      ...(args.log
        ? {
            onRequest: (request) =>
              process.stdout.write(
                `${request.operationName} ${JSON.stringify(request.variables)}\n`,
              ),
          }
        : {}),
    });
    const c = stdoutColors;
    const keyNote = keys?.length
      ? "the key(s) given with --api-key"
      : `the key ${DEFAULT_EMULATOR_API_KEY}`;
    process.stdout.write(
      [
        `GWEN emulator listening on ${c.cyan(emulator.url)}`,
        `Accepting ${keyNote}.`,
        Object.keys(faults).length > 0 ? `Faults: ${JSON.stringify(faults)}` : "No faults.",
        `Recorded operations: ${emulator.url.replace(/\/graphql$/, "/_emulator/requests")}`,
        "Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await emulator.close();
    return ExitCode.ok;
  },
});
