// A site's upstream health: what each edge node's active check finds of the site's targets, from
// GET /sites/{pattern}/health every few seconds. A node checks a site only while it serves it.
import {fill, h, heading, table, when} from './dom.js';
import * as api from './api.js';

const EVERY_MS = 2000;

export async function healthPage(view, {arg}) {
  const back = h('a', {href: `#/site/${api.seg(arg)}`, class: 'button ghost'}, 'Back to the site');
  const body = h('div', {id: 'health', 'aria-live': 'polite'}, h('p', {class: 'note'}, 'Asking the nodes…'));
  fill(view, heading(`Upstream health of ${arg}`, back), body);
  let site;
  try {
    site = (await api.call('GET', `/sites/${api.seg(arg)}`)).site;
  } catch (e) {
    fill(body, h('p', {class: 'error'}, e.message));
    return undefined;
  }
  const check = site.healthCheck;
  if (!check) {
    fill(body, h('p', {class: 'note', id: 'health-state'}, 'Not checked: this site has no healthCheck; ',
      'only passive checks (and a circuitBreaker, if set) guard its targets.'));
    return undefined;
  }
  let timer = null;
  let stopped = false;

  async function poll() {
    try {
      render(body, check, await api.call('GET', `/sites/${api.seg(arg)}/health`));
    } catch (e) {
      fill(body, h('p', {class: 'error'}, e.message));
    }
    if (!stopped) timer = setTimeout(poll, EVERY_MS);
  }
  await poll();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function render(body, check, answer) {
  const settings = h('p', {class: 'note'}, `GET ${check.path || '/'} every ${check.intervalMs || 5000} ms; down after `
    + `${check.unhealthyThreshold || 3} failed checks in a row, up after ${check.healthyThreshold || 2} passed. `
    + `Asked at ${when(answer.at)}.`);
  if (!answer.nodes.length) {
    fill(body, settings, h('p', {class: 'note', id: 'health-state'},
      'No edge node checks it yet: a node checks a site while it serves it (from its first request).'));
    return;
  }
  fill(body, settings, answer.nodes.map((node) => [
    h('h2', {class: 'health-node'}, node.node),
    table(['Target', 'State', 'Last result', 'Checked at'], (node.targets || []).map((target) => [
      h('span', {class: 'mono health-target'}, target.target),
      h('span', {class: `badge health-state ${target.up ? 'ok' : 'warn'}`}, target.up ? 'up' : 'down'),
      h('span', {class: 'health-result'}, target.lastResult || ''),
      target.checkedAt ? when(target.checkedAt) : 'not yet']), 'No targets.')]));
}
