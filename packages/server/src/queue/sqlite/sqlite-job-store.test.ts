import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobStore } from "../job-store.js";
import { describeJobStore } from "../test-job-store-suite.js";
import { SqliteJobStore } from "./sqlite-job-store.js";

describeJobStore("SQLite", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "gwenmap-store-"));
  const opened: JobStore[] = [];
  return {
    async open(options) {
      const store = await SqliteJobStore.open({ ...options, dataDir });
      opened.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
