/** The exit codes of every gwenmap command. */
export const ExitCode = {
  /** Everything worked. */
  ok: 0,
  /** Something the user must fix: a failing fixture, a rejected event, a refused key. */
  failure: 1,
  /** The command line is wrong. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
