import { readFileSync } from "node:fs";
import * as now from "@gwenmap/core";
// @ts-expect-error
import * as old from "/tmp/oldcore/packages/core/dist/index.js";
import { orderCompletedEvents } from "./src/suites/engine-inputs.ts";

const text = readFileSync("../examples/mappings/order-completed.jsonata", "utf8");
const expr = text.slice(text.indexOf("*/") + 2);
const a = now.createEvaluator(expr, now.defaultEvaluationLimits);
const b = old.createEvaluator(expr, old.defaultEvaluationLimits);
function run(f: (e: unknown) => unknown, n: number) {
  const t = performance.now();
  for (let i = 0; i < n; i++) f(orderCompletedEvents[i & 63]);
  return performance.now() - t;
}
const tot: Record<string, number> = { now: 0, old: 0 };
for (let r = 0; r < 10; r++) {
  tot.now += run((e) => a.evaluate(e), 30000);
  tot.old += run((e) => b.evaluate(e), 30000);
}
console.log("reshaping: now/old time ratio", (tot.now / tot.old).toFixed(2));
