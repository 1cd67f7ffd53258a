import { stderrColors } from "./colors.js";

/** A warning on stderr: something the user should know, which does not fail the command. */
export function warn(message: string): void {
  process.stderr.write(`${stderrColors.yellow("warning")} ${message}\n`);
}
