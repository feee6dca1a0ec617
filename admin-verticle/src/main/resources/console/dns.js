// DNS providers (admins): create and edit with write-only credentials; the API only ever says
// which credential fields are set, and the form never fills them back in.
import {field, h} from './dom.js';
import * as api from './api.js';
import {secretRecordsPage} from './secretrecords.js';

export async function dnsPage(view) {
  const document = await api.openapi();
  const types = document.components.schemas.DnsProvider.properties.type.enum;
  const type = h('select', {name: 'type'}, types.map((t) => h('option', {value: t}, t)));
  const domains = h('textarea', {name: 'domains', rows: 2, placeholder: 'example.com (one per line)'});
  const credentials = h('textarea', {name: 'credentials', rows: 3, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'apiToken: ... (one per line; leave empty to keep the stored ones)'});
  const endpoint = h('input', {name: 'endpoint', placeholder: 'optional: the provider API base URL'});

  function read() {
    const body = {type: type.value, domains: domains.value.split('\n').map((d) => d.trim()).filter(Boolean)};
    const secrets = {};
    for (const line of credentials.value.split('\n')) {
      const at = line.indexOf(':');
      if (at > 0) secrets[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    if (Object.keys(secrets).length) body.credentials = secrets;
    if (endpoint.value.trim()) body.endpoint = endpoint.value.trim();
    return body;
  }

  function edit(provider) {
    type.value = provider.type;
    domains.value = (provider.domains || []).join('\n');
    endpoint.value = provider.endpoint || '';
    credentials.value = '';
    credentials.placeholder = `set: ${(provider.credentialsSet || []).join(', ') || 'none'}; type new values to replace them`;
  }

  await secretRecordsPage(view, {
    key: 'dns', title: 'DNS providers', path: '/dns-providers', empty: 'No DNS providers yet.',
    idPlaceholder: 'cloudflare-main', controls: {type, domains, credentials, endpoint}, read, edit,
    saved: () => { credentials.value = ''; },
    columns: [['Type', (provider) => provider.type], ['Domains', (provider) => (provider.domains || []).join(', ')],
      ['Credentials set', (provider) => h('span', {class: 'credentials-set'}, (provider.credentialsSet || []).join(', '))]],
    form: (id) => [h('div', {class: 'grid'}, id, field('Type', type)), field('Domains', domains),
      field('Credentials', credentials, 'write-only: never shown again, not even here; see the README for each type'),
      field('Endpoint', endpoint)],
  });
}
