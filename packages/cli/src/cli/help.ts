import { stripVTControlCharacters } from "node:util";
import type { ArgDef, ArgsDef, CommandMeta } from "citty";
import wrapAnsi from "wrap-ansi";
import { stdoutColors } from "../terminal/colors.js";
import type { AnyCommand, CommandEntry } from "./command-module.js";
import { cliVersion } from "./version.js";

/** The widest a label column gets; a longer label puts its text on the next line. */
const MAX_LABEL_WIDTH = 30;

/** Columns to wrap help to: the terminal's width, or 80 when stdout is not a terminal. */
export function helpWidth(): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return Math.max(40, columns || 80);
}

/**
 * `gwenmap <command> --help`: usage with plain placeholders (`--mappings
 * DIR`, `--reporter pretty|json|junit`), the description, arguments,
 * options or sub-commands, then examples, wrapped to the terminal's width.
 */
export async function commandHelp(
  command: AnyCommand,
  examples: readonly string[],
  path: string,
): Promise<string> {
  const c = stdoutColors;
  const width = helpWidth();
  const meta = (await resolve(command.meta)) as CommandMeta | undefined;
  const defs = ((await resolve(command.args)) ?? {}) as ArgsDef;
  const subCommands = (await resolve(command.subCommands)) as Record<string, unknown> | undefined;
  const positionals = Object.entries(defs).filter(([, def]) => def.type === "positional");
  const options = Object.entries(defs).filter(([, def]) => def.type !== "positional");
  const usage = [
    `gwenmap ${path}`,
    ...(subCommands ? [`<${Object.keys(subCommands).join("|")}>`] : []),
    ...(options.length > 0 ? ["[OPTIONS]"] : []),
    ...positionals.map(([name, def]) => {
      const hint = placeholder(name, def);
      return def.required === false || "default" in def ? `[${hint}]` : hint;
    }),
  ].join(" ");
  const sections = [
    `${heading("USAGE")} ${c.cyan(usage)}`,
    paragraph(meta?.description ?? "", width),
  ];
  if (positionals.length > 0) {
    const rows = positionals.map(([name, def]): Row => [placeholder(name, def), describe(def)]);
    sections.push(`${heading("ARGUMENTS")}\n\n${table(rows, width)}`);
  }
  if (subCommands) {
    const rows: Row[] = [];
    for (const [name, sub] of Object.entries(subCommands)) {
      const subMeta = (await resolve((sub as AnyCommand).meta)) as CommandMeta | undefined;
      rows.push([name, subMeta?.description ?? ""]);
    }
    sections.push(`${heading("SUB-COMMANDS")}\n\n${table(rows, width)}`);
  }
  if (options.length > 0) {
    const rows = options.map(([name, def]): Row => [optionLabel(name, def), describe(def)]);
    sections.push(`${heading("OPTIONS")}\n\n${table(rows, width)}`);
  }
  if (examples.length > 0) {
    const lines = examples.map((example) =>
      hanging(example, width, { first: "  ", rest: "      " }),
    );
    sections.push(`${heading("EXAMPLES")}\n\n${lines.join("\n")}`);
  }
  return `${sections.join("\n\n")}\n`;
}

