// Small DOM helpers for the preview page. Text from a venue file only ever enters the page as
// text nodes or attribute values, never as markup.
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) node.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** Sets an element's text, marking it when the value differs from `reference` (the loaded account's). */
export function setText(node: HTMLElement, text: string, reference?: string): void {
  node.textContent = text;
  node.classList.toggle("changed", reference !== undefined && reference !== text);
}

/** Marks a field whose text cannot be used: outlined in red, and announced as invalid. */
export function markInvalid(node: HTMLElement, invalid: boolean): void {
  node.classList.toggle("invalid", invalid);
  if (invalid) node.setAttribute("aria-invalid", "true");
  else node.removeAttribute("aria-invalid");
}
