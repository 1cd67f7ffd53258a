/** What a server has acknowledged, what of it is still waiting to be mapped, and the deliveries waiting, from its /metrics. */
export interface Backlog {
  readonly received: number;
  readonly unmapped: number;
  readonly pending: number;
}

/**
 * Reads the backlog of a running server. Ingestion comes first in the
 * server (mapping takes a tenth of the time while requests saturate it), so
 * an ingest figure is only honest beside how much of what it took is mapped yet.
 */
export async function readBacklog(url: string): Promise<Backlog> {
  const text = await readMetrics(url);
  return {
    received: sumOf(text, /^gwenmap_events_received_total\{[^}]*\} (\S+)$/gm),
    unmapped: sumOf(text, /^gwenmap_queue_depth\{stage="unmapped"\} (\S+)$/gm),
    pending: sumOf(text, /^gwenmap_queue_depth\{stage="pending"\} (\S+)$/gm),
  };
}

/** A running server's `/metrics` text. */
export async function readMetrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** The sum of the values the `g` pattern's first group captures in a `/metrics` text. */
export function sumOf(text: string, pattern: RegExp): number {
  let sum = 0;
  for (const match of text.matchAll(pattern)) sum += Number(match[1]);
  return sum;
}
