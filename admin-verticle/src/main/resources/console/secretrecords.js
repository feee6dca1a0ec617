// A page of records with a write-only secret (DNS and SSO providers, admins): the list with Edit and
// Delete, and a form that creates or replaces one by id. The API only ever says whether a secret is
// set; the form never fills one back in, and leaving it empty keeps the stored one.
import {field, fill, h, heading, table, toast, when} from './dom.js';
import * as api from './api.js';

/**
 * spec: key (ids #<key>-list, #<key>-form), title, path (/dns-providers), empty, idPlaceholder,
 * columns [[header, (record) => cell]] (between Id and Updated), controls {API field: control}
 * (an API error naming one is shown on it), form(idField) -> nodes, read() -> body, edit(record),
 * saved() (clears the secret).
 */
export async function secretRecordsPage(view, spec) {
  const list = h('div', {id: `${spec.key}-list`});
  const id = h('input', {name: 'id', required: true, maxlength: 64, placeholder: spec.idPlaceholder});
  const error = h('p', {class: 'error', role: 'alert'});
  const controls = {id, ...spec.controls};

  function clearErrors() {
    error.textContent = '';
    for (const control of Object.values(controls)) {
      control.removeAttribute('aria-invalid');
      control.closest('label').querySelectorAll('.field-error').forEach((stale) => stale.remove());
    }
  }

  function showError(e) {
    const control = controls[e.field];
    if (!control) {
      error.textContent = e.field && e.field !== '#' ? `${e.field}: ${e.message}` : e.message;
      return;
    }
    control.closest('label').append(h('small', {class: 'field-error', role: 'alert'}, e.message));
    control.setAttribute('aria-invalid', 'true');
    control.focus();
  }

  function edit(record) {
    clearErrors();
    id.value = record.id;
    spec.edit(record);
    id.focus();
  }

  async function load() {
    const page = await api.call('GET', `${spec.path}?limit=1000`);
    fill(list, table(['Id', ...spec.columns.map(([header]) => header), 'Updated', ''], page.items.map((record) => [
      h('span', {class: 'provider-id'}, record.id), ...spec.columns.map(([, cell]) => cell(record)), when(record.updatedAt),
      h('span', {class: 'actions'}, h('button', {type: 'button', class: 'ghost small', onclick: () => edit(record)}, 'Edit'),
        h('button', {type: 'button', class: 'ghost small danger', onclick: () => remove(record.id)}, 'Delete'))]),
    spec.empty));
  }

  async function remove(recordId) {
    try {
      await api.call('DELETE', `${spec.path}/${api.seg(recordId)}`);
      toast(`Deleted ${recordId}`);
      await load();
    } catch (e) {
      toast(e.message);
    }
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    try {
      await api.call('PUT', `${spec.path}/${api.seg(id.value.trim())}`, spec.read());
      spec.saved();
      toast(`Saved ${id.value.trim()}`);
      await load();
    } catch (e) {
      showError(e);
    }
  }

  fill(view, heading(spec.title), list,
    h('form', {class: 'card', id: `${spec.key}-form`, onsubmit: save}, h('h2', {}, 'Create or replace a provider'),
      spec.form(field('Id', id)), error, h('button', {type: 'submit'}, 'Save provider')));
  await load().catch((e) => fill(list, h('p', {class: 'error'}, e.message)));
}
