// DNS providers (admins): create and edit with write-only credentials; the API only ever says
// which credential fields are set, and the form never fills them back in.
import {field, fill, h, heading, table, toast, when} from './dom.js';
import * as api from './api.js';

export async function dnsPage(view) {
  const document = await api.openapi();
  const types = document.components.schemas.DnsProvider.properties.type.enum;
  const list = h('div', {id: 'dns-list'});
  const id = h('input', {name: 'id', required: true, maxlength: 64, placeholder: 'cloudflare-main'});
  const type = h('select', {name: 'type'}, types.map((t) => h('option', {value: t}, t)));
  const domains = h('textarea', {name: 'domains', rows: 2, placeholder: 'example.com (one per line)'});
  const credentials = h('textarea', {name: 'credentials', rows: 3, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'apiToken: ... (one per line; leave empty to keep the stored ones)'});
  const endpoint = h('input', {name: 'endpoint', placeholder: 'optional: the provider API base URL'});
  const error = h('p', {class: 'error', role: 'alert'});

  function edit(provider) {
    id.value = provider.id;
    type.value = provider.type;
    domains.value = (provider.domains || []).join('\n');
    endpoint.value = provider.endpoint || '';
    credentials.value = '';
    credentials.placeholder = `set: ${(provider.credentialsSet || []).join(', ') || 'none'}; type new values to replace them`;
    id.focus();
  }

  async function load() {
    const page = await api.call('GET', '/dns-providers?limit=1000');
    fill(list, table(['Id', 'Type', 'Domains', 'Credentials set', 'Updated', ''], page.items.map((provider) => [
      h('span', {class: 'provider-id'}, provider.id), provider.type, (provider.domains || []).join(', '),
      h('span', {class: 'credentials-set'}, (provider.credentialsSet || []).join(', ')), when(provider.updatedAt),
      h('span', {class: 'actions'}, h('button', {type: 'button', class: 'ghost small', onclick: () => edit(provider)}, 'Edit'),
        h('button', {type: 'button', class: 'ghost small danger', onclick: () => remove(provider.id)}, 'Delete'))]),
    'No DNS providers yet.'));
  }

  async function remove(providerId) {
    try {
      await api.call('DELETE', `/dns-providers/${api.seg(providerId)}`);
      toast(`Deleted ${providerId}`);
      await load();
    } catch (e) {
      toast(e.message);
    }
  }

  async function save(event) {
    event.preventDefault();
    error.textContent = '';
    const body = {type: type.value, domains: domains.value.split('\n').map((d) => d.trim()).filter(Boolean)};
    const secrets = {};
    for (const line of credentials.value.split('\n')) {
      const at = line.indexOf(':');
      if (at > 0) secrets[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    if (Object.keys(secrets).length) body.credentials = secrets;
    if (endpoint.value.trim()) body.endpoint = endpoint.value.trim();
    try {
      await api.call('PUT', `/dns-providers/${api.seg(id.value.trim())}`, body);
      credentials.value = '';
      toast(`Saved ${id.value.trim()}`);
      await load();
    } catch (e) {
      error.textContent = e.field && e.field !== '#' ? `${e.field}: ${e.message}` : e.message;
    }
  }

  fill(view, heading('DNS providers'), list,
    h('form', {class: 'card', id: 'dns-form', onsubmit: save}, h('h2', {}, 'Create or replace a provider'),
      h('div', {class: 'grid'}, field('Id', id), field('Type', type)), field('Domains', domains),
      field('Credentials', credentials, 'write-only: never shown again, not even here; see the README for each type'),
      field('Endpoint', endpoint), error, h('button', {type: 'submit'}, 'Save provider')));
  await load().catch((e) => fill(list, h('p', {class: 'error'}, e.message)));
}
