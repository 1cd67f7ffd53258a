/**
 * `npm run soak -w @gwenmap/e2e-tests -- --minutes 5`: the real server takes a
 * steady stream of events for a bounded time while the GWEN emulator flaps
 * between healthy and failing (503s, 429s, resets). It samples the server's
 * memory (RSS, and heap after a GC) throughout, then checks that every
 * acknowledged event was delivered and that memory stayed flat: the median of
 * the last third within +20 % of the first third's, after warm-up.
 * Not part of CI. Exit code 0 when both hold.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_EMULATOR_API_KEY, startEmulator } from "@gwenmap/gwen-adapter/emulator";
import { basicAuth, batchBody, userIdFor } from "../support/reliability/events.js";
import { metricValue } from "../support/reliability/metrics.js";
import { RESULTS_FILE, recordResult } from "../support/reliability/results.js";
import { SHIPPED_MAPPINGS, spawnServer, temporaryDataDir } from "../support/server/spawn-server.js";
import { type MemorySample, memoryTrend } from "./memory-trend.js";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    rate: { type: "string", default: "200" },
    "flap-seconds": { type: "string", default: "10" },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const flapMs = Number(values["flap-seconds"]) * 1000;
const RUN = 0x7001;
const PER_BATCH = 50;
const MAX_IN_FLIGHT = 8;
const GROWTH_LIMIT = 0.2;
const WRITE_KEY = "soak-write-key";
const FAILING = {
  errorRate: 0.5,
  errorStatus: 503,
  rateLimitRate: 0.1,
  retryAfterSeconds: 1,
  resetRate: 0.05,
  latencyMs: 5,
};

const delivered = new Map<string, number>();
const gwen = await startEmulator({
  record: false,
  onRequest: (request) => {
    const userId = String(request.variables.userId);
    delivered.set(userId, (delivered.get(userId) ?? 0) + 1);
  },
});
const data = await temporaryDataDir();
const memoryFile = join(data.dir, "memory.ndjson");
const reporter = pathToFileURL(new URL("./report-memory.mjs", import.meta.url).pathname).href;
const server = await spawnServer({
  GWENMAP_DATA_DIR: data.dir,
  GWENMAP_MAPPINGS: SHIPPED_MAPPINGS,
  GWENMAP_WRITE_KEYS: WRITE_KEY,
  GWEN_API_KEY: DEFAULT_EMULATOR_API_KEY,
  GWEN_ENDPOINT: gwen.url,
  GWENMAP_WATCH: "0",
  GWENMAP_RETRY_BASE_DELAY: "100ms",
  GWENMAP_RETRY_MAX_DELAY: "5s",
  NODE_OPTIONS: `--expose-gc --import ${reporter}`,
  SOAK_MEMORY_FILE: memoryFile,
  SOAK_MEMORY_INTERVAL_MS: "5000",
}).catch(async (error: unknown) => {
  await gwen.close();
  throw error;
});

const totalBatches = Math.ceil((minutes * 60 * rate) / PER_BATCH);
const acknowledged = new Set<number>();
const retry: number[] = [];
let next = 0;
let inFlight = 0;
let refused = 0;

async function sendBatch(batch: number): Promise<void> {
  inFlight += 1;
  try {
    const from = batch * PER_BATCH;
    const response = await fetch(`${server.url}/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basicAuth(WRITE_KEY) },
      body: batchBody(RUN, from, from + PER_BATCH),
    });
    await response.text();
    if (response.status === 200) acknowledged.add(batch);
    else {
      refused += 1;
      retry.push(batch);
    }
  } catch {
    retry.push(batch);
  } finally {
    inFlight -= 1;
  }
}

const startedAt = Date.now();
let failing = false;
const flapper = setInterval(() => {
  failing = !failing;
  gwen.setFaults(failing ? FAILING : {});
}, flapMs);
const pacer = setInterval(
  () => {
    if (inFlight >= MAX_IN_FLIGHT) return;
    const batch = retry.shift() ?? (next < totalBatches ? next++ : undefined);
    if (batch !== undefined) void sendBatch(batch);
  },
  (PER_BATCH / rate) * 1000,
);
const progress = setInterval(async () => {
  const minute = ((Date.now() - startedAt) / 60_000).toFixed(1);
  const pending = await metricValue(server.url, 'gwenmap_queue_depth{stage="pending"}').catch(
    () => Number.NaN,
  );
  const last = readSamples().at(-1);
  console.log(
    `${minute} min: ${acknowledged.size * PER_BATCH} acknowledged, ${delivered.size} delivered, ${pending} pending, GWEN ${failing ? "failing" : "healthy"}, RSS ${mb(last?.rss)} MB, heap ${mb(last?.heapUsed)} MB`,
  );
}, 30_000);

while (acknowledged.size < totalBatches) await sleep(500);
clearInterval(pacer);
clearInterval(flapper);
gwen.setFaults({});
const sendingMs = Date.now() - startedAt;
const expected = totalBatches * PER_BATCH;
const drainDeadline = Date.now() + 180_000;
while (delivered.size < expected && Date.now() < drainDeadline) await sleep(500);
await sleep(2_000);
clearInterval(progress);
await server.stop("SIGTERM");
await gwen.close();

let lost = 0;
let duplicates = 0;
for (let index = 0; index < expected; index++) {
  const count = delivered.get(userIdFor(RUN, index)) ?? 0;
  if (count === 0) lost += 1;
  else duplicates += count - 1;
}
const samples = readSamples().filter((sample) => sample.at <= startedAt + sendingMs);
const trend = memoryTrend(samples, Math.min(60_000, sendingMs * 0.2));
const flat = trend.rssGrowth <= GROWTH_LIMIT && trend.heapGrowth <= GROWTH_LIMIT;
const summary = {
  minutes,
  rate,
  flapSeconds: flapMs / 1000,
  events: expected,
  delivered: expected - lost,
  duplicates,
  lost,
  refusedRequests: refused,
  memory: trend,
  flat,
};
console.log(JSON.stringify(summary, null, 2));
writeFileSync(
  join(RESULTS_FILE, "..", `soak-${new Date(startedAt).toISOString().replace(/[:.]/g, "-")}.json`),
  JSON.stringify({ ...summary, samples }, null, 2),
);
recordResult({
  scenario: `Soak: ${minutes} min at ${rate} events/s, GWEN flapping every ${flapMs / 1000} s`,
  events: expected,
  delivered: expected - lost,
  duplicates,
  lost,
  note: `RSS ${trend.firstRssMb.toFixed(0)} → ${trend.lastRssMb.toFixed(0)} MB (${pct(trend.rssGrowth)}), heap ${trend.firstHeapMb.toFixed(1)} → ${trend.lastHeapMb.toFixed(1)} MB (${pct(trend.heapGrowth)}) over ${trend.samples} samples`,
});
await data.remove();
process.exit(lost === 0 && flat ? 0 : 1);

function readSamples(): MemorySample[] {
  try {
    return readFileSync(memoryFile, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as MemorySample);
  } catch {
    return [];
  }
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? "?" : (bytes / 1_048_576).toFixed(1);
}

function pct(growth: number): string {
  return `${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
