// Live (admins): every node's figures from GET /cluster/nodes every few seconds. The API gives
// cumulative counts; rates and latency percentiles come from the difference of two answers.
import {fill, h, heading, table} from './dom.js';
import * as api from './api.js';
import {format, lineChart, splitBar} from './chart.js';

const EVERY_MS = 2000;
const KEEP = 60;
const CLASSES = ['2xx', '3xx', '4xx', '5xx'];

export async function livePage(view) {
  const body = h('div', {id: 'live', 'aria-live': 'off'}, h('p', {class: 'note'}, 'Asking the nodes…'));
  fill(view, heading('Live'), body);
  const history = [];
  let timer = null;
  let stopped = false;

  async function poll() {
    try {
      const answer = await api.call('GET', '/cluster/nodes');
      history.push(answer);
      if (history.length > KEEP) history.shift();
      render(body, history);
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

/** Rates between consecutive answers, per node: [{t, node, figures, rate, status, p50, p95}]. */
function deltas(history) {
  const out = [];
  for (let i = 1; i < history.length; i++) {
    const before = new Map(history[i - 1].nodes.map((n) => [n.node, n]));
    for (const now of history[i].nodes) {
      const then = before.get(now.node);
      if (!then || then.startedAt !== now.startedAt) continue;
      out.push({t: now.at, node: now.node, ...difference(then.requests, now.requests, (now.at - then.at) / 1000)});
    }
  }
  return out;
}

function difference(then, now, seconds) {
  const count = Math.max(0, now.count - then.count);
  const status = Object.fromEntries(CLASSES.map((c) => [c, Math.max(0, (now.status[c] || 0) - (then.status[c] || 0)) / seconds]));
  const buckets = now.buckets.map((b, i) => ({le: b.le, count: b.count - ((then.buckets[i] || {}).count || 0)}));
  const percentile = (q) => {
    const bucket = buckets.find((b) => b.count >= q * count);
    return count && bucket ? bucket.le * 1000 : null;
  };
  return {rate: seconds > 0 ? count / seconds : 0, status, p50: percentile(0.5), p95: percentile(0.95),
    mean: count ? ((now.seconds - then.seconds) / count) * 1000 : null};
}

function render(body, history) {
  const latest = history[history.length - 1];
  const steps = deltas(history);
  const names = latest.nodes.map((n) => n.node);
  const series = (pick) => names.map((name) => ({name, points: steps.filter((s) => s.node === name).map((s) => ({t: s.t, v: pick(s) || 0}))}));
  const previous = history.length > 1 ? history[history.length - 2] : null;
  fill(body,
    steps.length ? h('div', {class: 'charts'}, lineChart('Requests per second by node', series((s) => s.rate), 'req/s'),
      lineChart('Latency p95 by node', series((s) => s.p95), 'ms')) : h('p', {class: 'note'}, 'Rates appear with the next answer.'),
    h('h2', {}, 'Nodes'),
    table(['Node', 'Roles', 'Requests/s', 'Status classes', 'p50 / p95', 'Route tiers', 'Heap'], latest.nodes.map((node) => {
      const step = steps.filter((s) => s.node === node.node).pop();
      const tiers = Object.entries(node.routeTiers || {}).map(([name, value]) => ({name, value}));
      return [h('span', {class: 'node-name'}, node.node), (node.roles || []).join(', '),
        h('span', {class: 'node-rate'}, step ? format(step.rate) : '…'),
        step ? splitBar('status classes', CLASSES.map((c) => ({name: `c${c}`, label: c, value: step.status[c]}))) : '',
        step && step.p50 !== null ? `${format(step.p50)} / ${format(step.p95)} ms` : '—',
        tiers.length ? splitBar('route tiers', tiers) : '—',
        `${Math.round(node.heap.usedBytes / 1048576)} / ${Math.round(node.heap.maxBytes / 1048576)} MiB`];
    })),
    h('h2', {}, 'Sites (busiest, all nodes)'), sitesTable(previous, latest),
    h('h2', {}, 'Certificates by expiry'), table(['Name', 'Days left', 'Tracked by'],
      latest.nodes.flatMap((node) => (node.certificates || []).map((c) => ({...c, node: node.node})))
        .sort((a, b) => a.daysLeft - b.daysLeft).slice(0, 50)
        .map((c) => [c.name, h('span', {class: c.daysLeft < 14 ? 'warn' : 'ok'}, String(c.daysLeft)), c.node]),
      'No node with the cert role tracks a certificate yet.'));
}

function sitesTable(previous, latest) {
  const sum = (answer) => {
    const bySite = new Map();
    for (const node of answer ? answer.nodes : []) {
      for (const site of node.sites || []) {
        const key = `${node.node} ${site.site}`;
        bySite.set(key, {site: site.site, node, figures: site});
      }
    }
    return bySite;
  };
  const before = sum(previous);
  const rows = new Map();
  for (const [key, now] of sum(latest)) {
    const then = before.get(key);
    const seconds = then ? (now.node.at - then.node.at) / 1000 : 0;
    const step = then && then.node.startedAt === now.node.startedAt ? difference(then.figures, now.figures, seconds) : null;
    const row = rows.get(now.site) || {site: now.site, total: 0, rate: 0, status: {}, p95: null};
    row.total += now.figures.count;
    if (step) {
      row.rate += step.rate;
      CLASSES.forEach((c) => { row.status[c] = (row.status[c] || 0) + step.status[c]; });
      row.p95 = Math.max(row.p95 || 0, step.p95 || 0);
    }
    rows.set(now.site, row);
  }
  return table(['Site', 'Requests (total)', 'Requests/s', '2xx/s', '3xx/s', '4xx/s', '5xx/s', 'p95'],
    [...rows.values()].sort((a, b) => b.total - a.total).map((row) => [h('span', {class: 'live-site'}, row.site),
      h('span', {class: 'live-total'}, String(row.total)), format(row.rate),
      ...CLASSES.map((c) => format(row.status[c] || 0)), row.p95 ? `${format(row.p95)} ms` : '—']),
    'No requests yet.');
}
