// SSO providers (global admins): the OIDC providers sites sign their visitors in through
// ("sso": {"provider": <id>}). The client secret is write-only: the list says whether it is set.
import {field, h} from './dom.js';
import {secretRecordsPage} from './secretrecords.js';

export async function ssoPage(view) {
  const issuer = h('input', {name: 'issuer', required: true, maxlength: 1024, placeholder: 'https://id.example.com/realms/main'});
  const clientId = h('input', {name: 'clientId', required: true, maxlength: 256, autocomplete: 'off'});
  const clientSecret = h('input', {name: 'clientSecret', type: 'password', maxlength: 4096, autocomplete: 'new-password'});
  const scopes = h('input', {name: 'scopes', placeholder: 'openid email profile'});
  const groupsClaim = h('input', {name: 'groupsClaim', maxlength: 256, placeholder: 'groups'});

  function read() {
    const body = {issuer: issuer.value.trim(), clientId: clientId.value.trim()};
    if (clientSecret.value) body.clientSecret = clientSecret.value;
    const list = scopes.value.split(/[\s,]+/).filter(Boolean);
    if (list.length) body.scopes = list;
    if (groupsClaim.value.trim()) body.groupsClaim = groupsClaim.value.trim();
    return body;
  }

  function edit(provider) {
    issuer.value = provider.issuer;
    clientId.value = provider.clientId;
    scopes.value = (provider.scopes || []).join(' ');
    groupsClaim.value = provider.groupsClaim || '';
    clientSecret.value = '';
    clientSecret.placeholder = provider.clientSecretSet ? 'set; leave empty to keep it' : 'not set';
  }

  await secretRecordsPage(view, {
    key: 'sso', title: 'SSO providers', path: '/sso-providers', empty: 'No SSO providers yet.',
    idPlaceholder: 'keycloak-main', controls: {issuer, clientId, clientSecret, scopes, groupsClaim}, read, edit,
    saved: () => { clientSecret.value = ''; },
    columns: [['Issuer', (provider) => provider.issuer], ['Client id', (provider) => provider.clientId],
      ['Scopes', (provider) => (provider.scopes || []).join(' ')], ['Groups claim', (provider) => provider.groupsClaim],
      ['Client secret', (provider) => h('span', {class: 'secret-set'}, provider.clientSecretSet ? 'secret set' : 'not set')]],
    form: (id) => [h('div', {class: 'grid'}, id, field('Issuer', issuer, 'https, or http to loopback')),
      h('div', {class: 'grid'}, field('Client id', clientId),
        field('Client secret', clientSecret, 'write-only: never shown again; needed again for a new issuer or client id')),
      h('div', {class: 'grid'}, field('Scopes', scopes, 'space-separated; openid is always asked for'),
        field('Groups claim', groupsClaim, 'the ID-token claim listing the user\'s groups'))],
  });
}
