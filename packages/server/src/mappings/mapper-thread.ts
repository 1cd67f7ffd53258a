/**
 * The mapping thread: holds the compiled mapping set and maps acknowledged
 * requests into records, off the event loop that acknowledges requests, so
 * that a slow mapping (up to its time limit per event) never holds up an
 * acknowledgement, and mapping has a core of its own where there is one.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type Engine, evaluatorsOf, formatError, loadEngine, type Mapping } from "@gwenmap/core";
import { actions } from "@gwenmap/gwen-adapter";
import { crashPoint } from "../faults/crash-point.js";
import { mapReplay, mapRequest } from "./map-requests.js";
import type {
  LoadOutcome,
  MapperRequest,
  MapperResponse,
  MapperSettings,
  MapperTask,
  MappingSummary,
} from "./mapper-protocol.js";

const port = parentPort;
if (!port) throw new Error("mapper-thread.js runs only as a worker thread");
const settings = workerData as MapperSettings;
let engine: Engine | undefined;

// Tasks run one at a time, in the order posted: a reload takes effect between two rounds, never inside one.
let queue: Promise<void> = Promise.resolve();
port.on("message", (request: MapperRequest | "close") => {
  if (request === "close") {
    void queue.then(() => port.close());
    return;
  }
  queue = queue.then(() => answer(request));
});

async function answer(request: MapperRequest): Promise<void> {
  let response: MapperResponse;
  try {
    response = { seq: request.seq, ok: true, value: await run(request.task) };
  } catch (error) {
    response = { seq: request.seq, ok: false, message: String((error as Error).stack ?? error) };
  }
  port?.postMessage(response);
}

async function run(task: MapperTask): Promise<unknown> {
  if (task.type === "load") return load();
  const inUse = engine;
  if (!inUse) throw new Error("no mapping set is loaded");
  if (task.type === "map") {
    crashPoint("mapping-thread");
    const events = [];
    for (const request of task.input) events.push(...(await mapRequest(inUse, request)));
    return events;
  }
  const replacements = [];
  for (const replay of task.input) replacements.push(await mapReplay(inUse, replay));
  return replacements;
}

async function load(): Promise<LoadOutcome> {
  const loaded = await loadEngine(settings.dir, { contracts: actions });
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map((error) => formatError(error)) };
  engine = loaded.engine;
  return { ok: true, mappings: loaded.mappings.map(summarize) };
}

function summarize(mapping: Mapping): MappingSummary {
  return {
    name: mapping.name,
    action: mapping.action,
    evaluator: evaluatorsOf(mapping),
    ...(mapping.disabled ? { disabled: true } : {}),
  };
}
