import { isatty } from "node:tty";
import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours for one output stream: on when picocolors allows them (it honours
 * NO_COLOR, FORCE_COLOR, --no-color and CI) and the stream is a terminal,
 * so piped or redirected output stays plain.
 */
function colorsFor(fd: number): Colors {
  const forced =
    ("FORCE_COLOR" in process.env && process.env.FORCE_COLOR !== "0") ||
    process.argv.includes("--color");
  return pc.createColors(pc.isColorSupported && (forced || isatty(fd)));
}

/** Colours for what goes to stdout. */
export const stdoutColors: Colors = colorsFor(1);

/** Colours for what goes to stderr (messages, progress, explanations). */
export const stderrColors: Colors = colorsFor(2);
