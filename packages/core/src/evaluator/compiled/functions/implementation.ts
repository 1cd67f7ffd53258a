/**
 * A built-in function's body: validated arguments in, value out. `depth` is
 * jsonata's evaluation depth at the calling node, for functions that call
 * back into function arguments.
 */
export type Implementation = (args: unknown[], depth: number) => unknown;
