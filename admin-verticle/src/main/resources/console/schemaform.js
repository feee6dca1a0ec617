// A form built from a JSON schema of the OpenAPI document: every property the API knows gets a
// field, so a site field added to the API appears in the console without a console change.
// Scalars get inputs, lists of strings and string maps one line per item, nested objects a
// collapsible group, anything else a JSON box. Empty fields are left out of the value.
import {h} from './dom.js';

const HIDDEN = '(hidden)';

/** {element, read(), showError(field, message) -> shown?, clearErrors()} for `schema` and `value`. */
export function schemaForm(schema, document, value) {
  const fields = new Map();
  const resolve = (node) => (node && node.$ref ? document.components.schemas[node.$ref.split('/').pop()] : node);

  function wrap(path, name, node, control) {
    const error = h('small', {class: 'field-error', role: 'alert'});
    const box = h('div', {class: 'field', 'data-field': path},
      h('label', {for: `f-${path}`}, h('code', {}, name), node.required ? ' (required)' : ''),
      control, node.description ? h('small', {class: 'hint'}, node.description) : null, error);
    control.id = `f-${path}`;
    fields.set(path, {box, error, control});
    return box;
  }

  function build(node, path, name, current, required) {
    node = resolve(node) || {};
    const described = {...node, required};
    if (node.type === 'object' && node.properties) {
      const children = Object.entries(node.properties).map(([key, child]) => build(child,
        path ? `${path}.${key}` : key, key, current ? current[key] : undefined, (node.required || []).includes(key)));
      const read = () => {
        const out = {};
        for (const child of children) {
          const v = child.read();
          if (v !== undefined) out[child.key] = v;
        }
        return Object.keys(out).length ? out : undefined;
      };
      const content = children.map((child) => child.el);
      const el = path
        ? h('details', {class: 'group', 'data-field': path, open: current !== undefined},
          h('summary', {}, h('code', {}, name), node.description ? ` — ${node.description}` : ''), content)
        : h('div', {class: 'group-root'}, content);
      if (path) fields.set(path, {box: el, error: el.querySelector('summary'), control: el.querySelector('summary')});
      return {key: name, el, read};
    }
    let control;
    let read;
    if (node.enum || node.type === 'boolean') {
      const options = node.enum || [true, false];
      control = h('select', {}, h('option', {value: ''}, '(not set)'),
        options.map((option) => h('option', {value: String(option)}, String(option))));
      control.value = current === undefined ? '' : String(current);
      read = () => (control.value === '' ? undefined : node.enum ? control.value : control.value === 'true');
    } else if (node.type === 'integer' || node.type === 'number') {
      control = h('input', {inputmode: 'numeric', value: current === undefined ? '' : String(current)});
      read = () => {
        const text = control.value.trim();
        return text === '' ? undefined : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
      };
    } else if (node.type === 'string') {
      control = node.maxLength > 2048 ? h('textarea', {rows: 4}) : h('input', {});
      control.value = current === undefined ? '' : current;
      read = () => (control.value === '' ? undefined : control.value);
    } else if (node.type === 'array' && resolve(node.items) && resolve(node.items).type === 'string') {
      control = h('textarea', {rows: 3, placeholder: 'one per line'});
      control.value = (current || []).join('\n');
      read = () => {
        const lines = control.value.split('\n').map((line) => line.trim()).filter(Boolean);
        return lines.length ? lines : undefined;
      };
    } else if (node.type === 'object' && node.additionalProperties && !node.properties) {
      ({control, read} = mapControl(node, current));
    } else {
      control = h('textarea', {rows: 4, placeholder: 'JSON'});
      control.value = current === undefined ? '' : JSON.stringify(current, null, 2);
      read = () => {
        if (control.value.trim() === '') return undefined;
        try {
          return JSON.parse(control.value);
        } catch (e) {
          throw new FieldError(path, `not valid JSON: ${e.message}`);
        }
      };
    }
    return {key: name, el: wrap(path, name, described, control), read};
  }

  /** "name: value" per line; a password map turns new passwords into {"password": ...}. */
  function mapControl(node, current) {
    const options = node.additionalProperties.oneOf || [];
    const passwords = options.some((option) => option.type === 'object' && option.properties && option.properties.password);
    const control = h('textarea', {rows: 3, placeholder: passwords ? 'user: password (one per line)' : 'name: value (one per line)'});
    control.value = Object.entries(current || {})
      .map(([key, v]) => `${key}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join('\n');
    const read = () => {
      const out = {};
      for (const line of control.value.split('\n')) {
        const at = line.indexOf(':');
        if (!line.trim()) continue;
        const key = (at < 0 ? line : line.slice(0, at)).trim();
        const v = at < 0 ? '' : line.slice(at + 1).trim();
        const keep = v === HIDDEN || v.startsWith('pbkdf2-sha256$');
        out[key] = passwords && !keep ? {password: v} : v;
      }
      return Object.keys(out).length ? out : undefined;
    };
    return {control, read};
  }

  const root = build(schema, '', '', value, false);
  return {
    element: root.el,
    read: () => root.read() || {},
    clearErrors() {
      for (const {box, error, control} of fields.values()) {
        box.classList.remove('invalid');
        control.removeAttribute('aria-invalid');
        if (error.classList.contains('field-error')) error.textContent = '';
        else box.querySelectorAll(':scope > .field-error').forEach((stale) => stale.remove());
      }
    },
    showError(field, message) {
      const path = String(field || '').replace(/^#\/?/, '').replace(/\[\d+\]/g, '').replace(/\//g, '.');
      const parts = path.split('.');
      for (let n = parts.length; n > 0; n--) {
        const target = fields.get(parts.slice(0, n).join('.'));
        if (!target) continue;
        target.box.classList.add('invalid');
        if (target.box.tagName === 'DETAILS') {
          target.box.open = true;
          target.box.append(h('small', {class: 'field-error', role: 'alert'}, message));
        } else {
          target.error.textContent = message;
        }
        target.control.setAttribute('aria-invalid', 'true');
        target.control.focus();
        return true;
      }
      return false;
    },
  };
}

/** A field's value that cannot be sent at all (such as JSON that does not parse). */
export class FieldError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}
