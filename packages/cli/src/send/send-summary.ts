import type { Colors } from "../terminal/colors.js";
import type { StopReason } from "./backfill.js";
import type { FailuresFile } from "./failures-file.js";
import type { SendStats } from "./send-stats.js";

export interface SummaryContext {
  readonly stats: SendStats;
  readonly input: string;
  readonly dryRun: boolean;
  readonly failures: FailuresFile;
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
    eventsPerSecond: stats.eventsPerSecond(),
    failuresFile: context.failures.count > 0 ? context.failures.path : null,
    failures: context.failures.count,
    stopped: stopReason?.kind ?? null,
  };
}

/** The summary in words: what was read, sent, retried, rejected and failed, and what to do next. */
export function summaryText(context: SummaryContext, colors: Colors): string {
  const { stats, stopReason } = context;
  const n = (value: number) => value.toLocaleString("en-US");
  const seconds = (stats.elapsedMs() / 1000).toFixed(1);
  const lines = [
    `Read ${n(stats.events)} events from ${context.input} in ${seconds} s (${n(stats.eventsPerSecond())} events/s)`,
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
  if (context.failures.count > 0) {
    lines.push(
      colors.yellow(
        `${n(context.failures.count)} failures written to ${context.failures.path}; fix them, then re-send with: gwenmap send ${context.failures.path}`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
