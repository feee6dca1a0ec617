// Certificates: soonest expiry first, renewal state and last error, renew now, upload.
import {field, fill, h, heading, table, toast, when} from './dom.js';
import * as api from './api.js';

const MAX_PAGES = 20;

export async function certificatesPage(view) {
  const list = h('div', {id: 'certificates-list'});
  const name = h('input', {name: 'name', placeholder: 'www.example.com', required: true, maxlength: 253});
  const certificatePem = h('textarea', {name: 'certificatePem', rows: 6, placeholder: '-----BEGIN CERTIFICATE-----'});
  const privateKeyPem = h('textarea', {name: 'privateKeyPem', rows: 6, placeholder: '-----BEGIN PRIVATE KEY-----'});
  const uploadError = h('p', {class: 'error', role: 'alert'});

  async function load() {
    // the API pages by scan cursor, not by expiry: gather a bounded number of pages, then sort
    const items = [];
    let after = null;
    for (let n = 0; n < MAX_PAGES; n++) {
      const page = await api.call('GET', `/certificates?limit=500${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      items.push(...page.items);
      after = page.next;
      if (!after) break;
    }
    items.sort((a, b) => a.notAfter - b.notAfter);
    fill(list, table(['Name', 'Names', 'Expires', 'Days left', 'Source', 'Renewal', 'Last error', ''],
      items.map((cert) => {
        const renew = h('button', {type: 'button', class: 'ghost small'}, 'Renew now');
        renew.addEventListener('click', async () => {
          try {
            const answer = await api.call('POST', `/certificates/${api.seg(cert.name)}/renew`);
            toast(`${cert.name}: ${answer.status}`);
            await load();
          } catch (e) {
            toast(`${cert.name}: ${e.message}`);
          }
        });
        const renewal = cert.lastRenewal || {};
        return [h('span', {class: 'cert-name'}, cert.name), (cert.names || []).join(', '), when(cert.notAfter),
          h('span', {class: cert.daysLeft < 14 ? 'warn' : 'ok'}, String(cert.daysLeft)), cert.source || '',
          renewal.status || '', renewal.error || '', renew];
      }), 'No certificates yet.'));
  }

  async function upload(event) {
    event.preventDefault();
    uploadError.textContent = '';
    try {
      await api.call('PUT', `/certificates/${api.seg(name.value.trim())}`,
        {certificatePem: certificatePem.value, privateKeyPem: privateKeyPem.value});
      toast(`Uploaded ${name.value.trim()}`);
      privateKeyPem.value = '';
      await load();
    } catch (e) {
      uploadError.textContent = e.field ? `${e.field}: ${e.message}` : e.message;
    }
  }

  fill(view, heading('Certificates'), list,
    h('details', {class: 'card'}, h('summary', {id: 'upload-toggle'}, 'Upload a certificate (for sites with tls: manual)'),
      h('form', {id: 'upload-form', onsubmit: upload}, field('Name', name), field('Certificate chain (PEM)', certificatePem),
        field('Private key (PEM)', privateKeyPem, 'sent once, stored sealed, never shown again'), uploadError,
        h('button', {type: 'submit'}, 'Upload'))));
  await load().catch((e) => fill(list, h('p', {class: 'error'}, e.message)));
}
