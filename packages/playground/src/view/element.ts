/** A child of `h`: text, an element, or nothing (skipped). */
export type Child = Node | string | false | null | undefined;

/**
 * Build an element: attributes (`class`, `aria-*`, ...) as strings, `on*`
 * functions as listeners, children as nodes or text. The page is small
 * enough that this is all the DOM help it needs.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Readonly<Record<string, string | boolean | ((event: Event) => void) | undefined>> = {},
  ...children: readonly (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === false || child === null || child === undefined) continue;
    element.append(child);
  }
  return element;
}

/** Pretty JSON, as the CLI prints payloads (`undefined` shown as such). */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "undefined";
}
