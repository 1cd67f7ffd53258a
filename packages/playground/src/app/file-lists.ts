import { h } from "../view/element.js";

/** One entry of a file list in the sidebar. */
export interface ListItem {
  readonly key: string;
  readonly label: string;
  readonly title?: string;
  /** Extra classes: `dirty` (unsaved changes), `broken` (does not load). */
  readonly classes?: readonly string[];
}

/**
 * Fill a sidebar list with one button per item; the chosen one is marked
 * `aria-current`, so it is announced and styled as the current item.
 */
export function renderList(
  list: HTMLElement,
  items: readonly ListItem[],
  choice: { readonly current: string | undefined; readonly choose: (key: string) => void },
): void {
  const { current, choose } = choice;
  list.replaceChildren(
    ...items.map((item) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: (item.classes ?? []).join(" ") || undefined,
            title: item.title,
            "aria-current": item.key === current ? "true" : undefined,
            onclick: () => choose(item.key),
          },
          item.label,
        ),
      ),
    ),
  );
}
