import type { ArgDef, ArgsDef } from "citty";
import { UsageError } from "../errors.js";
import type { AnyCommand } from "./command-module.js";

/**
 * citty accepts unknown options silently; a typo like `--concurency 8` must
 * not run with defaults. Throws `UsageError` for an unknown option, a value
 * option without its value, or more positional arguments than the command takes.
 */
export async function checkArguments(
  command: AnyCommand,
  rawArgs: readonly string[],
  path: string,
): Promise<void> {
  const defs = await resolveArgs(command);
  const options = optionIndex(defs);
  const positionals = Object.values(defs).filter((def) => def.type === "positional").length;
  const extra: string[] = [];
  for (let index = 0; index < rawArgs.length; index++) {
    const arg = rawArgs[index] as string;
    if (arg === "--") {
      extra.push(...rawArgs.slice(index + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      extra.push(arg);
      continue;
    }
    const [flag = "", inline] = splitFlag(arg);
    const def = options.get(flag) ?? negated(options, flag);
    if (!def) {
      throw new UsageError(
        `unknown option ${arg.split("=")[0]} for gwenmap ${path}: see gwenmap ${path} --help`,
      );
    }
    if ((def.type === "string" || def.type === "enum") && inline === undefined) {
      const value = rawArgs[index + 1];
      if (value === undefined || (value.startsWith("-") && value !== "-")) {
        throw new UsageError(`option --${flag} needs a value: see gwenmap ${path} --help`);
      }
      index++;
    }
  }
  if (extra.length > positionals) {
    throw new UsageError(
      `unexpected argument "${extra[positionals]}" for gwenmap ${path}: see gwenmap ${path} --help`,
    );
  }
}

async function resolveArgs(command: AnyCommand): Promise<ArgsDef> {
  const args = command.args;
  return (typeof args === "function" ? await args() : await args) ?? {};
}

function optionIndex(defs: ArgsDef): Map<string, ArgDef> {
  const index = new Map<string, ArgDef>();
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    index.set(name, def);
    index.set(kebabCase(name), def);
    const aliases = "alias" in def ? def.alias : undefined;
    for (const alias of typeof aliases === "string" ? [aliases] : (aliases ?? [])) {
      index.set(alias, def);
    }
  }
  return index;
}

function negated(options: Map<string, ArgDef>, flag: string): ArgDef | undefined {
  if (!flag.startsWith("no-")) return undefined;
  const def = options.get(flag.slice(3));
  return def?.type === "boolean" ? def : undefined;
}

function splitFlag(arg: string): [string, string | undefined] {
  const body = arg.replace(/^--?/, "");
  const equals = body.indexOf("=");
  return equals < 0 ? [body, undefined] : [body.slice(0, equals), body.slice(equals + 1)];
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
