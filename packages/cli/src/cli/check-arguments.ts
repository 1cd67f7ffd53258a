import type { ArgDef, ArgsDef } from "citty";
import { UsageError } from "../errors.js";
import type { AnyCommand, OptionChecks } from "./command-module.js";

/** A value that starts with `-` but is a number, not an option: `--latency-ms -1`. */
const negativeNumber = /^-\d/;

/**
 * citty accepts unknown options silently, and reports other problems in its
 * own order and colours. This goes through the command line from left to
 * right and throws a `UsageError` for the first problem on it, so the first
 * problem reported is the first one the user typed: an unknown option, an
 * option without its value, an enum value that is not one of its choices, a
 * value the command's `checks` refuse, one positional argument too many.
 * Then a required argument that is missing. Returns the arguments for citty,
 * with `--option -1` written `--option=-1` so a negative number stays a value.
 */
export async function checkArguments(
  command: AnyCommand,
  rawArgs: readonly string[],
  context: { path: string; checks?: OptionChecks },
): Promise<string[]> {
  const { path } = context;
  const defs = await resolveArgs(command);
  const options = optionIndex(defs);
  const positionals = Object.entries(defs).filter(([, def]) => def.type === "positional");
  const args: string[] = [];
  let given = 0;
  const see = `see gwenmap ${path} --help`;
  for (let index = 0; index < rawArgs.length; index++) {
    const arg = rawArgs[index] as string;
    if (arg === "--") {
      for (const rest of rawArgs.slice(index + 1))
        given = positional(rest, given, { positionals, see });
      args.push(...rawArgs.slice(index));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      given = positional(arg, given, { positionals, see });
      args.push(arg);
      continue;
    }
    const [flag = "", inline] = splitFlag(arg);
    const found = options.get(flag) ?? negated(options, flag);
    if (!found)
      throw new UsageError(`unknown option ${arg.split("=")[0]} for gwenmap ${path}: ${see}`);
    const [name, def] = found;
    if (def.type !== "string" && def.type !== "enum") {
      args.push(arg);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = rawArgs[index + 1];
      if (
        next === undefined ||
        (next.startsWith("-") && next !== "-" && !negativeNumber.test(next))
      ) {
        throw new UsageError(`option --${flag} needs a value: ${see}`);
      }
      value = next;
      index++;
    }
    checkValue(found, value, context.checks);
    if (inline !== undefined) args.push(arg);
    else if (negativeNumber.test(value)) args.push(`--${name}=${value}`);
    else args.push(arg, value);
  }
  const missing = positionals
    .slice(given)
    .find(([, def]) => def.required !== false && !("default" in def));
  if (missing) {
    const [name, def] = missing;
    const hint = "valueHint" in def && def.valueHint ? def.valueHint : name.toUpperCase();
    throw new UsageError(`gwenmap ${path} needs ${hint}: ${def.description ?? ""}; ${see}`);
  }
  return args;
}

/** One more positional argument: the count given so far, or a usage error past the last one the command takes. */
function positional(
  arg: string,
  given: number,
  command: { readonly positionals: readonly [string, ArgDef][]; readonly see: string },
): number {
  const { positionals, see } = command;
  if (given >= positionals.length) throw new UsageError(`unexpected argument "${arg}": ${see}`);
  return given + 1;
}

function checkValue(option: [string, ArgDef], value: string, checks: OptionChecks = {}): void {
  const [name, def] = option;
  if (def.type === "enum") {
    const choices = def.options ?? [];
    if (!choices.includes(value)) {
      throw new UsageError(
        `--${name} must be one of ${choices.join(", ")}, not "${value}" (e.g. --${name} ${choices[0] ?? ""})`,
      );
    }
  }
  checks[name]?.(value);
}

async function resolveArgs(command: AnyCommand): Promise<ArgsDef> {
  const args = command.args;
  return (typeof args === "function" ? await args() : await args) ?? {};
}

/** Every spelling of every option (name, kebab-case, aliases), to its name as declared and its definition. */
function optionIndex(defs: ArgsDef): Map<string, [string, ArgDef]> {
  const index = new Map<string, [string, ArgDef]>();
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    index.set(name, [name, def]);
    index.set(kebabCase(name), [name, def]);
    const aliases = "alias" in def ? def.alias : undefined;
    for (const alias of typeof aliases === "string" ? [aliases] : (aliases ?? [])) {
      index.set(alias, [name, def]);
    }
  }
  return index;
}

function negated(
  options: Map<string, [string, ArgDef]>,
  flag: string,
): [string, ArgDef] | undefined {
  if (!flag.startsWith("no-")) return undefined;
  const found = options.get(flag.slice(3));
  return found?.[1].type === "boolean" ? found : undefined;
}

function splitFlag(arg: string): [string, string | undefined] {
  const body = arg.replace(/^--?/, "");
  const equals = body.indexOf("=");
  return equals < 0 ? [body, undefined] : [body.slice(0, equals), body.slice(equals + 1)];
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
