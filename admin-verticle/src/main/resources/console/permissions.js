// Permissions (global admins): who holds which role where. Grant a role (viewer, manager, admin)
// at a scope (global, or a domain and every name under it) to a user or a group; list; revoke.
import {field, fill, h, heading, table, toast, when} from './dom.js';
import * as api from './api.js';

/** Subjects whose grants the page lists at most, per kind: every one costs a request. */
const MAX_SUBJECTS = 200;
const ROLES = ['viewer', 'manager', 'admin'];

const base = (subject) => `/${subject.type === 'user' ? 'users' : 'groups'}/${api.seg(subject.name)}/grants`;
const scopePath = (scope) => (scope.type === 'global' ? 'global' : scope.domain);
const scopeText = (scope) => (scope.type === 'global' ? 'global' : scope.domain);

export async function permissionsPage(view) {
  const list = h('div', {id: 'grants-list'});
  const error = h('p', {class: 'error', role: 'alert', id: 'grant-error'});
  const say = (e) => { error.textContent = e.field && e.field !== '#' ? `${e.field}: ${e.message}` : e.message; };

  async function grantsOf(type, path) {
    const page = await api.call('GET', `${path}?limit=${MAX_SUBJECTS}`);
    const names = page.items.map((item) => (type === 'user' ? item.username : item.name));
    const all = await Promise.all(names.map((name) => api.call('GET', base({type, name}))));
    return {grants: all.flatMap((grants) => grants.items), more: Boolean(page.next)};
  }

  async function load() {
    const [users, groups] = await Promise.all([grantsOf('user', '/users'), grantsOf('group', '/groups')]);
    const grants = [...users.grants, ...groups.grants];
    fill(list, table(['Subject', 'Role', 'Scope', 'Granted by', ''], grants.map((grant) => [
      h('span', {class: 'grant-subject'}, `${grant.subject.type} ${grant.subject.name}`),
      h('span', {class: 'badge grant-role'}, grant.role), h('code', {class: 'grant-scope'}, scopeText(grant.scope)),
      `${grant.grantedBy || ''} ${when(grant.grantedAt)}`,
      h('button', {type: 'button', class: 'ghost small danger', onclick: () => revoke(grant),
        'aria-label': `Revoke ${grant.role} of ${grant.subject.type} ${grant.subject.name} at ${scopeText(grant.scope)}`},
      'Revoke')]), 'No grants.'),
    users.more || groups.more ? h('p', {class: 'note'}, `Only the grants of the first ${MAX_SUBJECTS} users and groups are listed.`)
      : null);
  }

  async function revoke(grant) {
    error.textContent = '';
    try {
      await api.call('DELETE', `${base(grant.subject)}/${api.seg(scopePath(grant.scope))}`);
      toast(`Revoked ${grant.role} of ${grant.subject.name} at ${scopeText(grant.scope)}`);
      await load();
    } catch (e) {
      say(e);
    }
  }

  const type = h('select', {name: 'subjectType', 'aria-label': 'User or group'},
    h('option', {value: 'user'}, 'user'), h('option', {value: 'group'}, 'group'));
  const name = h('input', {name: 'subject', required: true, maxlength: 64, placeholder: 'alice or web-team'});
  const role = h('select', {name: 'role'}, ROLES.map((r) => h('option', {value: r}, r)));
  const scope = h('input', {name: 'scope', required: true, maxlength: 253, value: 'global', placeholder: 'global or example.com'});
  async function grant(event) {
    event.preventDefault();
    error.textContent = '';
    const subject = {type: type.value, name: name.value.trim()};
    const where = scope.value.trim().toLowerCase();
    try {
      await api.call('PUT', `${base(subject)}/${api.seg(where)}`, {role: role.value});
      toast(`Granted ${role.value} at ${where} to ${subject.type} ${subject.name}`);
      await load();
    } catch (e) {
      say(e);
    }
  }

  fill(view, heading('Permissions'),
    h('p', {class: 'note'}, 'viewer reads sites and their certificates, manager also changes them, admin also chooses '
      + 'their owners. A domain scope covers every name under it; admin at the global scope manages users, groups, '
      + 'permissions and DNS providers.'),
    h('form', {class: 'card toolbar', id: 'grant-form', onsubmit: grant}, field('Subject', type), field('Name', name),
      field('Role', role), field('Scope', scope, 'global, or a domain'), h('button', {type: 'submit'}, 'Grant')),
    error, list);
  await load().catch(say);
}
