/**
 * Every error the gwenmap CLI raises itself, with a stable `code`. Expected
 * outcomes of a command (failing fixtures, rejected events) are not errors:
 * commands return an exit code for them. These are for the edges: a bad
 * invocation, a file that cannot be read, GWEN refusing the key.
 */
export type CliErrorCode =
  /** The command line is wrong: unknown command or option, a bad value. Exit 2. */
  | "E_USAGE"
  /** A file or folder the command needs cannot be read or written. */
  | "E_FILE"
  /** The mapping set (or a fixture) does not load; the problems were printed. */
  | "E_MAPPINGS_INVALID"
  /** git failed or the revision does not exist (`gwenmap diff`). */
  | "E_GIT"
  /** GWEN refused the API key. */
  | "E_AUTH"
  /** GWEN could not be reached or did not answer usefully. */
  | "E_UNREACHABLE"
  /** A component (emulator, server) could not start. */
  | "E_START"
  /** The command needs an optional part that is not installed (`serve`: @gwenmap/server); the message says how to add it. */
  | "E_NOT_INSTALLED";

export interface CliErrorOptions {
  readonly cause?: unknown;
  /** Extra lines shown under the message (a list of problems, a hint). */
  readonly details?: string;
}

export class CliError extends Error {
  override readonly name: string = "CliError";
  readonly code: CliErrorCode;
  readonly details?: string;

  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** The command line is wrong; shown with a pointer to `--help` and exit code 2. */
export class UsageError extends CliError {
  override readonly name = "UsageError";

  constructor(message: string) {
    super("E_USAGE", message);
  }
}
