// Audit (admins): the change history, newest first, each entry's before and after as the API
// gives them (secrets already masked there), filterable by text over the loaded entries.
import {field, fill, h, heading, json, when} from './dom.js';
import * as api from './api.js';

export async function auditPage(view) {
  const filter = h('input', {type: 'search', placeholder: 'who, action or resource', 'aria-label': 'Filter the audit entries'});
  const list = h('div', {id: 'audit-list'});
  const more = h('button', {type: 'button', class: 'ghost', disabled: true}, 'Older entries');
  const entries = [];
  let before = null;

  function render() {
    const needle = filter.value.trim().toLowerCase();
    const shown = entries.filter((entry) => !needle
      || [entry.who, entry.action, entry.resource].some((text) => String(text).toLowerCase().includes(needle)));
    fill(list, shown.length ? shown.map((entry) => h('details', {class: 'audit-entry card'},
      h('summary', {}, h('time', {}, when(entry.at)), ' ', h('strong', {class: 'audit-who'}, entry.who), ' ',
        h('span', {class: 'badge'}, entry.action), ' ', h('code', {class: 'audit-resource'}, entry.resource)),
      h('div', {class: 'diff'}, h('div', {}, h('h3', {}, 'Before'), h('pre', {}, json(entry.before))),
        h('div', {}, h('h3', {}, 'After'), h('pre', {class: 'audit-after'}, json(entry.after))))))
      : h('p', {class: 'note'}, 'No entry matches.'));
  }

  async function load() {
    const page = await api.call('GET', `/audit?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`);
    entries.push(...page.items);
    before = page.next;
    more.disabled = !before;
    render();
  }

  filter.addEventListener('input', render);
  more.addEventListener('click', () => load().catch((e) => fill(list, h('p', {class: 'error'}, e.message))));
  fill(view, heading('Audit'), h('div', {class: 'toolbar'}, field('Filter', filter)), list, more);
  await load().catch((e) => fill(list, h('p', {class: 'error'}, e.message)));
}
