// Sites: a prefix search over the API's server-side pages (the API walks its sorted index, so a
// search stays instant with 100,000 sites), with each shown site's TLS mode and certificate state.
import {field, fill, h, heading, table} from './dom.js';
import * as api from './api.js';

const PAGE_SIZE = 25;

export async function sitesPage(view) {
  const search = h('input', {type: 'search', name: 'prefix', placeholder: 'app.example.com', autocomplete: 'off',
    'aria-label': 'Search sites by name prefix'});
  const list = h('div', {id: 'sites-list', 'aria-live': 'polite'});
  const back = h('button', {type: 'button', class: 'ghost', disabled: true}, 'Previous');
  const more = h('button', {type: 'button', class: 'ghost', disabled: true}, 'Next');
  const cursors = [];
  let next = null;
  let shown = 0;

  async function load(after) {
    const query = new URLSearchParams({limit: PAGE_SIZE});
    if (search.value.trim()) query.set('prefix', search.value.trim().toLowerCase());
    if (after) query.set('after', after);
    const asked = ++shown;
    let page;
    try {
      page = await api.call('GET', `/sites?${query}`);
    } catch (e) {
      fill(list, h('p', {class: 'error'}, e.message));
      return;
    }
    if (asked !== shown) return;
    next = page.next;
    more.disabled = !next;
    back.disabled = cursors.length === 0;
    const rows = page.items.map((item) => {
      const status = h('span', {class: 'muted'}, item.site.tls === 'off' ? '—' : '…');
      const error = h('span', {});
      if (item.site.tls !== 'off') certificateState(item.pattern, status, error);
      return [h('a', {href: `#/site/${api.seg(item.pattern)}`, class: 'site-link'}, item.pattern),
        h('span', {}, h('span', {class: 'mono'}, (item.site.targets || []).join(', ')),
          // a site that takes any backend certificate says so where its targets are listed
          item.site.backendTls && item.site.backendTls.verify === false
            ? h('span', {class: 'badge', title: 'backendTls.verify is false'}, ' backend TLS not verified') : ''),
        h('span', {class: `badge tls-${item.site.tls || 'auto'}`}, item.site.tls || 'auto'),
        status, error, item.site.owner || ''];
    });
    fill(list, table(['Site', 'Targets', 'TLS', 'Certificate', 'Last error', 'Owner'], rows,
      search.value ? 'No site starts with that.' : 'No sites yet: create one.'));
  }

  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      cursors.length = 0;
      load();
    }, 150);
  });
  more.addEventListener('click', () => {
    cursors.push(next);
    load(next);
  });
  back.addEventListener('click', () => {
    cursors.pop();
    load(cursors[cursors.length - 1]);
  });

  fill(view, heading('Sites', h('a', {href: '#/site', class: 'button', id: 'new-site'}, 'New site')),
    h('div', {class: 'toolbar'}, field('Search', search), h('div', {class: 'pager'}, back, more)), list);
  search.focus();
  await load();
}

/** Fills a row's certificate cells: days left and the last renewal error, if any. */
async function certificateState(pattern, status, error) {
  try {
    const cert = await api.call('GET', `/certificates/${api.seg(pattern)}`);
    status.textContent = `${cert.daysLeft} days left`;
    status.className = cert.daysLeft < 14 ? 'warn' : 'ok';
    const last = cert.lastRenewal;
    if (last && last.error) error.textContent = last.error;
  } catch (e) {
    status.textContent = e.status === 404 ? 'none yet' : 'unknown';
  }
}
