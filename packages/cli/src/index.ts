/**
 * @gwenmap/cli: the `gwenmap` command. Its bin is `dist/bin.js`; `runCli`
 * runs it in-process with an argument list and resolves to the exit code.
 */
export { ExitCode } from "./cli/exit-code.js";
export { runCli } from "./cli/run-cli.js";
export { CliError, type CliErrorCode, UsageError } from "./errors.js";
