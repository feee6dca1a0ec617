// The console's shell: sign-in, navigation by the URL's #fragment, theme, session end on 401.
import {$, fill, h} from './dom.js';
import * as api from './api.js';
import {sitesPage} from './sites.js';
import {siteFormPage} from './siteform.js';
import {resolvePage} from './resolve.js';
import {certificatesPage} from './certificates.js';
import {dnsPage} from './dns.js';
import {ssoPage} from './sso.js';
import {usersPage} from './users.js';
import {auditPage} from './audit.js';
import {livePage} from './live.js';
import {groupsPage} from './groups.js';
import {permissionsPage} from './permissions.js';
import {healthPage} from './health.js';

const PAGES = {
  sites: sitesPage, site: siteFormPage, resolve: resolvePage, certificates: certificatesPage,
  dns: dnsPage, sso: ssoPage, users: usersPage, audit: auditPage, live: livePage, groups: groupsPage, permissions: permissionsPage,
  health: healthPage,
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

/**
 * The way back from the admin's OIDC provider: #/oidc/<one-time code> or #/oidc-failed/<reason>.
 * The fragment is removed from the address (and this history entry) before anything else.
 */
async function finishOidcSignIn() {
  const [, kind, value] = location.hash.match(/^#\/(oidc|oidc-failed)\/(.*)$/) || [];
  if (!kind) return;
  history.replaceState(null, '', `${location.pathname}#/sites`);
  if (kind === 'oidc-failed') {
    showSignIn(`Single sign-on failed: ${decodeURIComponent(value)}`);
    return;
  }
  try {
    await api.signInWithCode(value);
  } catch (e) {
    showSignIn(`Single sign-on failed: ${e.message}`);
  }
}

async function showOidcButton() {
  const issuer = await api.oidcProvider();
  if (!issuer) return;
  $('#oidc-issuer').textContent = issuer;
  $('#oidc-button').addEventListener('click', () => location.assign('/api/v1/auth/oidc/login?console=1'));
  $('#oidc-signin').hidden = false;
}

async function route() {
  if (!api.token()) return showSignIn($('#signin-note').textContent);
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
    if (link.dataset.page === (page === 'site' || page === 'health' ? 'sites' : page)) link.setAttribute('aria-current', 'page');
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
    const endSession = await api.signOut(session.me && session.me.local === false).catch(() => null);
    if (endSession) {
      location.assign(endSession);
    } else {
      showSignIn('You are signed out.');
    }
  });
  api.whenSessionEnds((detail) => showSignIn(`Your session ended${detail ? `: ${detail}` : ''}. Sign in again.`));
  addEventListener('hashchange', () => finishOidcSignIn().then(route));
  showOidcButton();
  finishOidcSignIn().then(route);
}

start();
