import {
  clausesWorthShowing,
  type Delivery,
  type DetailedExplanation,
  describeClause,
  describeDroppedField,
  evaluatorsOf,
  explanationSentence,
  formatError,
  type Mapping,
  type PartEvaluator,
  type Rejection,
} from "@gwenmap/core/browser";
import { buildRequest, isActionName } from "@gwenmap/gwen-adapter/browser";
import type { MappingEntry } from "../engine/mapping-entry.js";
import { h, json } from "./element.js";

/** What one mapping did with the event, for its card in the output. */
export interface MappingOutcome {
  readonly entry: MappingEntry;
  readonly explanation?: DetailedExplanation;
  readonly delivery?: Delivery;
  /** Whether this is the mapping being edited. */
  readonly edited: boolean;
}

/** One mapping's card: its status, why, and the payload and GWEN request, or the rejection. */
export function renderMapping(outcome: MappingOutcome): HTMLElement {
  const { entry } = outcome;
  if (!entry.compiled.ok) {
    return card(outcome, { status: "broken", label: "does not compile" }, [
      ...entry.compiled.errors.map((error) => h("pre", { class: "problem" }, formatError(error))),
    ]);
  }
  const mapping = entry.compiled.mapping;
  const explanation = outcome.explanation;
  const status = explanation?.status ?? "not-triggered";
  const body = [
    ...(explanation?.rejection ? [] : [h("p", { class: "why" }, reason(mapping, explanation))]),
    ...whyLines(explanation),
    evaluatorLine(mapping),
    ...(outcome.delivery ? deliveryBlocks(outcome.delivery) : []),
    ...(explanation?.rejection ? [rejectionBlock(explanation.rejection)] : []),
  ];
  return card(outcome, { status, label: statusLabel[status], action: mapping.action }, body);
}

const statusLabel: Record<DetailedExplanation["status"], string> = {
  fired: "fired",
  "not-triggered": "did not fire",
  "skipped-by-index": "did not fire",
  disabled: "disabled",
  rejected: "rejected",
};

/** A card's look: its status class, the status as shown, and the action it targets. */
interface CardLook {
  readonly status: string;
  readonly label: string;
  readonly action?: string;
}

function card(outcome: MappingOutcome, look: CardLook, body: readonly HTMLElement[]): HTMLElement {
  const { entry } = outcome;
  const { status, label, action } = look;
  return h(
    "article",
    { class: `mapping status-${status}`, "aria-label": `mapping ${entry.name}` },
    h(
      "header",
      {},
      h("h3", {}, entry.name),
      outcome.edited && h("span", { class: "tag edited" }, "editing"),
      action && h("span", { class: "tag action" }, action),
      h("span", { class: `tag status` }, label),
    ),
    ...body,
  );
}

function reason(mapping: Mapping, explanation: DetailedExplanation | undefined): string {
  return explanation
    ? explanationSentence(explanation, mapping.trigger)
    : `did not fire: trigger \`${mapping.trigger.replace(/\s+/g, " ").trim()}\` was not evaluated`;
}

/**
 * Under the sentence, as `gwenmap map --explain` lists them: each clause of a
 * trigger that did not fire (the false ones, which decided it, stand out),
 * and the fields a delivered payload dropped.
 */
function whyLines(explanation: DetailedExplanation | undefined): HTMLElement[] {
  const clauses = explanation?.clauses ?? [];
  const dropped = explanation?.dropped ?? [];
  const lines: HTMLElement[] = [];
  if (clausesWorthShowing(clauses) && clauses.length > 0) {
    lines.push(
      h(
        "ul",
        { class: "clauses", "aria-label": "Trigger clauses" },
        clauses.map((clause) =>
          h("li", { class: clause.truthy ? "" : "decisive" }, describeClause(clause)),
        ),
      ),
    );
  }
  if (dropped.length > 0) {
    lines.push(
      h(
        "ul",
        { class: "dropped" },
        dropped.map((field) => h("li", {}, describeDroppedField(field))),
      ),
    );
  }
  return lines;
}

function evaluatorLine(mapping: Mapping): HTMLElement {
  const evaluators = evaluatorsOf(mapping);
  if (evaluators.kind === "compiled") {
    return h("p", { class: "evaluator" }, "runs compiled");
  }
  const parts = [
    describePart("expression", evaluators.expression),
    describePart("trigger", evaluators.trigger),
  ];
  return h(
    "p",
    { class: "evaluator fallback" },
    `falls back to jsonata's interpreter (same results, slower): ${parts.join("; ")}`,
  );
}

function describePart(part: string, evaluator: PartEvaluator): string {
  if (evaluator.kind === "compiled") return `${part} compiled`;
  return `${part} falls back: ${evaluator.fallbackReason ?? "not compiled"}`;
}

function deliveryBlocks(delivery: Delivery): HTMLElement[] {
  const blocks = [h("h4", {}, "Payload"), h("pre", { class: "payload" }, json(delivery.payload))];
  if (isActionName(delivery.action)) {
    const request = buildRequest(delivery.action, delivery.payload);
    blocks.push(
      h("h4", {}, "GraphQL request GWEN receives"),
      h("pre", { class: "request" }, json(request)),
    );
  }
  return blocks;
}

/** A rejection: its code, the field, the message, and every violated field with its value. */
export function rejectionBlock(rejection: Rejection): HTMLElement {
  const code = rejection.jsonataCode
    ? `${rejection.code} ${rejection.jsonataCode}`
    : rejection.code;
  return h(
    "div",
    { class: "rejection" },
    h(
      "p",
      {},
      h("strong", { class: "code" }, code),
      rejection.path !== undefined && [
        " field ",
        h("code", { class: "field" }, rejection.path || "/"),
      ],
    ),
    h("p", { class: "message" }, rejection.message),
    (rejection.violations?.length ?? 0) > 0 &&
      h(
        "ul",
        { class: "violations" },
        (rejection.violations ?? []).map((violation) =>
          h(
            "li",
            {},
            h("code", {}, violation.path || "/"),
            `: ${violation.message}`,
            "value" in violation && ` (the value was ${JSON.stringify(violation.value)})`,
          ),
        ),
      ),
  );
}
