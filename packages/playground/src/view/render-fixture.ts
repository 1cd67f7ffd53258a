import {
  type DiffColors,
  describeDifference,
  type FixtureDifference,
  type FixtureResult,
  fixtureDiffLabels,
  structuralDiff,
} from "@gwenmap/core/browser";
import { h } from "./element.js";

const plain = (text: string) => text;
const noColors: DiffColors = {
  red: plain,
  green: plain,
  dim: plain,
  inverse: plain,
  yellow: plain,
};

/**
 * The chosen fixture's verdict on the current output, as `gwenmap test`
 * gives it: for each difference core's sentence and its structural diff
 * (`- Expected (fixture)`, `+ Actual (mappings)`), coloured here by line.
 */
export function renderFixture(result: FixtureResult): HTMLElement {
  const { fixture } = result;
  const verdict = result.passed
    ? `✓ fixture ${fixture.name}: the output is what its expect says`
    : `✗ fixture ${fixture.name}: the output differs from its expect`;
  return h(
    "section",
    { class: `fixture ${result.passed ? "passed" : "failed"}`, "aria-label": "Fixture" },
    h("p", {}, verdict),
    ...result.differences.map(renderDifference),
  );
}

function renderDifference(difference: FixtureDifference): HTMLElement {
  const sentence = h("p", { class: "sentence" }, describeDifference(difference));
  if (difference.kind === "unknown-mapping" || difference.kind === "not-loaded") return sentence;
  const diff = structuralDiff(difference.expected, difference.actual, {
    labels: fixtureDiffLabels,
    colors: noColors,
  });
  return h(
    "div",
    { class: "difference" },
    sentence,
    h(
      "pre",
      { class: "diff" },
      diff.split("\n").map((line) => h("span", { class: lineClass(line) }, `${line}\n`)),
    ),
  );
}

function lineClass(line: string): string {
  if (line.startsWith("-")) return "removed";
  if (line.startsWith("+")) return "added";
  return "common";
}
