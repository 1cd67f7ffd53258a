/** What a server has acknowledged and what of it is still waiting to be mapped, from its /metrics. */
export interface Backlog {
  readonly received: number;
  readonly unmapped: number;
}

/**
 * Reads the backlog of a running server. Ingestion comes first in the
 * server (mapping takes a quarter of the time while requests arrive), so an
 * ingest figure is only honest beside how much of what it took is mapped yet.
 */
export async function readBacklog(url: string): Promise<Backlog> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return {
    received: sumOf(text, /^gwenmap_events_received_total\{[^}]*\} (\S+)$/gm),
    unmapped: sumOf(text, /^gwenmap_queue_depth\{stage="unmapped"\} (\S+)$/gm),
  };
}

function sumOf(text: string, pattern: RegExp): number {
  let sum = 0;
  for (const match of text.matchAll(pattern)) sum += Number(match[1]);
  return sum;
}
