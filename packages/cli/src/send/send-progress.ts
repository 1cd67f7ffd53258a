import type { ReadStream } from "node:fs";
import { SingleBar } from "cli-progress";
import type { EventInput } from "../events/open-input.js";
import type { SendStats } from "./send-stats.js";

/** How far back the delivery rate behind the ETA looks. */
const RATE_WINDOW_MS = 5_000;
const BAR_WIDTH = 20;

/** What one progress line shows. */
export interface ProgressSnapshot {
  /** Share of the input read, 0 to 1. */
  readonly read: number;
  /** True once the input is read to the end. */
  readonly readAll: boolean;
  readonly dryRun: boolean;
  /** Milliseconds left, or undefined when there is nothing to estimate from yet. */
  readonly etaMs: number | undefined;
  readonly stats: Pick<
    SendStats,
    "events" | "sent" | "retried" | "rejected" | "failed" | "pending" | "waiting"
  >;
}

/**
 * One progress line. While reading: the share read and the ETA. Once the
 * input is read: how many deliveries are still pending and how many of
 * them wait out a backoff, so a run that waits on GWEN says so instead of
 * sitting at 100%.
 */
export function progressLine(snapshot: ProgressSnapshot): string {
  const n = (value: number) => value.toLocaleString("en-US");
  const { stats } = snapshot;
  const filled = Math.round(snapshot.read * BAR_WIDTH);
  const bar = `${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}`;
  const parts = [`${bar} ${Math.floor(snapshot.read * 100)}% read`];
  if (snapshot.readAll && !snapshot.dryRun) {
    const deliveries = stats.pending === 1 ? "delivery" : "deliveries";
    parts.push(`${n(stats.pending)} ${deliveries} pending, ${n(stats.waiting)} waiting to retry`);
  }
  parts.push(`ETA ${formatDuration(snapshot.etaMs)}`);
  parts.push(`${n(stats.events)} events`);
  const outcomes = snapshot.dryRun
    ? `${n(stats.rejected)} rejected`
    : `${n(stats.sent)} sent, ${n(stats.retried)} retried, ${n(stats.rejected)} rejected, ${n(stats.failed)} failed`;
  parts.push(outcomes);
  return parts.join(" | ");
}

/** `12 s`, `3 min 05 s`, `1 h 02 min`; `unknown` before there is anything to go by. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "unknown";
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/**
 * The time left, from how fast deliveries have settled lately (sent or
 * failed) and how many are left: those pending, and while reading, as many
 * again per share of the input still unread; while reading never less than
 * reading the rest takes; never before the last scheduled retry is due.
 */
export class EtaEstimate {
  readonly #samples: { at: number; settled: number }[] = [];

  estimate(
    now: number,
    progress: { read: number; readAll: boolean; elapsedMs: number },
    stats: Pick<SendStats, "sent" | "failed" | "pending" | "retryUntil">,
  ): number | undefined {
    const settled = stats.sent + stats.failed;
    this.#samples.push({ at: now, settled });
    while ((this.#samples[0]?.at ?? now) < now - RATE_WINDOW_MS) this.#samples.shift();
    const retries = Math.max(0, stats.retryUntil - now);
    const oldest = this.#samples[0];
    const rate = oldest && now > oldest.at ? (settled - oldest.settled) / (now - oldest.at) : 0;
    if (!progress.readAll) {
      if (progress.read <= 0) return undefined;
      const reading = (progress.elapsedMs * (1 - progress.read)) / progress.read;
      const expected = (settled + stats.pending) / progress.read;
      const delivering = rate > 0 ? (expected - settled) / rate : 0;
      return Math.max(retries, reading, delivering);
    }
    if (stats.pending === 0) return 0;
    if (rate > 0) return Math.max(retries, stats.pending / rate);
    return retries > 0 ? retries : undefined;
  }
}

/**
 * A progress line on stderr (only when stderr is a terminal), redrawn five
 * times a second. Returns a function that stops it.
 */
export function showProgress(
  input: EventInput,
  stats: SendStats,
  options: { dryRun: boolean },
): () => void {
  if (!process.stderr.isTTY || input.size === undefined) return () => {};
  const size = Math.max(1, input.size);
  const bar = new SingleBar({
    stream: process.stderr,
    format: "{line}",
    hideCursor: true,
    fps: 5,
  });
  const eta = new EtaEstimate();
  const line = () => {
    const readAll = stats.readMs !== undefined;
    const bytes = (input.stream as Partial<ReadStream>).bytesRead ?? 0;
    const read = readAll ? 1 : Math.min(1, bytes / size);
    const progress = { read, readAll, elapsedMs: stats.elapsedMs() };
    // a dry run delivers nothing: only reading is left to estimate
    const settling = {
      sent: stats.sent,
      failed: stats.failed,
      pending: options.dryRun ? 0 : stats.pending,
      retryUntil: stats.retryUntil,
    };
    const etaMs = eta.estimate(Date.now(), progress, settling);
    return { line: progressLine({ read, readAll, dryRun: options.dryRun, etaMs, stats }) };
  };
  bar.start(size, 0, line());
  const timer = setInterval(() => bar.update(0, line()), 200);
  return () => {
    clearInterval(timer);
    bar.update(0, line());
    bar.stop();
  };
}
