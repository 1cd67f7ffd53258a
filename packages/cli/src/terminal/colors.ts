import { isatty } from "node:tty";
import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for one output stream. Off with `--no-color`, `NO_COLOR` (any
 * value) or `FORCE_COLOR=0`, which picocolors alone would read as a request
 * for colour; on with `--color` or another `FORCE_COLOR`; otherwise on only
 * when the stream is a terminal, so piped or redirected output stays plain.
 */
export function colorsEnabled(fd: number): boolean {
  const { env, argv } = process;
  if (argv.includes("--no-color") || (env.NO_COLOR ?? "") !== "" || env.FORCE_COLOR === "0")
    return false;
  if (argv.includes("--color") || ("FORCE_COLOR" in env && env.FORCE_COLOR !== "")) return true;
  return isatty(fd) && env.TERM !== "dumb";
}

/** Colours for what goes to stdout. */
export const stdoutColors: Colors = pc.createColors(colorsEnabled(1));

/** Colours for what goes to stderr (messages, progress, explanations). */
export const stderrColors: Colors = pc.createColors(colorsEnabled(2));
