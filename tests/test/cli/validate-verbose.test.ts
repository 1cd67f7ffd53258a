import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runGwenmap } from "../../support/cli/run-gwenmap.js";
import { type TempProject, tempProject } from "../../support/cli/temp-project.js";

const regexMapping = `/**
 * @action sendEvent
 * @trigger type = "track"
 */
{
  "userId": userId,
  "type": "product_" & properties.products#$i[$i = 0].sku,
  "data": properties
}
`;

const regexTrigger = `/**
 * @action sendEvent
 * @trigger type = "track" and properties.products#$i[$i = 0].sku
 */
{
  "userId": userId,
  "type": "order",
  "data": properties
}
`;

let project: TempProject;

beforeEach(async () => {
  project = await tempProject("mappings");
});

afterEach(async () => {
  await project.remove();
});

describe("gwenmap validate --verbose", () => {
  it("lists every shipped preset as compiled", async () => {
    const result = await runGwenmap(["validate", "--verbose"], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("2 of 2 mappings compiled:");
    expect(result.stdout).toContain("identify-user (mappings/identify-user.jsonata): compiled");
    expect(result.stdout).toContain("send-event (mappings/send-event.jsonata): compiled");
  });

  it("names each mapping that falls back to jsonata, which part and why", async () => {
    await project.write("mappings/product-viewed.jsonata", regexMapping);
    await project.write("mappings/order-prefix.jsonata", regexTrigger);
    const result = await runGwenmap(["validate", "--verbose"], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "2 of 4 mappings compiled, 2 falling back to jsonata's interpreter (same results, slower):",
    );
    expect(result.stdout).toMatch(
      /product-viewed \(mappings\/product-viewed\.jsonata\): jsonata \(expression falls back: context or positional variable binding \(@, #\) at position \d+; trigger compiled\)/,
    );
    expect(result.stdout).toMatch(
      /order-prefix \(mappings\/order-prefix\.jsonata\): jsonata \(expression compiled; trigger falls back: context or positional variable binding \(@, #\) at position \d+\)/,
    );
    expect(result.stdout).toContain("send-event (mappings/send-event.jsonata): compiled");
  });

  it("says nothing about evaluators without --verbose", async () => {
    await project.write("mappings/product-viewed.jsonata", regexMapping);
    const result = await runGwenmap(["validate"], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("compiled");
  });
});
