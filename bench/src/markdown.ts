/**
 * `tsx src/markdown.ts FILE.json`: prints the figures of a `--json` file as
 * a Markdown table (how `bench/results/latest.md` is made).
 */
import { readFile } from "node:fs/promises";
import type { Figure } from "./harness/figure.js";
import { formatMarkdown } from "./harness/markdown.js";

const file = process.argv[2];
if (!file) {
  console.error("usage: tsx src/markdown.ts FILE.json");
  process.exit(2);
}
const figures = JSON.parse(await readFile(file, "utf8")) as Figure[];
console.log(formatMarkdown(figures));
