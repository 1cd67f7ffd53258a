import { afterAll } from "vitest";
import type { JobStore } from "../job-store.js";
import { describeJobStore } from "../test-job-store-suite.js";
import { PostgresJobStore } from "./postgres-job-store.js";
import { createTestSchema, type TestSchema } from "./test-postgres-url.js";

// One private schema for this file, emptied for each test: creating and
// dropping a schema per test would spend most of the suite on DDL.
let schema: TestSchema | undefined;

afterAll(async () => {
  await schema?.drop();
});

describeJobStore("PostgreSQL", async () => {
  schema ??= createTestSchema();
  const storage = schema;
  await storage.truncate();
  const opened: JobStore[] = [];
  return {
    async open(options) {
      const store = await PostgresJobStore.open({ ...options, url: storage.url, poolSize: 4 });
      opened.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
});
