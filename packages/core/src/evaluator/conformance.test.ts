import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createEvaluator } from "./create-evaluator.js";
import { defaultEvaluationLimits, type EvaluationLimits } from "./evaluator.js";
import { toPlainJson } from "./plain-json.js";

/**
 * The official JSONata test suite (version 2.2.2, copied into
 * test/jsonata-test-suite with its licence) through `createEvaluator`:
 * every case, compiled or fallen back to jsonata, must give the suite's
 * result, its undefined result, or its error code.
 */

const suite = fileURLToPath(new URL("../../test/jsonata-test-suite/", import.meta.url));

interface SuiteCase {
  expr?: string;
  "expr-file"?: string;
  data?: unknown;
  dataset?: string | null;
  bindings?: Record<string, unknown>;
  timelimit?: number;
  depth?: number;
  result?: unknown;
  undefinedResult?: boolean;
  unordered?: boolean;
  code?: string;
  token?: string;
  error?: { code: string };
}

interface NamedCase {
  readonly name: string;
  readonly expression: string;
  readonly input: unknown;
  readonly spec: SuiteCase;
}

const datasets = new Map<string, unknown>(
  readdirSync(join(suite, "datasets")).map((file) => [
    file.replace(/\.json$/, ""),
    JSON.parse(readFileSync(join(suite, "datasets", file), "utf8")),
  ]),
);

function casesOf(group: string): NamedCase[] {
  const dir = join(suite, "groups", group);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .flatMap((file) => {
      const parsed = JSON.parse(readFileSync(join(dir, file), "utf8")) as SuiteCase | SuiteCase[];
      const specs = Array.isArray(parsed) ? parsed : [parsed];
      return specs.map((spec, index) => ({
        name: specs.length === 1 ? file : `${file}[${index}]`,
        expression: spec.expr ?? readFileSync(join(dir, spec["expr-file"] ?? ""), "utf8"),
        input: "data" in spec ? spec.data : spec.dataset ? datasets.get(spec.dataset) : undefined,
        spec,
      }));
    });
}

const groups = readdirSync(join(suite, "groups")).sort();

/**
 * The suite's limits, as its own runner applies them; the default depth
 * otherwise. The sequence limit is the range operator's own (1e7), which
 * some cases reach on purpose. A case without a time limit has none in the
 * suite's runner: it gets the test's own timeout here, not a tighter one, so
 * that a loaded machine (a 3 s case took 10 s at a load of 25) is no failure.
 */
const UNLIMITED_CASE_MS = 25_000;

function limitsOf(spec: SuiteCase): EvaluationLimits {
  return {
    timeoutMs: spec.timelimit ?? UNLIMITED_CASE_MS,
    maxDepth: spec.depth ?? defaultEvaluationLimits.maxDepth,
    maxSequenceLength: 1e7,
  };
}

/**
 * The suite's runner reports its own guardrails (depth and time) as U1001;
 * here they are jsonata's D1011 and D1012.
 */
function expectedCodes(spec: SuiteCase): string[] | undefined {
  const code = spec.code ?? spec.error?.code;
  if (code === undefined) return undefined;
  return code === "U1001" ? ["D1011", "D1012"] : [code];
}

type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { code?: string; token?: string } };

const tally = { compiled: 0, fallback: 0, syntaxErrors: 0, reasons: new Map<string, number>() };

async function run(testCase: NamedCase): Promise<Outcome> {
  let evaluator: ReturnType<typeof createEvaluator>;
  try {
    evaluator = createEvaluator(testCase.expression, limitsOf(testCase.spec));
  } catch (error) {
    tally.syntaxErrors++;
    return { ok: false, error: error as { code?: string } };
  }
  try {
    if (evaluator.kind === "compiled") tally.compiled++;
    else {
      tally.fallback++;
      const reason = (evaluator.fallbackReason ?? "").replace(/ at position \d+$/, "");
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
    }
    const raw = await evaluator.evaluate(testCase.input, testCase.spec.bindings ?? {});
    return { ok: true, value: toPlainJson(raw) };
  } catch (error) {
    return { ok: false, error: error as { code?: string } };
  }
}

function sortedJson(values: unknown): string[] {
  return (Array.isArray(values) ? values : [values]).map((value) => JSON.stringify(value)).sort();
}

describe.each(groups)("JSONata test suite: %s", (group) => {
  it.each(casesOf(group).map((testCase) => [testCase.name, testCase] as const))(
    "%s",
    async (_name, testCase) => {
      const outcome = await run(testCase);
      const spec = testCase.spec;
      const codes = expectedCodes(spec);
      if (codes !== undefined) {
        expect(outcome.ok, `expected error ${codes.join(" or ")}`).toBe(false);
        if (outcome.ok) return;
        expect(codes).toContain(outcome.error.code);
        if (spec.token !== undefined) expect(outcome.error.token).toBe(spec.token);
        return;
      }
      if (!outcome.ok) throw new Error(`unexpected error ${JSON.stringify(outcome.error)}`);
      if (spec.undefinedResult || !("result" in spec)) {
        expect(outcome.value).toBeUndefined();
      } else if (spec.unordered) {
        expect(sortedJson(outcome.value)).toEqual(sortedJson(spec.result));
      } else {
        expect(
          isDeepStrictEqual(outcome.value, spec.result),
          `got ${JSON.stringify(outcome.value)}`,
        ).toBe(true);
      }
    },
  );
});

/** Compiled cases must not fall below 85% of the suite without someone noticing. */
const compiledFloor = 0.85;

afterAll(() => {
  const total = tally.compiled + tally.fallback + tally.syntaxErrors;
  const share = ((tally.compiled / total) * 100).toFixed(1);
  const reasons = [...tally.reasons.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => `  ${String(count).padStart(4)}  ${reason}`)
    .join("\n");
  console.log(
    `JSONata test suite: ${tally.compiled} of ${total} cases compiled (${share}%), ${tally.fallback} fell back to jsonata, ${tally.syntaxErrors} are syntax errors. Fallback reasons:\n${reasons}`,
  );
  if (total === 1686) expect(tally.compiled / total).toBeGreaterThanOrEqual(compiledFloor);
});
