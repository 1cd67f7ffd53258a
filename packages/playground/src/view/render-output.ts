import type { MappingEntry } from "../engine/mapping-entry.js";
import type { EventRun } from "../engine/run-event.js";
import { h } from "./element.js";
import { renderFixture } from "./render-fixture.js";
import { type MappingOutcome, rejectionBlock, renderMapping } from "./render-mapping.js";

/**
 * The output panel's content for one run: a summary, what is wrong with the
 * event itself, the chosen fixture's verdict, then one card per mapping of
 * the folder in file order.
 */
export function renderOutput(
  entries: readonly MappingEntry[],
  run: EventRun,
  editedPath: string | undefined,
): HTMLElement[] {
  if (!run.input.ok) {
    const { message, line, column } = run.input;
    return [
      h(
        "div",
        { class: "event-problem", role: "alert" },
        h("strong", {}, "The event is not JSON"),
        ` (line ${line}, column ${column}): ${message}`,
      ),
    ];
  }
  const result = run.result;
  const explanations = new Map((result?.explanation ?? []).map((entry) => [entry.mapping, entry]));
  const deliveries = new Map(
    (result?.deliveries ?? []).map((delivery) => [delivery.mapping, delivery]),
  );
  const outcomes: MappingOutcome[] = entries.map((entry) => {
    const explanation = explanations.get(entry.name);
    const delivery = deliveries.get(entry.name);
    return {
      entry,
      edited: entry.path === editedPath,
      ...(explanation ? { explanation } : {}),
      ...(delivery ? { delivery } : {}),
    };
  });
  const eventRejections = (result?.rejections ?? []).filter((rejection) => !rejection.mapping);
  return [
    summary(outcomes, eventRejections.length > 0),
    ...eventRejections.map((rejection) =>
      h(
        "div",
        { class: "event-problem", role: "alert" },
        h("strong", {}, "The event is rejected"),
        rejectionBlock(rejection),
      ),
    ),
    ...(run.fixture ? [renderFixture(run.fixture)] : []),
    ...outcomes.map(renderMapping),
  ];
}

function summary(outcomes: readonly MappingOutcome[], eventRejected: boolean): HTMLElement {
  const count = (status: string) =>
    outcomes.filter((outcome) => outcome.explanation?.status === status).length;
  const broken = outcomes.filter((outcome) => !outcome.entry.compiled.ok).length;
  const parts = [
    `${count("fired")} of ${outcomes.length} mappings fired`,
    `${count("rejected")} rejected`,
    ...(broken > 0 ? [`${broken} do not compile`] : []),
    ...(eventRejected ? ["the event itself is rejected"] : []),
  ];
  return h("p", { class: "summary" }, parts.join(" · "));
}
