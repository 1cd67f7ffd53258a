/** What a backfill has done so far; shown by the progress bar and the summary. */
export class SendStats {
  /** Documents read from the input (events, records, lines that are not JSON). */
  events = 0;
  /** Deliveries GWEN confirmed. */
  sent = 0;
  /** HTTP requests sent to GWEN (each carries up to `--batch-size` deliveries). */
  requests = 0;
  /** Deliveries mapped and valid (in a dry run: what would be sent). */
  mapped = 0;
  /** Retries made after `retry` outcomes. */
  retried = 0;
  /** Events or mapping outputs rejected by the engine, and lines that are not JSON. */
  rejected = 0;
  /** Deliveries that did not reach GWEN (refused, retries exhausted, key refused, interrupted). */
  failed = 0;
  /** Deliveries waiting out a backoff before their next try. */
  waiting = 0;
  /** When the latest retry scheduled so far is due (ms since the epoch), 0 before any. */
  retryUntil = 0;
  /** The input line of the last document read. */
  lastLine = 0;
  /** How long reading the input took, once it is read to the end. */
  readMs: number | undefined;
  readonly startedAt = Date.now();

  /** Deliveries mapped that are neither sent nor failed yet: in flight, gathering or waiting to retry. */
  get pending(): number {
    return Math.max(0, this.mapped - this.sent - this.failed);
  }

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Events per second over the whole run so far, waiting included. */
  eventsPerSecond(): number {
    const seconds = this.elapsedMs() / 1000;
    return seconds > 0 ? Math.round(this.events / seconds) : 0;
  }
}