/** `gwenmap --help`: the commands, the common options and the exit codes. */
export function rootHelp(commands: readonly CommandEntry[]): string {
  const c = stdoutColors;
  const width = helpWidth();
  const common: Row[] = [
    ["--mappings DIR", "the mappings folder; GWENMAP_MAPPINGS, default ./mappings"],
    ["--api-key KEY", "GWEN's API key; GWEN_API_KEY (never printed)"],
    [
      "--endpoint URL",
      "GWEN's GraphQL endpoint; GWEN_ENDPOINT, default https://gwen.insertcoin.se/graphql",
    ],
    [
      "--no-color",
      "plain output, also NO_COLOR=1 or FORCE_COLOR=0 (colours are off when output is not a terminal)",
    ],
  ];
  const sections = [
    paragraph(`gwenmap ${cliVersion()}: mapping-as-code for sending Segment events to GWEN`, width),
    `${heading("USAGE")} ${c.cyan("gwenmap <command> [OPTIONS]")}`,
    `${heading("COMMANDS")}\n\n${table(
      commands.map((command): Row => [command.name, command.summary]),
      width,
    )}`,
    `${heading("COMMON OPTIONS AND VARIABLES")}\n\n${table(common, width)}`,
    `${heading("EXIT CODES")}\n\n${paragraph(
      "0 ok, 1 a failure to fix (failing fixture, rejected event, refused key), 2 a usage error, 130 interrupted",
      width,
      "  ",
    )}`,
    paragraph(
      `Run ${c.cyan("gwenmap <command> --help")} for a command's options, each with an example.`,
      width,
    ),
  ];
  return `${sections.join("\n\n")}\n`;
}

type Row = [label: string, text: string];

function heading(text: string): string {
  return stdoutColors.underline(stdoutColors.bold(text));
}

/** What an argument stands for: its value hint, else its name in capitals. */
function placeholder(name: string, def: ArgDef): string {
  return "valueHint" in def && def.valueHint ? def.valueHint : name.toUpperCase();
}

/** `--name`, `--name HINT` or `--name a|b|c`, with a short alias in front. */
function optionLabel(name: string, def: ArgDef): string {
  const aliases = "alias" in def ? def.alias : undefined;
  const short = (typeof aliases === "string" ? [aliases] : (aliases ?? [])).map((alias) =>
    alias.length === 1 ? `-${alias}` : `--${alias}`,
  );
  const value =
    def.type === "enum"
      ? ` ${(def.options ?? []).join("|")}`
      : def.type === "string"
        ? ` ${placeholder(name, def)}`
        : "";
  return [...short, `--${name}${value}`].join(", ");
}

function describe(def: ArgDef): string {
  return def.description ?? "";
}

/** Rows of a label and its text, the text wrapped in a column beside the labels. */
function table(rows: readonly Row[], width: number): string {
  const c = stdoutColors;
  const labelWidth = Math.min(
    MAX_LABEL_WIDTH,
    Math.floor(width / 3),
    Math.max(0, ...rows.map(([label]) => visibleLength(label))),
  );
  const indent = " ".repeat(2 + labelWidth + 2);
  return rows
    .flatMap(([label, text]) => {
      const lines = wrapAnsi(text, Math.max(20, width - indent.length), {
        trim: true,
        hard: true,
      }).split("\n");
      const shown = `  ${c.cyan(label)}`;
      if (visibleLength(label) > labelWidth) {
        return [shown, ...lines.map((line) => `${indent}${line}`)];
      }
      const padding = " ".repeat(labelWidth - visibleLength(label) + 2);
      const [first = "", ...rest] = lines;
      return [`${shown}${padding}${first}`, ...rest.map((line) => `${indent}${line}`)];
    })
    .join("\n");
}

/** A line too long for the width, continued on indented lines (an example command). */
function hanging(
  text: string,
  width: number,
  indents: { readonly first: string; readonly rest: string },
): string {
  const { first, rest } = indents;
  const [head = "", ...tail] = wrapAnsi(text, width - first.length, {
    trim: true,
    hard: true,
  }).split("\n");
  const more = tail.join(" ");
  const continued =
    more === "" ? [] : wrapAnsi(more, width - rest.length, { trim: true, hard: true }).split("\n");
  return [`${first}${head}`, ...continued.map((line) => `${rest}${line}`)].join("\n");
}

function paragraph(text: string, width: number, indent = ""): string {
  return wrapAnsi(text, width - indent.length, { trim: true, hard: true })
    .split("\n")
    .map((line) => `${indent}${line}`)
    .join("\n");
}

function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === "function" ? await (value as () => T | Promise<T>)() : await value;
}
