import type { Colors } from "../terminal/colors.js";
import type { StopReason } from "./backfill.js";
import type { DryRunRejections, FailuresFile } from "./failures-file.js";
import type { SendStats } from "./send-stats.js";

export interface SummaryContext {
  readonly stats: SendStats;
  readonly input: string;
  readonly dryRun: boolean;
  /** Where failures went: the failures file, or in a dry run the rejections counted. */
  readonly failures: FailuresFile | DryRunRejections;
  readonly stopReason?: StopReason | undefined;
}

/** The summary as data, for `--json`. */
export function summaryJson(context: SummaryContext): Record<string, unknown> {
  const { stats, stopReason } = context;
  return {
    input: context.input,
    dryRun: context.dryRun,
    events: stats.events,
    deliveries: context.dryRun ? stats.mapped : stats.sent,
    sent: stats.sent,
    requests: stats.requests,
    retried: stats.retried,
    rejected: stats.rejected,
    failed: stats.failed,
    lastLine: stats.lastLine,
    durationMs: stats.elapsedMs(),
    readMs: stats.readMs ?? null,
    eventsPerSecond: stats.eventsPerSecond(),
    failuresFile:
      "path" in context.failures && context.failures.count > 0 ? context.failures.path : null,
    failures: context.failures.count,
    stopped: stopReason?.kind ?? null,
  };
}

/** The summary in words: what was read, sent, retried, rejected and failed, and what to do next. */
export function summaryText(context: SummaryContext, colors: Colors): string {
  const { stats, stopReason } = context;
  const n = (value: number) => value.toLocaleString("en-US");
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  // the rate is over the whole run, waiting on GWEN included; reading alone is often far shorter
  const reading =
    stats.readMs === undefined || context.dryRun ? "" : `; reading took ${seconds(stats.readMs)}`;
  const lines = [
    `Read ${n(stats.events)} events from ${context.input} in ${seconds(stats.elapsedMs())} (${n(stats.eventsPerSecond())} events/s over the whole run${reading})`,
    context.dryRun
      ? `  ${n(stats.mapped)} deliveries would be sent (dry run: nothing was sent)`
      : `  ${n(stats.sent)} deliveries sent in ${n(stats.requests)} requests`,
    `  ${n(stats.retried)} retried`,
    `  ${n(stats.rejected)} rejected`,
    `  ${n(stats.failed)} failed`,
  ];
  if (stopReason?.kind === "interrupted") {
    lines.push(
      colors.yellow(
        `Interrupted after line ${n(stats.lastLine)} of ${context.input}. Continue with: gwenmap send ${context.input} --skip ${stats.lastLine}`,
      ),
    );
  }
  if (stopReason?.kind === "auth") {
    lines.push(
      colors.red(
        `Stopped: GWEN refused the API key (${stopReason.message}). Check --api-key or GWEN_API_KEY.`,
      ),
    );
  }
  const { failures } = context;
  if (failures.count > 0 && "path" in failures) {
    lines.push(
      colors.yellow(
        `${n(failures.count)} failures written to ${failures.path}; fix them, then re-send with: gwenmap send ${failures.path}`,
      ),
    );
  }
  if (failures.count > 0 && "first" in failures)
    lines.push(...dryRunLines(failures, context.input, colors));
  return `${lines.join("\n")}\n`;
}

/** A dry run's rejections: the first few in words, and how to see each one. */
function dryRunLines(rejections: DryRunRejections, input: string, colors: Colors): string[] {
  const shown = rejections.first.map((record) => {
    const { failure } = record;
    const mapping = failure.mapping ? ` ${failure.mapping}` : "";
    return `  line ${record.line}${mapping}: ${failure.code} ${failure.message}`;
  });
  const more = rejections.count - shown.length;
  return [
    colors.yellow(
      `${rejections.count.toLocaleString("en-US")} would be rejected (dry run: no failures file was written, as nothing was sent):`,
    ),
    ...shown,
    ...(more > 0 ? [`  … and ${more.toLocaleString("en-US")} more`] : []),
    `See each with: gwenmap map ${input} --explain > /dev/null`,
  ];
}
