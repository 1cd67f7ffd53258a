import { runCommand } from "citty";
import { UsageError } from "../errors.js";
import { sharedOptionChecks } from "../options/shared-args.js";
import { checkArguments } from "./check-arguments.js";
import type { AnyCommand } from "./command-module.js";
import { commands } from "./commands.js";
import { ExitCode } from "./exit-code.js";
import { commandHelp, rootHelp } from "./help.js";
import { cliVersion } from "./version.js";

/** Flags every command accepts; picocolors reads them from process.argv itself. */
const colorFlags = new Set(["--color", "--no-color"]);

/**
 * Run `gwenmap` with the given arguments (without `node` and the script) and
 * return the exit code. Never throws: every error is reported here.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv.filter((arg) => !colorFlags.has(arg)));
  } catch (error) {
    // Loaded only on failure: it pulls in core and the adapter, which --help and --version do not need.
    const { reportError } = await import("./report-error.js");
    return reportError(error, secretsIn(argv));
  }
}

async function dispatch(args: readonly string[]): Promise<number> {
  const wantsHelp = args.includes("--help") || args.includes("-h");
  const [name, ...rest] = args;
  if (name === undefined) {
    process.stderr.write(rootHelp(commands));
    return ExitCode.usage;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`${cliVersion()}\n`);
    return ExitCode.ok;
  }
  if (name.startsWith("-") && wantsHelp) {
    process.stdout.write(rootHelp(commands));
    return ExitCode.ok;
  }
  const entry = commands.find((command) => command.name === name);
  if (!entry) {
    throw new UsageError(`unknown command "${name}": run gwenmap --help for the list of commands`);
  }
  const module = await entry.load();
  const { command, rawArgs, path } = await descend(module.default, rest, name);
  if (wantsHelp) {
    process.stdout.write(await commandHelp(command, module.examples, path));
    return ExitCode.ok;
  }
  const checks = { ...sharedOptionChecks, ...module.optionChecks };
  const checked = await checkArguments(command, rawArgs, { path, checks });
  const { result } = await runCommand(command, { rawArgs: checked });
  return typeof result === "number" ? result : ExitCode.ok;
}

interface Resolved {
  command: AnyCommand;
  rawArgs: readonly string[];
  path: string;
}

/** Follow sub-commands (`dead-letters list`) down to the one that runs. */
async function descend(
  command: AnyCommand,
  rawArgs: readonly string[],
  path: string,
): Promise<Resolved> {
  const subCommands =
    typeof command.subCommands === "function"
      ? await command.subCommands()
      : await command.subCommands;
  if (!subCommands) return { command, rawArgs, path };
  const [name, ...rest] = rawArgs;
  const sub = name === undefined ? undefined : subCommands[name];
  if (name === undefined || name.startsWith("-")) {
    if (rawArgs.includes("--help") || rawArgs.includes("-h")) return { command, rawArgs, path };
    throw new UsageError(
      `gwenmap ${path} needs a sub-command (${Object.keys(subCommands).join(", ")})`,
    );
  }
  if (!sub) {
    throw new UsageError(
      `unknown sub-command "${name}" of gwenmap ${path}: use one of ${Object.keys(subCommands).join(", ")}`,
    );
  }
  const resolved = typeof sub === "function" ? await sub() : await sub;
  return descend(resolved, rest, `${path} ${name}`);
}

/** Options and variables that hold secrets, to redact from any error output. */
const secretOptions = ["--api-key", "--admin-token", "--write-key"];
const secretVariables = ["GWEN_API_KEY", "GWENMAP_ADMIN_TOKEN", "GWENMAP_WRITE_KEYS"];

/** Every secret given on the command line or in the environment (lists split at commas). */
function secretsIn(argv: readonly string[]): string[] {
  const values = secretVariables.map((name) => process.env[name] ?? "");
  argv.forEach((arg, index) => {
    for (const option of secretOptions) {
      if (arg === option) values.push(argv[index + 1] ?? "");
      else if (arg.startsWith(`${option}=`)) values.push(arg.slice(option.length + 1));
    }
  });
  return values
    .flatMap((value) => [value, ...value.split(",")])
    .map((value) => value.trim())
    .filter((value) => value !== "");
}
