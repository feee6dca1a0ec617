// Users (admins) and API tokens: create, roles, reset password, tokens shown once, revoke.
import {field, fill, h, heading, table, toast, when} from './dom.js';
import * as api from './api.js';

export async function usersPage(view, {me}) {
  const tokens = h('div', {id: 'tokens-list'});
  const users = h('div', {id: 'users-list'});
  const shownOnce = h('div', {id: 'new-token', 'aria-live': 'polite'});

  async function loadTokens() {
    const page = await api.call('GET', '/tokens?limit=1000');
    fill(tokens, table(['Name', 'Owner', 'Scope', 'Created', ''], page.items.map((t) => [
      h('span', {class: 'token-name'}, t.name), t.owner, t.scope, when(t.createdAt),
      h('button', {type: 'button', class: 'ghost small danger', onclick: () => revoke(t)}, 'Revoke')]),
    'No API tokens.'));
  }

  async function revoke(t) {
    try {
      await api.call('DELETE', `/tokens/${api.seg(t.id)}`);
      toast(`Revoked ${t.name}`);
      await loadTokens();
    } catch (e) {
      toast(e.message);
    }
  }

  const tokenName = h('input', {name: 'tokenName', required: true, maxlength: 100, placeholder: 'ci-deploy'});
  const tokenScope = h('select', {name: 'scope'}, h('option', {value: 'read'}, 'read'), h('option', {value: 'write'}, 'write'));
  const tokenError = h('p', {class: 'error', role: 'alert'});
  async function createToken(event) {
    event.preventDefault();
    tokenError.textContent = '';
    try {
      const created = await api.call('POST', '/tokens', {name: tokenName.value.trim(), scope: tokenScope.value});
      const value = h('input', {readonly: true, value: created.token, class: 'mono', id: 'token-value', 'aria-label': 'The new token'});
      fill(shownOnce, h('div', {class: 'card notice'}, h('p', {}, `Token "${created.name}": copy it now, it is not shown again.`), value,
        h('button', {type: 'button', class: 'ghost small', onclick: () => navigator.clipboard.writeText(value.value)
          .then(() => toast('Copied'), () => value.select())}, 'Copy'),
        h('button', {type: 'button', class: 'ghost small', onclick: () => fill(shownOnce)}, 'Done')));
      value.select();
      tokenName.value = '';
      await loadTokens();
    } catch (e) {
      tokenError.textContent = e.message;
    }
  }

  async function loadUsers() {
    const page = await api.call('GET', '/users?limit=1000');
    fill(users, table(['User', 'Role', 'Created', 'Change'], page.items.map((user) => [
      h('span', {class: 'user-name'}, user.username), user.role, when(user.createdAt), userActions(user)]), 'No users.'));
  }

  function userActions(user) {
    const role = h('select', {'aria-label': `Role of ${user.username}`},
      ['admin', 'user'].map((r) => h('option', {value: r, selected: r === user.role}, r)));
    const password = h('input', {type: 'password', placeholder: 'new password (12+)', autocomplete: 'new-password',
      'aria-label': `New password for ${user.username}`});
    const apply = async () => {
      const change = {};
      if (role.value !== user.role) change.role = role.value;
      if (password.value) change.password = password.value;
      if (!Object.keys(change).length) return toast('Nothing to change');
      try {
        await api.call('PATCH', `/users/${api.seg(user.username)}`, change);
        toast(`Updated ${user.username}`);
        await loadUsers();
      } catch (e) {
        toast(e.message);
      }
    };
    const remove = async () => {
      try {
        await api.call('DELETE', `/users/${api.seg(user.username)}`);
        toast(`Deleted ${user.username}`);
        await loadUsers();
      } catch (e) {
        toast(e.message);
      }
    };
    return h('span', {class: 'actions'}, role, password, h('button', {type: 'button', class: 'ghost small', onclick: apply}, 'Apply'),
      h('button', {type: 'button', class: 'ghost small danger', onclick: remove, disabled: user.username === me.username}, 'Delete'));
  }

  const username = h('input', {name: 'username', required: true, maxlength: 64});
  const password = h('input', {name: 'password', type: 'password', required: true, minlength: 12, autocomplete: 'new-password'});
  const role = h('select', {name: 'role'}, h('option', {value: 'user'}, 'user'), h('option', {value: 'admin'}, 'admin'));
  const userError = h('p', {class: 'error', role: 'alert'});
  async function createUser(event) {
    event.preventDefault();
    userError.textContent = '';
    try {
      await api.call('POST', '/users', {username: username.value.trim(), password: password.value, role: role.value});
      toast(`Created ${username.value.trim()}`);
      username.value = password.value = '';
      await loadUsers();
    } catch (e) {
      userError.textContent = e.field && e.field !== '#' ? `${e.field}: ${e.message}` : e.message;
    }
  }

  const admin = me.role === 'admin';
  fill(view, heading('API tokens'), shownOnce, tokens,
    h('form', {class: 'card toolbar', id: 'token-form', onsubmit: createToken}, field('Name', tokenName), field('Scope', tokenScope),
      h('button', {type: 'submit'}, 'Create token'), tokenError),
    admin ? [h('h1', {}, 'Users'), users, h('form', {class: 'card toolbar', id: 'user-form', onsubmit: createUser},
      field('User name', username), field('Password', password), field('Role', role), h('button', {type: 'submit'}, 'Create user'), userError)]
      : null);
  await Promise.all([loadTokens(), admin ? loadUsers() : null]).catch((e) => toast(e.message));
}
