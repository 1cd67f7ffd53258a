import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * Starts the worker thread whose module is `name` beside `beside` (a module's
 * `import.meta.url`). Built, that is `name.js`. Under the test runner the
 * modules are TypeScript source: the thread then registers tsx first and
 * loads `name.ts` through it.
 */
export function startThread(beside: string, name: string, workerData: unknown): Worker {
  if (!beside.endsWith(".ts")) {
    return new Worker(new URL(`./${name}.js`, beside), { workerData });
  }
  const tsx = pathToFileURL(
    createRequire(beside)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const thread = new URL(`./${name}.ts`, beside).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(thread)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
