import type { CommandDef } from "citty";

/**
 * Any citty command. citty's `CommandDef<T>` is contravariant in its
 * arguments, so commands with different options share no narrower type.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; commands are only run through citty.
export type AnyCommand = CommandDef<any>;

/**
 * What every file in `src/commands/` exports: the citty command (its `run`
 * returns the exit code) and examples for its `--help`.
 */
export interface CommandModule {
  readonly default: AnyCommand;
  readonly examples: readonly string[];
}

/** One entry of `gwenmap --help`; the command's file is imported only when it runs. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}
