import { formatError, GwenmapError } from "@gwenmap/core";
import { GwenAdapterError, redactSecrets } from "@gwenmap/gwen-adapter";
import { CliError, UsageError } from "../errors.js";
import { stderrColors } from "../terminal/colors.js";
import { ExitCode } from "./exit-code.js";

/** Adapter errors that mean the command line or environment is wrong, not the data. */
const adapterUsageCodes = new Set(["E_MISSING_API_KEY", "E_INVALID_ENDPOINT", "E_INVALID_OPTION"]);

/**
 * The one place that turns an error into a message on stderr and an exit
 * code: usage errors exit 2, errors the user must fix exit 1, anything else
 * is a bug and is printed with its stack. Every known secret is redacted.
 */
export function reportError(error: unknown, secrets: readonly string[]): number {
  const { text, exitCode } = describe(error);
  process.stderr.write(`${redactSecrets(text, [...secrets])}\n`);
  return exitCode;
}

function describe(error: unknown): { text: string; exitCode: number } {
  const c = stderrColors;
  if (error instanceof UsageError || isCittyUsageError(error)) {
    // checkArguments reports the command line's problems before citty sees it; this is a fallback
    const message = (error as Error).message;
    return { text: `${c.red("usage error")} ${message}`, exitCode: ExitCode.usage };
  }
  if (error instanceof CliError) {
    const details = error.details ? `\n${error.details}` : "";
    return { text: `${c.red("error")} ${error.message}${details}`, exitCode: ExitCode.failure };
  }
  if (error instanceof GwenAdapterError) {
    const exitCode = adapterUsageCodes.has(error.code) ? ExitCode.usage : ExitCode.failure;
    return { text: `${c.red("error")} ${error.code} ${error.message}`, exitCode };
  }
  if (error instanceof GwenmapError) {
    return { text: `${c.red("error")} ${formatError(error)}`, exitCode: ExitCode.failure };
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    text: `${c.red("internal error")} this is a bug in gwenmap; please report it with this output:\n${stack}`,
    exitCode: ExitCode.failure,
  };
}

/** citty's own parse errors (`Missing required positional argument`, bad enum value). */
function isCittyUsageError(error: unknown): boolean {
  return error instanceof Error && error.name === "CLIError";
}
