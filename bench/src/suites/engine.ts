import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createEvaluator, defaultEvaluationLimits, type Engine, loadEngine } from "@gwenmap/core";
import { actions } from "@gwenmap/gwen-adapter";
import { JsonTemplateEngine, PathType } from "@rudderstack/json-template-engine";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import jsonata from "jsonata";
import { type Contender, compareThroughput } from "../harness/compare-throughput.js";
import { type Figure, type Suite, type SuiteOptions, withRatios } from "../harness/figure.js";
import {
  examplesDir,
  generatedSet,
  type orderCompleted,
  orderCompletedEvents,
  orderCompletedOptions,
  type PlainMapping,
  presetsDir,
  readPlainMapping,
} from "./engine-inputs.js";

const addFormats = addFormatsPlugin as unknown as typeof addFormatsPlugin.default;

/**
 * The core's full path (match + evaluate + validate, `engine.mapEventSync`,
 * which answers without a promise when every mapping met is compiled) against plain
 * `jsonata(expr).evaluate()` of the same mappings plus the same ajv
 * validation, and against hand-written JavaScript plus ajv (the ceiling).
 */
export const engineSuite: Suite = {
  name: "engine",
  async run(options) {
    const timing = options.smoke
      ? { durationMs: 40, rounds: 1 }
      : { durationMs: options.quick ? 300 : 3000, rounds: options.quick ? 2 : 6 };
    const validators = compileValidators();
    const figures: Figure[] = [];
    figures.push(...(await presetCases(validators, timing, options)));
    figures.push(...(await reshapingCases(validators, timing, options)));
    figures.push(...(await evaluatorCases(timing, options)));
    figures.push(...(await scaleCases(validators, timing, options)));
    return figures;
  },
};

type Validators = Record<string, ValidateFunction>;
type Timing = { durationMs: number; rounds: number };
type OrderCompleted = typeof orderCompleted;

/** A contender's run over the 64 varied events, one after the other, round and round. */
function cycling(run: (event: OrderCompleted) => unknown): () => unknown {
  let next = 0;
  return () => run(orderCompletedEvents[next++ & 63]!);
}

/** The engine's full path over the 64 events, told each was parsed from JSON of its size, as the front ends tell it. */
function mapping(engine: Engine): () => unknown {
  let next = 0;
  return () => {
    const index = next++ & 63;
    return engine.mapEventSync(orderCompletedEvents[index]!, orderCompletedOptions[index]);
  };
}

function compileValidators(): Validators {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return Object.fromEntries(
    Object.entries(actions).map(([name, action]) => [name, ajv.compile(action.schema)]),
  );
}

async function readPlainSet(dir: string): Promise<PlainMapping[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith(".jsonata")).sort();
  return Promise.all(files.map((name) => readPlainMapping(join(dir, name))));
}

async function engineFor(dir: string): Promise<Engine> {
  const loaded = await loadEngine(dir, { contracts: actions });
  if (!loaded.ok) throw new Error(loaded.errors.map(String).join("\n"));
  return loaded.engine;
}

/** What one would write with jsonata alone: every trigger evaluated, firing expressions evaluated, ajv. */
function plainJsonata(
  mappings: readonly PlainMapping[],
  validators: Validators,
): (event: OrderCompleted) => Promise<unknown> {
  const compiled = mappings.map((m) => ({
    ...m,
    trigger: jsonata(m.trigger),
    expression: jsonata(m.expression),
  }));
  return async (event) => {
    const payloads: unknown[] = [];
    for (const mapping of compiled) {
      if ((await mapping.trigger.evaluate(event)) !== true) continue;
      const payload = await mapping.expression.evaluate(event);
      if (validators[mapping.action]!(payload)) payloads.push(payload);
    }
    return payloads;
  };
}

function sendEventByHand(event: OrderCompleted): Record<string, unknown> | undefined {
  if (event.type !== "track") return undefined;
  const payload: Record<string, unknown> = { userId: event.userId, type: event.type };
  if (event.properties !== undefined) payload.data = event.properties;
  return payload;
}

function orderCompletedByHand(event: OrderCompleted): Record<string, unknown> | undefined {
  if (event.type !== "track" || event.event !== "Order Completed") return undefined;
  const p = event.properties;
  const data: Record<string, unknown> = {
    orderId: p.order_id,
    revenue: Math.round(p.revenue * 100) / 100,
    currency: p.currency.toUpperCase(),
    itemCount: p.products.reduce((sum, product) => sum + product.quantity, 0),
    skus: p.products.map((product) => product.sku),
    bigSpender: p.revenue > 100,
  };
  if (p.coupon) data.coupon = p.coupon;
  return { userId: event.userId, type: event.event.toLowerCase().replaceAll(" ", "_"), data };
}

async function group(
  name: string,
  contenders: { full: () => unknown; plain: () => unknown; hand: () => unknown },
  run: { timing: Timing; options: SuiteOptions },
): Promise<Figure[]> {
  const { timing, options } = run;
  options.log(`engine: ${name}`);
  const cases = {
    full: `${name}: gwenmap full path`,
    plain: `${name}: plain jsonata + ajv`,
    hand: `${name}: hand-written JS + ajv`,
  };
  const list: Contender[] = [
    { name: cases.full, run: contenders.full },
    { name: cases.plain, run: contenders.plain },
    { name: cases.hand, run: contenders.hand },
  ];
  return measured(list, timing, {
    unit: "events/s",
    pairs: [
      [cases.full, cases.plain],
      [cases.hand, cases.full],
    ],
  });
}

