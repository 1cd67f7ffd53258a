import { relative, resolve } from "node:path";
import { defineCommand } from "citty";
import { ExitCode } from "../cli/exit-code.js";
import { cliVersion } from "../cli/version.js";
import { initProject } from "../init/init-project.js";
import { stderrColors, stdoutColors } from "../terminal/colors.js";

export const examples = [
  "gwenmap init",
  "gwenmap init my-gwen-mappings",
  "gwenmap init --force   # overwrite the files init writes, keep everything else",
];

export default defineCommand({
  meta: {
    name: "init",
    description:
      "Scaffold a mappings repository: the Segment presets and their fixtures in mappings/, package.json scripts, a CI workflow and a README",
  },
  args: {
    dir: {
      type: "positional",
      required: false,
      valueHint: "DIR",
      description: "The project folder, created when missing (default: the current folder)",
    },
    force: {
      type: "boolean",
      description:
        "Overwrite files that exist and package.json scripts that say something else (e.g. --force)",
    },
  },
  async run({ args }) {
    const dir = resolve(args.dir ?? ".");
    const result = await initProject({ dir, cliVersion: cliVersion(), force: args.force === true });
    const where = relative(process.cwd(), dir) || ".";
    if (!result.ok) {
      const c = stderrColors;
      process.stderr.write(
        `${c.red("error")} gwenmap init would overwrite what is in ${where}; nothing was written:\n` +
          result.conflicts.map((conflict) => `  ${conflict}\n`).join("") +
          "Move these aside, or run gwenmap init --force to overwrite them.\n",
      );
      return ExitCode.failure;
    }
    const c = stdoutColors;
    const lines = [
      `${c.green("✓")} scaffolded a gwenmap project in ${where}:`,
      ...result.written.map((path) => `  ${path}`),
      ...(result.manifest === "unchanged" ? [] : [`  package.json (${result.manifest})`]),
      "",
      "Next:",
      ...(where === "." ? [] : [`  cd ${where}`]),
      "  npm install          # installs @gwenmap/cli as package.json says",
      "  npx gwenmap validate",
      "  npx gwenmap test",
      "",
    ];
    process.stdout.write(lines.join("\n"));
    return ExitCode.ok;
  },
});
