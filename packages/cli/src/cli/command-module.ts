import type { CommandDef } from "citty";

/**
 * Any citty command. citty's `CommandDef<T>` is contravariant in its
 * arguments, so commands with different options share no narrower type.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; commands are only run through citty.
export type AnyCommand = CommandDef<any>;

/**
 * Checks of option values by option name, run in command-line order before
 * the command: each throws a `UsageError` for a value it refuses. The command
 * parses with the same functions, so both agree.
 */
export type OptionChecks = Readonly<Record<string, (value: string) => unknown>>;

/**
 * What every file in `src/commands/` exports: the citty command (its `run`
 * returns the exit code), examples for its `--help`, and the checks of its
 * option values (its sub-commands' too).
 */
export interface CommandModule {
  readonly default: AnyCommand;
  readonly examples: readonly string[];
  readonly optionChecks?: OptionChecks;
}

/** One entry of `gwenmap --help`; the command's file is imported only when it runs. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}
