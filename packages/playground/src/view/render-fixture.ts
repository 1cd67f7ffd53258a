import type { FixtureResult } from "@gwenmap/core/browser";
import { h, json } from "./element.js";

/** The chosen fixture's verdict on the current output, as `gwenmap test` gives it. */
export function renderFixture(result: FixtureResult): HTMLElement {
  const { fixture } = result;
  if (result.passed) {
    return h(
      "section",
      { class: "fixture passed", "aria-label": "Fixture" },
      h("p", {}, `✓ fixture ${fixture.name}: the output is what its expect says`),
    );
  }
  return h(
    "section",
    { class: "fixture failed", "aria-label": "Fixture" },
    h("p", {}, `✗ fixture ${fixture.name}: the output differs from its expect`),
    ...result.differences.map((difference) =>
      h(
        "div",
        { class: "difference" },
        h("p", {}, `${difference.kind} ${difference.mapping ?? "the event"}`),
        h("pre", {}, `expected ${json(difference.expected)}\nactual ${json(difference.actual)}`),
      ),
    ),
  );
}
