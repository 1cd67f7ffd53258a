import type { JobStore } from "../job-store.js";
import { describeJobStore } from "../test-job-store-suite.js";
import { PostgresJobStore } from "./postgres-job-store.js";
import { createTestSchema } from "./test-postgres-url.js";

describeJobStore("PostgreSQL", async () => {
  const schema = createTestSchema();
  const opened: JobStore[] = [];
  return {
    async open(options) {
      const store = await PostgresJobStore.open({ ...options, url: schema.url, poolSize: 4 });
      opened.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
      await schema.drop();
    },
  };
});
