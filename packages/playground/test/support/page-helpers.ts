import type { Locator, Page } from "playwright-core";

/** The playground's parts, found by their accessible names as a user (or a screen reader) finds them. */
export function parts(page: Page) {
  return {
    mappings: page.getByRole("list", { name: "Mappings" }),
    fixtures: page.getByRole("list", { name: "Fixtures" }),
    samples: page.getByRole("list", { name: "Sample events" }),
    mapping: page.getByRole("textbox", { name: "Mapping" }),
    event: page.getByRole("textbox", { name: "Event" }),
    output: page.getByRole("region", { name: "Output" }),
    status: page.getByRole("status"),
  };
}

/** The output's card of one mapping. */
export function card(page: Page, mapping: string): Locator {
  return parts(page).output.getByRole("article", { name: `mapping ${mapping}` });
}

/** Wait until `locator`'s text matches. */
export async function waitForText(locator: Locator, pattern: RegExp | string, timeout = 10_000) {
  await locator.filter({ hasText: pattern }).first().waitFor({ timeout });
}

/** An editor's line (1-based), as CodeMirror renders it. */
export function line(editor: Locator, number: number): Locator {
  return editor.locator(".cm-line").nth(number - 1);
}

/** Select the word under `text` in an editor line by double-clicking it, as a user would. */
export async function selectWord(lineLocator: Locator, text: string): Promise<void> {
  const box = await lineLocator.boundingBox();
  const offset = await lineLocator.evaluate((element, wanted) => {
    const range = document.createRange();
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = node.textContent?.indexOf(wanted) ?? -1;
      if (index < 0) continue;
      range.setStart(node, index);
      range.setEnd(node, index + wanted.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    throw new Error(`"${wanted}" is not on this line`);
  }, text);
  if (!box) throw new Error("the line is not visible");
  await lineLocator.page().mouse.dblclick(offset.x, offset.y);
}
