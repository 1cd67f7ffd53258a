import { describe, expect, it } from "vitest";
import { IngestFirst } from "./ingest-first.js";

describe("IngestFirst", () => {
  it("does not hold mapping back when no request has arrived", async () => {
    const priority = new IngestFirst(0.25);
    await expect(priority.rest(60_000)).resolves.toBeUndefined();
  });

  it("lets mapping go on once requests stop arriving, however long its rest was to be", async () => {
    const priority = new IngestFirst(0.25);
    priority.arrived();
    // At a quarter share a round of 60 s would rest 180 s; the test's timeout is 5 s.
    await expect(priority.rest(60_000)).resolves.toBeUndefined();
  });

  it("is quiet before any request and not right after one (mapping then overlaps nothing with ingestion)", () => {
    const priority = new IngestFirst(0.25);
    expect(priority.quiet()).toBe(true);
    priority.arrived();
    expect(priority.quiet()).toBe(false);
  });
});
