// The console's shell: sign-in, navigation by the URL's #fragment, theme, session end on 401.
import {$, fill, h} from './dom.js';
import * as api from './api.js';
import {sitesPage} from './sites.js';
import {siteFormPage} from './siteform.js';
import {resolvePage} from './resolve.js';
import {certificatesPage} from './certificates.js';
import {dnsPage} from './dns.js';
import {usersPage} from './users.js';
import {auditPage} from './audit.js';
import {livePage} from './live.js';

const PAGES = {
  sites: sitesPage, site: siteFormPage, resolve: resolvePage, certificates: certificatesPage,
  dns: dnsPage, users: usersPage, audit: auditPage, live: livePage,
};
const session = {me: null};
let leave = null;
let navigation = 0;

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  $('#theme').textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
}

function showSignIn(note) {
  session.me = null;
  navigation++;
  if (leave) leave();
  leave = null;
  fill($('#view'));
  $('#nav').hidden = true;
  $('#signout').hidden = true;
  $('#who').textContent = '';
  $('#signin').hidden = false;
  $('#signin-note').textContent = note || '';
  $('#signin-form [name=username]').focus();
}

async function route() {
  if (!api.token()) return showSignIn();
  if (!session.me) {
    try {
      session.me = await api.call('GET', '/auth/me');
    } catch (e) {
      return api.token() ? fill($('#view'), h('p', {class: 'error'}, e.message)) : undefined;
    }
  }
  $('#signin').hidden = true;
  $('#nav').hidden = false;
  $('#signout').hidden = false;
  $('#who').textContent = `${session.me.username} (${session.me.role})`;
  for (const link of document.querySelectorAll('#nav [data-admin]')) link.hidden = session.me.role !== 'admin';
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = PAGES[name] ? name : 'sites';
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === (page === 'site' ? 'sites' : page)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (leave) leave();
  leave = null;
  // each visit renders into its own box: a slower, earlier visit finishing late writes into a
  // box no longer on the page instead of over the current one
  const visit = ++navigation;
  const view = h('div', {class: 'page'});
  fill($('#view'), view);
  const stop = await PAGES[page](view, {me: session.me, arg: rest.map(decodeURIComponent).join('/')});
  if (visit !== navigation) {
    if (stop) stop();
  } else {
    leave = stop || null;
  }
}

function start() {
  applyTheme(localStorage.getItem('portico.theme')
    || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  $('#theme').addEventListener('click', () => {
    const theme = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('portico.theme', theme);
    applyTheme(theme);
  });
  $('#signin-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    $('#signin-error').textContent = '';
    try {
      await api.signIn(form.username.value, form.password.value);
      form.password.value = '';
      await route();
      $('#main').focus();
    } catch (e) {
      $('#signin-error').textContent = e.message;
    }
  });
  $('#signout').addEventListener('click', async () => {
    await api.signOut().catch(() => {});
    showSignIn('You are signed out.');
  });
  api.whenSessionEnds((detail) => showSignIn(`Your session ended${detail ? `: ${detail}` : ''}. Sign in again.`));
  addEventListener('hashchange', route);
  route();
}

start();
