/**
 * Small DOM helpers of the console: find an element by id, build elements, read forms, and the
 * `name=value` lines the console's text areas use for record fields.
 *
 * @module
 */

/** The element with `id`, of the expected class; throws when the page lacks it. */
export function byId<T extends HTMLElement>(id: string, kind: { new (): T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`The page has no ${kind.name} #${id}`);
  return element;
}

/** Children `el` accepts: elements and text (numbers and `null` are written as text). */
export type Child = Node | string | number | null;

/**
 * A new element with attributes and children. Text is always set as text, never as HTML, so
 * stored values cannot inject markup.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) {
    element.append(child instanceof Node ? child : String(child ?? ""));
  }
  return element;
}

/** Replaces every child of `parent` with `children`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.map((c) => c instanceof Node ? c : String(c ?? "")));
}

/** The trimmed text of a form's field `name` (empty when missing). */
export function field(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** Sets the value of a form's input, select or text area `name`. */
export function setField(form: HTMLFormElement, name: string, value: string): void {
  const control = form.elements.namedItem(name);
  if (
    control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement ||
    control instanceof HTMLSelectElement
  ) control.value = value;
}

/**
 * Parses `name=value` lines into an object (blank lines skipped; the first `=` splits).
 * Throws on a line without `=` or with an empty name.
 */
export function parseFields(text: string, what: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const equals = line.indexOf("=");
    if (equals <= 0) throw new Error(`${what}, line ${index + 1}: write it as name=value`);
    fields[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  }
  return fields;
}

/** An object as `name=value` lines (the inverse of {@linkcode parseFields}). */
export function fieldsText(fields: Record<string, string>): string {
  return Object.entries(fields).map(([name, value]) => `${name}=${value}`).join("\n");
}

/** A `<dl>`'s content from label → value pairs. */
export function definitionList(list: HTMLElement, pairs: [string, Child][]): void {
  replaceChildren(
    list,
    ...pairs.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]),
  );
}

/** A short form of a date, or `—`. */
export function when(date: Date | null | undefined): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 19) : "—";
}