/** The contenders measured side by side, as figures in `unit` with the ratios of `pairs`. */
async function measured(
  contenders: readonly Contender[],
  timing: Timing,
  report: { unit: string; pairs: readonly (readonly [string, string])[] },
): Promise<Figure[]> {
  const { unit, pairs } = report;
  const results = await compareThroughput(contenders, timing);
  const figures = results.map((r) => ({
    suite: "engine",
    case: r.name,
    value: r.opsPerSecond,
    unit,
  }));
  return withRatios(figures, pairs);
}

async function presetCases(
  validators: Validators,
  timing: Timing,
  options: SuiteOptions,
): Promise<Figure[]> {
  const engine = await engineFor(presetsDir);
  const plain = await Promise.all(
    ["send-event", "identify-user"].map((n) => readPlainMapping(join(presetsDir, `${n}.jsonata`))),
  );
  return group(
    "presets (track)",
    {
      full: mapping(engine),
      plain: cycling(plainJsonata(plain, validators)),
      hand: cycling((event) => validators.sendEvent!(sendEventByHand(event))),
    },
    { timing, options },
  );
}

async function reshapingCases(
  validators: Validators,
  timing: Timing,
  options: SuiteOptions,
): Promise<Figure[]> {
  const engine = await engineFor(examplesDir);
  const names = ["first-order", "group-joined", "order-completed", "page-view", "screen-view"];
  const plain = await Promise.all(
    names.map((n) => readPlainMapping(join(examplesDir, `${n}.jsonata`))),
  );
  return group(
    "reshaping (Order Completed)",
    {
      full: mapping(engine),
      plain: cycling(plainJsonata(plain, validators)),
      hand: cycling((event) => validators.sendEvent!(orderCompletedByHand(event))),
    },
    { timing, options },
  );
}

async function scaleCases(
  validators: Validators,
  timing: Timing,
  options: SuiteOptions,
): Promise<Figure[]> {
  // 1: the order-completed example alone; from 2 on, it and the send-event preset fire
  const sizes = [1, 2, 50, 500];
  const sets = await Promise.all(sizes.map((size) => generatedSet(size)));
  try {
    const engines = await Promise.all(sets.map((set) => engineFor(set.dir)));
    options.log("engine: mapping set sizes");
    const contenders: Contender[] = engines.map((engine, index) => ({
      name: `${sizes[index]} mappings (${sizes[index] === 1 ? "1 fires" : "2 fire"}): gwenmap full path`,
      run: mapping(engine),
    }));
    const naive = `${sizes.at(-1)} mappings (2 fire): plain jsonata + ajv`;
    const largest = await readPlainSet(sets.at(-1)!.dir);
    contenders.push({ name: naive, run: cycling(plainJsonata(largest, validators)) });
    // the index's cost: 50 and 500 mappings against the two of them that fire, alone
    const single = contenders[0]!.name;
    const firing = contenders[1]!.name;
    const indexed = contenders[sizes.length - 1]!.name;
    return measured(contenders, timing, {
      unit: "events/s",
      pairs: [
        [firing, single],
        ...contenders.slice(2, sizes.length).map((c) => [c.name, firing] as const),
        [naive, indexed],
      ],
    });
  } finally {
    await Promise.all(sets.map((set) => set.remove()));
  }
}

/**
 * The reshaping mapping in json-template-engine's own language, with simple
 * paths (`a.b.c` read as `a?.b?.c`, its fastest); `$.round` and `$.sum` are
 * bindings, since the language has no rounding or sum of its own.
 */
const reshapingTemplate = `{
  userId: .userId,
  type: .event.toLowerCase().replaceAll(" ", "_"),
  data: {
    orderId: .properties.order_id,
    revenue: $.round(.properties.revenue, 2),
    currency: .properties.currency.toUpperCase(),
    itemCount: $.sum(.properties.products.map(lambda ?0.quantity)),
    skus: .properties.products.map(lambda ?0.sku),
    bigSpender: .properties.revenue > 100 ? true : false,
    coupon: .properties.coupon ? .properties.coupon : undefined
  }
}`;

const templateBindings = {
  round: (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places,
  sum: (values: number[]) => values.reduce((total, value) => total + value, 0),
};

/**
 * The evaluator alone, no engine around it: gwenmap's compiled evaluator of
 * the example's Order Completed mapping against the same mapping in
 * json-template-engine (which also generates JavaScript, the fastest
 * declarative mapper on npm), with simple paths, and written by hand.
 */
async function evaluatorCases(timing: Timing, options: SuiteOptions): Promise<Figure[]> {
  options.log("engine: evaluator alone (reshaping)");
  const mapping = await readPlainMapping(join(examplesDir, "order-completed.jsonata"));
  const evaluator = createEvaluator(mapping.expression, defaultEvaluationLimits);
  if (evaluator.kind !== "compiled") throw new Error(`not compiled: ${evaluator.fallbackReason}`);
  const template = JsonTemplateEngine.createAsSync(reshapingTemplate, {
    defaultPathType: PathType.SIMPLE,
  });
  const cases = {
    compiled: "reshaping, evaluator alone: gwenmap compiled",
    template: "reshaping, evaluator alone: json-template-engine (simple paths)",
    hand: "reshaping, evaluator alone: hand-written JS",
  };
  const contenders: Contender[] = [
    { name: cases.compiled, run: cycling((event) => evaluator.evaluate(event)) },
    { name: cases.template, run: cycling((event) => template.evaluate(event, templateBindings)) },
    { name: cases.hand, run: cycling((event) => orderCompletedByHand(event)) },
  ];
  return measured(contenders, timing, {
    unit: "evaluations/s",
    pairs: [
      [cases.compiled, cases.template],
      [cases.hand, cases.compiled],
    ],
  });
}
