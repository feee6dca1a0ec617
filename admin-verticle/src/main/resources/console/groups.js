// Groups (global admins): create, open one to add and remove members, delete. A group's name is
// also matched by the admin OIDC provider's groups claim; its grants are on the Permissions page.
import {field, fill, h, heading, table, toast} from './dom.js';
import * as api from './api.js';

export async function groupsPage(view) {
  const list = h('div', {id: 'groups-list'});
  const detail = h('div', {id: 'group-detail', 'aria-live': 'polite'});
  const error = h('p', {class: 'error', role: 'alert', id: 'group-error'});
  const say = (e) => { error.textContent = e.field && e.field !== '#' ? `${e.field}: ${e.message}` : e.message; };

  async function load() {
    const page = await api.call('GET', '/groups?limit=1000');
    fill(list, table(['Group', 'Description', ''], page.items.map((group) => [
      h('button', {type: 'button', class: 'ghost small group-name', onclick: () => open(group.name).catch(say)}, group.name),
      group.description || '',
      h('button', {type: 'button', class: 'ghost small danger', onclick: () => remove(group.name),
        'aria-label': `Delete group ${group.name}`}, 'Delete')]), 'No groups yet.'));
  }

  async function open(name) {
    error.textContent = '';
    const group = await api.call('GET', `/groups/${api.seg(name)}`);
    const member = h('input', {name: 'member', required: true, maxlength: 64, placeholder: 'user name',
      'aria-label': `User to add to ${name}`});
    const add = async (event) => {
      event.preventDefault();
      error.textContent = '';
      try {
        await api.call('PUT', `/groups/${api.seg(name)}/members/${api.seg(member.value.trim())}`);
        toast(`Added ${member.value.trim()} to ${name}`);
        await open(name);
      } catch (e) {
        say(e);
      }
    };
    const drop = async (username) => {
      try {
        await api.call('DELETE', `/groups/${api.seg(name)}/members/${api.seg(username)}`);
        toast(`Removed ${username} from ${name}`);
        await open(name);
      } catch (e) {
        say(e);
      }
    };
    fill(detail, h('section', {class: 'card'}, h('h2', {}, `Members of ${group.name}`),
      table(['Member', ''], group.members.map((username) => [h('span', {class: 'member-name'}, username),
        h('button', {type: 'button', class: 'ghost small danger', onclick: () => drop(username),
          'aria-label': `Remove ${username}`}, 'Remove')]), 'No members yet.'),
      h('form', {class: 'toolbar', id: 'member-form', onsubmit: add}, field('Add a user', member),
        h('button', {type: 'submit'}, 'Add member'))));
  }

  async function remove(name) {
    error.textContent = '';
    try {
      await api.call('DELETE', `/groups/${api.seg(name)}`);
      toast(`Deleted group ${name}`);
      fill(detail);
      await load();
    } catch (e) {
      say(e);
    }
  }

  const name = h('input', {name: 'name', required: true, maxlength: 64, placeholder: 'web-team'});
  const description = h('input', {name: 'description', maxlength: 200});
  async function create(event) {
    event.preventDefault();
    error.textContent = '';
    try {
      const body = {name: name.value.trim()};
      if (description.value.trim()) body.description = description.value.trim();
      await api.call('POST', '/groups', body);
      toast(`Created group ${body.name}`);
      name.value = description.value = '';
      await load();
      await open(body.name);
    } catch (e) {
      say(e);
    }
  }

  fill(view, heading('Groups'), h('p', {class: 'note'}, 'Members hold the group\'s grants. A sign-in through the '
    + 'admin\'s OIDC provider holds those of the groups of the same name its groups claim lists.'),
  h('form', {class: 'card toolbar', id: 'group-form', onsubmit: create}, field('Name', name),
    field('Description', description), h('button', {type: 'submit'}, 'Create group')), error, list, detail);
  await load().catch(say);
}
