import { stripVTControlCharacters } from "node:util";
import { type ArgsDef, type CommandDef, renderUsage } from "citty";
import { stdoutColors } from "../terminal/colors.js";
import type { AnyCommand, CommandEntry } from "./command-module.js";
import { cliVersion } from "./version.js";

const root: CommandDef<ArgsDef> = { meta: { name: "gwenmap" } };

/** `gwenmap <command> --help`: citty's usage, then examples. */
export async function commandHelp(
  command: AnyCommand,
  examples: readonly string[],
): Promise<string> {
  const usage = await renderUsage(command, root);
  const c = stdoutColors;
  const lines = [usage.trimEnd(), ""];
  if (examples.length > 0) {
    lines.push(c.underline(c.bold("EXAMPLES")), "", ...examples.map((line) => `  ${line}`), "");
  }
  return plainUnlessColored(lines.join("\n"));
}

/** `gwenmap --help`: the commands, the common options and the exit codes. */
export function rootHelp(commands: readonly CommandEntry[]): string {
  const c = stdoutColors;
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = [
    `gwenmap ${cliVersion()}: mapping-as-code for sending Segment events to GWEN`,
    "",
    `${c.underline(c.bold("USAGE"))} ${c.cyan("gwenmap <command> [OPTIONS]")}`,
    "",
    c.underline(c.bold("COMMANDS")),
    "",
    ...commands.map((command) => `  ${c.cyan(command.name.padEnd(width))}  ${command.summary}`),
    "",
    c.underline(c.bold("COMMON OPTIONS AND VARIABLES")),
    "",
    "  --mappings DIR   the mappings folder; GWENMAP_MAPPINGS, default ./mappings",
    "  --api-key KEY    GWEN's API key; GWEN_API_KEY (never printed)",
    "  --endpoint URL   GWEN's GraphQL endpoint; GWEN_ENDPOINT, default https://gwen.insertcoin.se/graphql",
    "  --no-color       plain output (also NO_COLOR=1; colours are off when output is not a terminal)",
    "",
    c.underline(c.bold("EXIT CODES")),
    "",
    "  0 ok, 1 a failure to fix (failing fixture, rejected event, refused key), 2 a usage error, 130 interrupted",
    "",
    `Run ${c.cyan("gwenmap <command> --help")} for a command's options, each with an example.`,
    "",
  ];
  return plainUnlessColored(lines.join("\n"));
}

/** citty colours its usage whenever NO_COLOR is unset; drop them when stdout is not a terminal. */
function plainUnlessColored(text: string): string {
  return stdoutColors.isColorSupported ? text : stripVTControlCharacters(text);
}
