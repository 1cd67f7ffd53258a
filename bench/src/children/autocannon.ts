/**
 * A load generator in its own process, so it has a core of its own and is
 * not what limits the server measured. Takes one job per line on stdin (the
 * autocannon options as JSON, so the write keys in the headers never show in
 * a process list), runs autocannon, and answers each with one JSON line of
 * its summary on stdout. Announces itself with `{"ready":true}`.
 */
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import type { LoadResult } from "../load/load-result.js";

async function run(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon(options);
  return {
    requests: result.requests.total,
    durationSeconds: result.duration,
    requestsPerSecond: result.duration > 0 ? result.requests.total / result.duration : 0,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const jobs = JSON.parse(line) as autocannon.Options[];
  const summaries = await Promise.all(jobs.map(run));
  process.stdout.write(`${JSON.stringify(summaries)}\n`);
}
