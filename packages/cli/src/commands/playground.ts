import { normalize } from "node:path";
import { defineCommand } from "citty";
import { ExitCode } from "../cli/exit-code.js";
import { CliError } from "../errors.js";
import { parseWholeNumber, resolveMappingsDir } from "../options/resolve-options.js";
import { mappingsArg } from "../options/shared-args.js";
import { startPlaygroundServer } from "../playground/playground-server.js";
import { stdoutColors } from "../terminal/colors.js";

export const examples = [
  "gwenmap playground",
  "gwenmap playground --mappings examples/mappings --open",
  "gwenmap playground --port 4321",
];

export default defineCommand({
  meta: {
    name: "playground",
    description:
      "Edit a mapping and an event in the browser and see, as you type, what every mapping of the folder does: fired or why not, the payload, the exact GraphQL request GWEN would receive, or the rejection; save the mapping, or the event as a fixture",
  },
  args: {
    mappings: mappingsArg,
    port: {
      type: "string",
      valueHint: "N",
      description: "Port on 127.0.0.1; default 0, a free one (e.g. --port 4321)",
    },
    open: {
      type: "boolean",
      description: "Open the page in the default browser (e.g. --open)",
    },
  },
  async run({ args }) {
    const dir = resolveMappingsDir(args.mappings);
    const port = parseWholeNumber("port", args.port, { min: 0, max: 65_535, example: 4321 }) ?? 0;
    const folder = normalize(dir).replace(/[\\/]$/, "");
    const server = await start({ dir, folder, port });
    const c = stdoutColors;
    process.stdout.write(
      [
        `gwenmap playground for ${folder} at ${c.cyan(server.url)}`,
        `Saving writes only inside ${folder}. Ctrl-C to stop.`,
        "",
      ].join("\n"),
    );
    if (args.open) await openBrowser(server.url);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await server.close();
    return ExitCode.ok;
  },
});

async function start(options: { dir: string; folder: string; port: number }) {
  try {
    return await startPlaygroundServer({
      ...options,
      onEvent: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === "EADDRINUSE"
        ? `port ${options.port} is in use: pick another with --port, or leave it out for a free one`
        : code === "ENOENT"
          ? "the built page is missing from this installation of @gwenmap/cli: reinstall it (or run npm run build in the gwenmap repository)"
          : (cause as Error).message;
    throw new CliError("E_START", `the playground did not start: ${reason}`, { cause });
  }
}

/** `--open`: the default browser, through the `open` package (loaded only when asked). */
async function openBrowser(url: string): Promise<void> {
  const { default: open } = await import("open");
  try {
    await open(url);
  } catch (error) {
    process.stderr.write(
      `could not open a browser (${(error as Error).message}): open the URL above\n`,
    );
  }
}
