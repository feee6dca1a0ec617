// "Which site serves this name?": the API's resolve endpoint and its explanation.
import {field, fill, h, heading} from './dom.js';
import * as api from './api.js';

export async function resolvePage(view, {arg}) {
  const host = h('input', {name: 'host', placeholder: 'www.example.com', required: true, value: arg || '', maxlength: 253});
  const answer = h('div', {id: 'resolve-answer', 'aria-live': 'polite'});

  async function resolve(event) {
    if (event) event.preventDefault();
    if (!host.value.trim()) return;
    try {
      const result = await api.call('GET', `/resolve/${api.seg(host.value.trim())}`);
      fill(answer, h('div', {class: 'card'},
        result.match
          ? h('p', {class: 'big'}, h('code', {}, result.host), ' is served by ',
            h('a', {href: `#/site/${api.seg(result.match.pattern)}`, id: 'resolved-site'}, result.match.pattern),
            ` (${result.match.kind})`)
          : h('p', {class: 'big', id: 'resolved-none'}, 'No site serves ', h('code', {}, result.host || host.value)),
        h('p', {class: 'note'}, result.why),
        result.beats.length ? h('div', {}, h('h2', {}, 'Other matching patterns, in order'),
          h('ul', {}, result.beats.map((loser) => h('li', {}, h('code', {}, loser.pattern), ` (${loser.kind}): ${loser.why}`))))
          : null));
    } catch (e) {
      fill(answer, h('p', {class: 'error'}, e.message));
    }
  }

  fill(view, heading('Which site serves this name?'),
    h('form', {class: 'card toolbar', onsubmit: resolve}, field('Host name', host), h('button', {type: 'submit'}, 'Resolve')),
    answer);
  host.focus();
  if (arg) await resolve();
}
