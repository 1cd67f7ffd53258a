import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../../../scripts/chromium.js";
import { card, line, parts, selectWord, waitForText } from "./support/page-helpers.js";
import {
  copyOfExamples,
  type RunningPlayground,
  runGwenmap,
  startPlayground,
} from "./support/playground-process.js";

/**
 * `gwenmap playground` as a user meets it: the real CLI as a child process on
 * a copy of examples/mappings, the page in Debian's Chromium, every part
 * found by its accessible name.
 */
const screenshotPath = fileURLToPath(new URL("../../../docs/playground.png", import.meta.url));

let folder: Awaited<ReturnType<typeof copyOfExamples>>;
let playground: RunningPlayground;
let browser: Browser;

beforeAll(async () => {
  folder = await copyOfExamples();
  [playground, browser] = await Promise.all([
    startPlayground(["--mappings", "mappings"], folder.base),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await folder?.remove();
});

/** The page, loaded, with a mapping and a fixture chosen when named. */
async function openPage(mapping?: string, fixture?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(playground.url.href);
  await waitForText(parts(page).output, /mappings fired/).catch((error: Error) => {
    throw new Error(`${error.message}\npage errors: ${errors.join("\n")}`);
  });
  expect(errors).toEqual([]);
  if (mapping) await choose(page, "mappings", mapping);
  if (fixture) await choose(page, "fixtures", fixture);
  return page;
}

async function choose(page: Page, list: "mappings" | "fixtures" | "samples", name: string) {
  await parts(page)[list].getByRole("button", { name, exact: true }).click();
}

// Each test drives a browser and child processes: on a loaded 2-core machine one can take well
// over the default 30 s, so the browser tests get more (a bound, not a measurement).
describe("gwenmap playground", { timeout: 90_000 }, () => {
  it("lists the folder's mappings and fixtures and shows what each mapping does with the chosen event", async () => {
    const page = await openPage();
    const { mappings, fixtures, output } = parts(page);
    expect(await mappings.getByRole("button").allTextContents()).toEqual([
      "first-order",
      "group-joined",
      "order-completed",
      "page-view",
      "screen-view",
    ]);
    expect(await fixtures.getByRole("button").count()).toBe(10);
    await choose(page, "mappings", "order-completed");
    await choose(page, "fixtures", "order-completed-reshaped");
    const orderCompleted = card(page, "order-completed");
    await waitForText(orderCompleted, "fired");
    const text = await orderCompleted.textContent();
    expect(text).toContain('fired: trigger `type = "track" and event = "Order Completed"` is true');
    expect(text).toContain('"type": "order_completed"');
    expect(text).toContain('"operationName": "SendEvent"');
    expect(text).toContain("runs compiled");
    // a mapping that did not fire says which clause of its trigger decided it, as map --explain does
    const firstOrder = card(page, "first-order");
    expect(await firstOrder.textContent()).toContain("did not fire: trigger `type = ");
    const decisive = firstOrder.getByRole("list", { name: "Trigger clauses" }).locator(".decisive");
    expect(await decisive.allTextContents()).toEqual([
      "properties.first_order = true → false (properties.first_order = false)",
    ]);
    expect(await output.textContent()).toContain("✓ fixture order-completed-reshaped");
    const screenshot = await page.screenshot();
    expect(screenshot.length).toBeGreaterThan(10_000);
    if (process.env.GWENMAP_UPDATE_SCREENSHOT === "1") {
      await mkdir(join(screenshotPath, ".."), { recursive: true });
      await writeFile(screenshotPath, screenshot);
    }
    await page.close();
  });

  it("recomputes the output as you type a change into the mapping, and shows the fixture's difference", async () => {
    const page = await openPage("order-completed", "order-completed-reshaped");
    const { mapping, output } = parts(page);
    await selectWord(line(mapping, 10), "orderId");
    await page.keyboard.type("orderNumber");
    const orderCompleted = card(page, "order-completed");
    await waitForText(orderCompleted, '"orderNumber": "50314b8e9bcf000000000000"');
    expect(await orderCompleted.textContent()).not.toContain('"orderId"');
    await waitForText(output, "✗ fixture order-completed-reshaped");
    // the difference as gwenmap test shows it: the sentence, then a diff with sorted keys
    const fixture = await output.getByRole("region", { name: "Fixture" }).textContent();
    expect(fixture).toContain("mapping order-completed: the payload differs");
    expect(fixture).toContain("- Expected (fixture)\n+ Actual (mappings)");
    expect(fixture).toContain('-       "orderId": "50314b8e9bcf000000000000",');
    expect(fixture).toContain('+       "orderNumber": "50314b8e9bcf000000000000",');
    await page.close();
  });

  it("shows the rejection of a broken event: its code, field and message", async () => {
    const page = await openPage("order-completed", "order-completed-reshaped");
    const { event, output } = parts(page);
    await selectWord(line(event, 4), "3f1c2b9a");
    await page.keyboard.type("not");
    const orderCompleted = card(page, "order-completed");
    // each keystroke is mapped: "n-6d4e..." is rejected too, so wait for the value as typed whole
    await waitForText(orderCompleted, '(the value was "not-6d4e-4a8b-9c7f-1e2d3c4b5a69")');
    expect(await orderCompleted.textContent()).toContain("rejected");
    const text = await orderCompleted.textContent();
    expect(text).toContain("E_PAYLOAD_INVALID field /userId");
    expect(text).toContain("User ID must be a valid uuid string but it was not.");
    expect(text).toContain('(the value was "not-6d4e-4a8b-9c7f-1e2d3c4b5a69")');

    // and an event that is not JSON says where it broke, underlined in the editor
    await line(event, 4).click();
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace");
    await waitForText(output, /The event is not JSON \(line 5, column 3\): .+/);
    const underline = event.locator(".cm-lintRange-error").first();
    await underline.waitFor();
    expect(await underline.textContent()).toBe('"messageId"');
    await page.close();
  });

  it("underlines a syntax error at its line and column, as gwenmap validate reports it", async () => {
    const page = await openPage();
    const { mapping } = parts(page);
    await choose(page, "mappings", "order-completed");
    await line(mapping, 10).click();
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace");
    const broken = await mapping.evaluate((element) => element.textContent);
    expect(broken).toContain('"orderId": properties.order_id    "revenue"');

    // gwenmap validate, on a folder holding the same text, gives the location to expect
    const text = (await readFile(join(folder.dir, "order-completed.jsonata"), "utf8")).replace(
      "properties.order_id,",
      "properties.order_id",
    );
    await mkdir(join(folder.base, "broken"), { recursive: true });
    await writeFile(join(folder.base, "broken", "order-completed.jsonata"), text);
    const validate = await runGwenmap(["validate", "--mappings", "broken"], folder.base);
    const [, where = "", row = "0", message = ""] =
      /broken\/order-completed\.jsonata:((\d+):\d+) (S\d+ [^\n]*)/.exec(
        validate.stderr + validate.stdout,
      ) ?? [];
    expect(where).not.toBe("");

    const orderCompleted = card(page, "order-completed");
    await waitForText(orderCompleted, "does not compile");
    expect(await orderCompleted.textContent()).toContain(
      `mappings/order-completed.jsonata:${where} ${message}`,
    );
    const underline = mapping.locator(".cm-lintRange-error");
    await underline.first().waitFor();
    const underlinedLine = await underline.first().evaluate((element) => {
      const lineElement = element.closest(".cm-line");
      return [...(lineElement?.parentElement?.children ?? [])].indexOf(lineElement as Element) + 1;
    });
    expect(underlinedLine).toBe(Number(row));
    await page.close();
  });

  it("saves the mapping and the event as a fixture, and gwenmap test passes on them", async () => {
    const page = await openPage("first-order", "order-completed-first-order-fires-two");
    const { mapping, status } = parts(page);
    await selectWord(line(mapping, 8), "first_order");
    await page.keyboard.type("first_purchase");
    await waitForText(card(page, "first-order"), '"type": "first_purchase"');

    await page.getByRole("button", { name: "Save mapping" }).click();
    await waitForText(status, "saved first-order.jsonata");
    expect(await readFile(join(folder.dir, "first-order.jsonata"), "utf8")).toContain(
      '"type": "first_purchase",',
    );
    // the fixture catches the change ...
    const failing = await runGwenmap(["test", "--mappings", "mappings"], folder.base);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain("✗ order-completed-first-order-fires-two");

    // ... until it is saved with what the mappings do now, edited as gwenmap test --update edits it
    const fixtureFile = join(folder.dir, "fixtures", "order-completed-first-order-fires-two.json");
    const before = await readFile(fixtureFile, "utf8");
    await page.getByRole("button", { name: "Save as fixture" }).click();
    await waitForText(status, "saved fixtures/order-completed-first-order-fires-two.json");
    const after = await readFile(fixtureFile, "utf8");
    const changed = after.split("\n").filter((text, index) => text !== before.split("\n")[index]);
    expect(changed).toEqual([
      before
        .split("\n")
        .find((text) => text.includes('"type": "first_order"'))
        ?.replace('"type": "first_order"', '"type": "first_purchase"'),
    ]);
    await choose(page, "samples", "identify");
    await page.getByRole("textbox", { name: "Fixture name" }).fill("identify-from-playground");
    await page.getByRole("button", { name: "Save as fixture" }).click();
    await waitForText(status, "saved fixtures/identify-from-playground.json");
    const saved = JSON.parse(
      await readFile(join(folder.dir, "fixtures", "identify-from-playground.json"), "utf8"),
    );
    expect(saved).toMatchObject({ event: { type: "identify" }, expect: [] });

    const passing = await runGwenmap(["test", "--mappings", "mappings"], folder.base);
    expect(passing.stdout).toContain("✓ order-completed-first-order-fires-two");
    expect(passing.stdout).toContain("✓ identify-from-playground");
    expect(passing.stdout).toContain("11 passed, 0 failed");
    expect(passing.status).toBe(0);
    expect(playground.output.stderr).toContain(
      "created mappings/fixtures/identify-from-playground.json",
    );
    await page.close();
  });

  it("refuses requests another page could make: a foreign Host or Origin, no token", async () => {
    const { port } = playground.url;
    const token = playground.url.searchParams.get("token") ?? "";
    const own = `127.0.0.1:${port}`;
    const bearer = { authorization: `Bearer ${token}` };
    const target = join(folder.dir, "fixtures", "group-joined.json");
    const before = await readFile(target, "utf8");

    // a DNS-rebinding name that resolves to 127.0.0.1 still sends its own Host
    const rebound = await send(
      { method: "GET", path: "/api/project" },
      {
        ...bearer,
        host: `attacker.example:${port}`,
      },
    );
    expect(rebound).toMatchObject({ status: 403, code: "E_FOREIGN_HOST" });
    const foreignPage = await send(
      { method: "GET", path: `/?token=${token}` },
      { host: `attacker.example:${port}` },
    );
    expect(foreignPage).toMatchObject({ status: 403, code: "E_FOREIGN_HOST" });

    // a write from another site, even one that knew the token
    const put = (headers: Record<string, string>) =>
      send(
        { method: "PUT", path: "/api/files/fixtures/group-joined.json" },
        { host: own, ...headers },
        "{}",
      );
    expect(await put({ ...bearer, origin: "http://attacker.example" })).toMatchObject({
      status: 403,
      code: "E_FOREIGN_ORIGIN",
    });
    expect(await put({ ...bearer })).toMatchObject({ status: 403, code: "E_FOREIGN_ORIGIN" });
    expect(await put({ origin: `http://${own}` })).toMatchObject({ status: 401, code: "E_TOKEN" });
    expect(await send({ method: "GET", path: "/api/project" }, { host: own })).toMatchObject({
      status: 401,
      code: "E_TOKEN",
    });
    expect(await send({ method: "GET", path: "/" }, { host: own })).toMatchObject({
      status: 401,
      code: "E_TOKEN",
    });
    expect(
      await put({ ...bearer, origin: `http://${own}`, "content-type": "text/plain" }).then(
        (answer) => answer.status,
      ),
    ).toBe(200);
    await writeFile(target, before);

    // a page of another origin in the browser cannot write either (its PUT is refused)
    const attacker = await serveAttackerPage(playground.url, token);
    const page = await browser.newPage();
    await page.goto(attacker.url);
    const outcome = await page.evaluate(
      () => (window as unknown as { attack: Promise<string> }).attack,
    );
    expect(outcome).toMatch(/^(blocked|403)/);
    await page.close();
    attacker.server.close();
    expect(await readFile(target, "utf8")).toBe(before);
    expect(playground.output.stderr).toContain(
      "refused PUT /api/files/fixtures/group-joined.json: E_FOREIGN_ORIGIN",
    );
  });

  it("works as a static page without the server: editing and output, no saving", async () => {
    const built = fileURLToPath(new URL("../dist/page/index.html", import.meta.url));
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`file://${built}`);
    const { mappings, output } = parts(page);
    await waitForText(output, /mappings fired/);
    expect(await mappings.getByRole("button").count()).toBe(5);
    await choose(page, "mappings", "order-completed");
    await choose(page, "fixtures", "order-completed-reshaped");
    await waitForText(card(page, "order-completed"), '"operationName": "SendEvent"');
    expect(await page.getByRole("button", { name: "Save mapping" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save as fixture" }).isDisabled()).toBe(true);
    await page.close();
  });

  it("stops cleanly on Ctrl-C", async () => {
    const { port } = playground.url;
    expect(await playground.stop()).toBe(0);
    const refused = await send({ method: "GET", path: "/" }, { host: `127.0.0.1:${port}` }).catch(
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe("ECONNREFUSED");
  });
});

describe("gwenmap playground --open", { timeout: 90_000 }, () => {
  it("opens the printed URL in the default browser", async () => {
    // xdg-open (through the open package) hands the URL to $BROWSER where no desktop is running
    const opened = join(folder.base, "opened.txt");
    const browserScript = join(folder.base, "browser.sh");
    await writeFile(browserScript, `#!/bin/sh\necho "$1" > "${opened}"\n`, { mode: 0o755 });
    const running = await startPlayground(["--mappings", "mappings", "--open"], folder.base, {
      BROWSER: browserScript,
    });
    try {
      await waitFor(
        async () => (await readFile(opened, "utf8").catch(() => "")).trim() !== "",
      ).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(running.output)}`);
      });
      expect((await readFile(opened, "utf8")).trim()).toBe(running.url.href);
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Answer {
  readonly status: number;
  readonly code?: string;
}

/** One HTTP request to the playground with exactly these headers (Host included). */
function send(
  target: { method: string; path: string },
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const { method, path } = target;
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: "127.0.0.1",
        port: Number(playground.url.port),
        method,
        path,
        headers,
        setHost: false,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => {
          const code = (() => {
            try {
              return (JSON.parse(text) as { error?: { code?: string } }).error?.code;
            } catch {
              return undefined;
            }
          })();
          resolve({ status: response.statusCode ?? 0, ...(code ? { code } : {}) });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A page on another local origin that tries to overwrite a fixture through the playground. */
async function serveAttackerPage(
  target: URL,
  token: string,
): Promise<{ server: Server; url: string }> {
  const html = `<script>
    window.attack = fetch(${JSON.stringify(`${target.origin}/api/files/fixtures/group-joined.json`)}, {
      method: "PUT",
      headers: { authorization: "Bearer ${token}", "content-type": "text/plain" },
      body: "{}",
    }).then((answer) => String(answer.status), () => "blocked");
  </script>`;
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}
