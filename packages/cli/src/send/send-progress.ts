import type { ReadStream } from "node:fs";
import { Presets, SingleBar } from "cli-progress";
import type { EventInput } from "../events/open-input.js";
import type { SendStats } from "./send-stats.js";

/**
 * A progress bar on stderr (only when stderr is a terminal): share of the
 * file read, ETA, event rate and the counts. Returns a function that stops it.
 */
export function showProgress(input: EventInput, stats: SendStats): () => void {
  if (!process.stderr.isTTY || input.size === undefined) return () => {};
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format:
        "{bar} {percentage}% | ETA {eta_formatted} | {events} events, {rate}/s | {sent} sent, {retried} retried, {rejected} rejected, {failed} failed",
      hideCursor: true,
      fps: 5,
      etaBuffer: 100,
    },
    Presets.shades_classic,
  );
  const values = () => ({
    events: stats.events,
    rate: stats.eventsPerSecond(),
    sent: stats.sent,
    retried: stats.retried,
    rejected: stats.rejected,
    failed: stats.failed,
  });
  const bytesRead = () => (input.stream as Partial<ReadStream>).bytesRead ?? 0;
  bar.start(Math.max(1, input.size), 0, values());
  const timer = setInterval(() => bar.update(bytesRead(), values()), 200);
  return () => {
    clearInterval(timer);
    bar.update(bytesRead(), values());
    bar.stop();
  };
}
