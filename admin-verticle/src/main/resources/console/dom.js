// Building the page without markup strings: every value from the API becomes a text node or an
// attribute value, never HTML, so a site field or an audit entry that carries markup shows as text.

/** An element: h('a', {href: '#/x', class: 'y', onclick: fn}, 'text', child, [more]). */
export function h(tag, props, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** A short message at the bottom of the screen. */
export function toast(text) {
  const box = $('#toast');
  box.textContent = text;
  box.classList.add('shown');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove('shown'), 4000);
}

export function when(ms) {
  return ms ? new Date(ms).toLocaleString() : '';
}

export function json(value) {
  return JSON.stringify(value, null, 2);
}

/** A table with a header row; rows are arrays of cells (nodes or text). */
export function table(headers, rows, empty = 'Nothing here yet.') {
  if (!rows.length) return h('p', {class: 'note'}, empty);
  return h('div', {class: 'scroll'}, h('table', {},
    h('thead', {}, h('tr', {}, headers.map((title) => h('th', {scope: 'col'}, title)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell)))))));
}

/** A labelled form field. */
export function field(label, input, hint) {
  return h('label', {}, label, input, hint ? h('small', {}, hint) : null);
}

/** A page heading with actions to its right. */
export function heading(title, ...actions) {
  return h('div', {class: 'heading'}, h('h1', {}, title), h('div', {class: 'actions'}, actions));
}
