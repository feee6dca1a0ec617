// A small SVG line chart (no library): series of {t, v} points over a shared time window.
import {h} from './dom.js';

const W = 600;
const H = 160;
const PAD = 28;

/** series: [{name, points: [{t, v}]}]; colours come from the stylesheet's .s0 … .s5. */
export function lineChart(title, series, unit) {
  const all = series.flatMap((s) => s.points);
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const top = niceMax(Math.max(0, ...all.map((p) => p.v)));
  const x = (t) => PAD + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (W - 2 * PAD));
  const y = (v) => H - PAD / 2 - (top ? (v / top) * (H - PAD) : 0);
  const svg = h('svg:svg', {viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title},
    h('svg:title', {}, title),
    [0, 0.5, 1].map((f) => [h('svg:line', {x1: PAD, x2: W - PAD / 2, y1: y(top * f), y2: y(top * f), class: 'grid-line'}),
      h('svg:text', {x: 2, y: y(top * f) + 4, class: 'axis'}, format(top * f))]),
    series.map((s, i) => h('svg:polyline', {class: `line s${i % 6}`, fill: 'none',
      points: s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')})));
  return h('figure', {class: 'chart-box'}, h('figcaption', {}, title, unit ? ` (${unit})` : ''), svg,
    h('ul', {class: 'legend'}, series.map((s, i) => h('li', {class: `s${i % 6}`}, s.name))));
}

/** A bar split by parts: [{name, label?, value}], each part's share of the whole; name is its colour class. */
export function splitBar(label, parts) {
  const total = parts.reduce((sum, part) => sum + part.value, 0);
  return h('div', {class: 'split', role: 'img', 'aria-label': `${label}: ${parts.map((p) => `${p.label || p.name} ${format(p.value)}`).join(', ')}`},
    parts.filter((p) => p.value > 0).map((p) => {
      const share = h('span', {class: `part ${p.name}`, title: `${p.label || p.name}: ${format(p.value)}`}, p.label || p.name);
      share.style.flexGrow = String(total ? p.value / total : 0);
      return share;
    }));
}

function niceMax(value) {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

export function format(value) {
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k`;
  if (value >= 10 || value === 0) return value.toFixed(0);
  return value.toFixed(value >= 1 ? 1 : 2);
}
