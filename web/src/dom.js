// Building the page from data without ever parsing data as HTML: every string reaches the
// document as a text node or an attribute value, so a name like <img onerror=...> is text.

/**
 * Create an element. `attrs`: "class", "dataset" (object), "on<event>" (listener), other
 * keys become attributes (true = present, false/null/undefined = absent).
 * Children: nodes, strings (as text), arrays of either; null/undefined/false are skipped.
 */
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replace an element's content with `children`. */
export function show(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

/** A unique id for label/for and aria pairs. */
let counter = 0;
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Text with every occurrence of `needle` wrapped in <mark> (case-insensitive). */
export function highlighted(text, needle) {
  const source = String(text ?? "");
  if (!needle) return [source];
  const lower = source.toLowerCase();
  const target = needle.toLowerCase();
  const parts = [];
  let start = 0;
  for (let at = lower.indexOf(target); at !== -1; at = lower.indexOf(target, start)) {
    parts.push(source.slice(start, at), h("mark", null, source.slice(at, at + needle.length)));
    start = at + needle.length;
  }
  parts.push(source.slice(start));
  return parts;
}

/** A polite live region message, or an error one. */
export function notice(text, kind = "info") {
  return h("p", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}
