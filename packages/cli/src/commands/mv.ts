import { defineCommand } from "citty";
import { ExitCode } from "../cli/exit-code.js";
import { countOf } from "../mapping-set/format-problems.js";
import { resolveMappingsDir } from "../options/resolve-options.js";
import { mappingsArg } from "../options/shared-args.js";
import { moveMapping, shown } from "../rename/move-mapping.js";
import { stdoutColors } from "../terminal/colors.js";
import { warn } from "../terminal/warn.js";

export const examples = [
  "gwenmap mv send-event track-event",
  "gwenmap mv order-completed orders/order-completed-v2",
  "gwenmap mv mappings/old.jsonata mappings/sub/new.jsonata",
];

export default defineCommand({
  meta: {
    name: "mv",
    description:
      "Rename a mapping: move its file (git mv when git tracks it) and rename it in every fixture, changing only the names",
  },
  args: {
    from: {
      type: "positional",
      required: true,
      valueHint: "OLD",
      description: "The mapping's name, or its .jsonata file (e.g. send-event)",
    },
    to: {
      type: "positional",
      required: true,
      valueHint: "NEW",
      description: "The new name, beside the old file, or a .jsonata path (e.g. track-event)",
    },
    mappings: mappingsArg,
  },
  async run({ args }) {
    const dir = resolveMappingsDir(args.mappings);
    const move = await moveMapping(dir, String(args.from), String(args.to));
    const c = stdoutColors;
    const how = move.withGit ? "git mv" : "not tracked by git: moved";
    const lines = [`${c.green("renamed")} ${shown(move.from)} → ${shown(move.to)} (${how})`];
    for (const fixture of move.fixtures) {
      lines.push(
        `${c.green("updated")} ${shown(fixture.file)} (${countOf(fixture.renamed, "expectation")})`,
      );
    }
    if (move.fixtures.length === 0) lines.push("no fixture names the mapping");
    process.stdout.write(`${lines.join("\n")}\n`);
    for (const file of move.skipped) {
      warn(
        `${shown(file)} is not valid JSON and was left as it is: rename the mapping in it by hand`,
      );
    }
    return ExitCode.ok;
  },
});
