// One site: a form with a field for every property of the API's Site schema, a raw-JSON view of
// the same value, and the API's validation errors shown on the field it names.
import {field, fill, h, heading, json, toast} from './dom.js';
import * as api from './api.js';
import {FieldError, schemaForm} from './schemaform.js';

export async function siteFormPage(view, {arg}) {
  const existing = arg ? await api.call('GET', `/sites/${api.seg(arg)}`).catch((e) => e) : null;
  if (existing instanceof Error) {
    fill(view, heading('Site'), h('p', {class: 'error'}, existing.message));
    return;
  }
  const document = await api.openapi();
  const pattern = h('input', {name: 'pattern', required: true, placeholder: '*.example.com', value: arg || '',
    readonly: Boolean(arg), maxlength: 253});
  const patternError = h('small', {class: 'field-error', role: 'alert'});
  const general = h('p', {class: 'error', role: 'alert', id: 'form-error'});
  const raw = h('textarea', {class: 'raw', rows: 20, 'aria-label': 'Site as JSON', spellcheck: 'false'});
  let form = schemaForm(document.components.schemas.Site, document, existing ? existing.site : {targets: []});
  const formBox = h('div', {}, form.element);
  const rawBox = h('div', {hidden: true}, raw);
  const formTab = h('button', {type: 'button', role: 'tab', 'aria-selected': 'true'}, 'Form');
  const rawTab = h('button', {type: 'button', role: 'tab', 'aria-selected': 'false', id: 'raw-tab'}, 'Raw JSON');

  function value() {
    return rawBox.hidden ? form.read() : JSON.parse(raw.value || '{}');
  }

  function showForm(asForm) {
    try {
      if (asForm && !rawBox.hidden) {
        form = schemaForm(document.components.schemas.Site, document, JSON.parse(raw.value || '{}'));
        fill(formBox, form.element);
      } else if (!asForm && rawBox.hidden) {
        raw.value = json(form.read());
      }
    } catch (e) {
      general.textContent = e.message;
      return;
    }
    formBox.hidden = !asForm;
    rawBox.hidden = asForm;
    formTab.setAttribute('aria-selected', String(asForm));
    rawTab.setAttribute('aria-selected', String(!asForm));
  }
  formTab.addEventListener('click', () => showForm(true));
  rawTab.addEventListener('click', () => showForm(false));

  async function save(event) {
    event.preventDefault();
    form.clearErrors();
    general.textContent = '';
    patternError.textContent = '';
    const name = pattern.value.trim().toLowerCase();
    if (!name) {
      patternError.textContent = 'a site needs a name pattern';
      pattern.focus();
      return;
    }
    try {
      const saved = await api.call('PUT', `/sites/${api.seg(name)}`, value());
      toast(`Saved ${saved.pattern}`);
      location.hash = `#/site/${api.seg(saved.pattern)}`;
      if (arg) await siteFormPage(view, {arg});
    } catch (e) {
      const field = e.field || (e instanceof FieldError ? e.field : null);
      if (e instanceof SyntaxError) general.textContent = `The JSON does not parse: ${e.message}`;
      else if (field === 'pattern') patternError.textContent = e.message;
      else if (rawBox.hidden && field && form.showError(field, e.message)) general.textContent = 'Check the marked field.';
      else general.textContent = e.message;
    }
  }

  const remove = h('button', {type: 'button', class: 'danger', hidden: !arg}, 'Delete site');
  remove.addEventListener('click', async () => {
    if (remove.dataset.armed !== 'yes') {
      remove.dataset.armed = 'yes';
      remove.textContent = `Really delete ${arg}?`;
      return;
    }
    try {
      await api.call('DELETE', `/sites/${api.seg(arg)}`);
      toast(`Deleted ${arg}`);
      location.hash = '#/sites';
    } catch (e) {
      general.textContent = e.message;
    }
  });

  // the site's cached responses, on every edge (the API checks the manager role)
  const purge = h('button', {type: 'button', class: 'ghost', id: 'purge-cache', hidden: !arg}, 'Purge cache');
  purge.addEventListener('click', async () => {
    try {
      await api.call('POST', `/sites/${api.seg(arg)}/cache/purge`, {});
      toast(`Purged the cached responses of ${arg} on every edge`);
    } catch (e) {
      general.textContent = e.message;
    }
  });

  fill(view, heading(arg ? `Site ${arg}` : 'New site',
    arg ? h('a', {href: `#/health/${api.seg(arg)}`, class: 'button ghost', id: 'site-health'}, 'Upstream health') : null,
    h('a', {href: '#/sites', class: 'button ghost'}, 'Back to sites')),
    h('form', {class: 'card', id: 'site-form', onsubmit: save, novalidate: true},
      h('div', {class: 'field', 'data-field': 'pattern'}, field('Name pattern', pattern,
        'an exact name, *.example.com (one label) or **.example.com (any depth)'), patternError),
      h('div', {class: 'tabs', role: 'tablist'}, formTab, rawTab), formBox, rawBox, general,
      h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'save-site'}, 'Save'), purge, remove)));
  (arg ? formBox.querySelector('input, select, textarea') : pattern).focus();
}
