// The audit view: the hash-chained decision log, filtered by store, ring, action and time, with the chain's
// verification as the service reports it.
import { api, download } from '../api.js';
import { h, fill, fmt, time, release, hashParams, replaceHashParams } from '../dom.js';
import { session } from '../session.js';

const ACTIONS = ['start', 'apply', 'promote', 'hold', 'hold-timeout', 'breach', 'rollback', 'complete', 'freeze', 'unfreeze',
  'hold-release', 'unhold', 'abort', 'override', 'catch-up-pause', 'catch-up-release', 'catch-up-approve', 'caught-up',
  'window-pause', 'window-release', 'window-delivered', 'observe'];

export async function audit(main, signal) {
  const p = hashParams();
  session.status ??= await api('status', { signal });
  const store = field('a-store', 'Store id', h('input', { id: 'a-store', type: 'search', value: p.get('store') ?? '', autocomplete: 'off', spellcheck: 'false' }));
  const ring = field('a-ring', 'Ring', h('select', { id: 'a-ring' }, ['', ...session.status.rings.map(r => r.ring)]
    .map(v => h('option', { value: v, selected: v === (p.get('ring') ?? '') }, v || 'any ring'))));
  const action = field('a-action', 'Action', h('select', { id: 'a-action' }, ['', ...ACTIONS]
    .map(v => h('option', { value: v, selected: v === (p.get('action') ?? '') }, v || 'any action'))));
  const from = field('a-from', 'From', h('input', { id: 'a-from', type: 'datetime-local', value: p.get('from') ?? '' }));
  const to = field('a-to', 'To', h('input', { id: 'a-to', type: 'datetime-local', value: p.get('to') ?? '' }));
  const chain = h('div', { id: 'chain' });
  const result = h('div', { id: 'audit-result' });
  const error = h('p', { class: 'error', role: 'alert' });
  const reportError = h('p', { class: 'error', role: 'alert' });

  fill(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, 'Audit log')),
    chain,
    h('section', { class: 'panel' },
      h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter audit entries', onsubmit: e => { e.preventDefault(); load(); } },
        store.field, ring.field, action.field, from.field, to.field, h('button', { type: 'submit', class: 'primary' }, 'Apply')),
      error, result),
    h('section', { class: 'panel', 'aria-labelledby': 'report-head' },
      h('h2', { id: 'report-head' }, 'Compliance evidence'),
      h('p', { class: 'muted' }, 'Per release: who proposed and approved it, its pinned digest and signature check, each ring\'s apply, gates and rollbacks; per store: the digest it ran over the period. The period is the From and To above (the last 30 days when empty).'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => report('html') }, 'Download report (HTML)'),
        h('button', { type: 'button', onclick: () => report('json') }, 'Download report (JSON)')),
      reportError));

  async function report(format) {
    const q = new URLSearchParams({ format });
    for (const k of ['from', 'to']) if (document.getElementById(`a-${k}`).value) q.set(k, new Date(document.getElementById(`a-${k}`).value).toISOString());
    try {
      await download(`report?${q}`, `compliance-${session.status.stack}.${format}`, { signal });
      fill(reportError);
    } catch (e) {
      if (e.name !== 'AbortError') fill(reportError, e.message);
    }
  }

  async function load() {
    const values = { store: store.el.value.trim(), ring: ring.el.value, action: action.el.value, from: from.el.value, to: to.el.value };
    replaceHashParams('audit', Object.entries(values));
    const q = new URLSearchParams({ limit: '200' });
    for (const k of ['store', 'ring', 'action']) if (values[k]) q.set(k, values[k]);
    for (const k of ['from', 'to']) if (values[k]) q.set(k, new Date(values[k]).toISOString());
    let doc;
    try {
      doc = await api(`audit?${q}`, { signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      fill(error, e.message);
      return;
    }
    fill(error);
    fill(chain, doc.intact
      ? h('div', { class: 'banner ok', 'data-intact': 'true' }, h('strong', {}, 'Hash chain verified: '), 'every entry links to the one before it; nothing was changed or removed.')
      : h('div', { class: 'banner bad', role: 'alert', 'data-intact': 'false' }, h('strong', {}, 'Hash chain broken: '), doc.problems.join('; ')));
    fill(result, h('p', { class: 'muted', 'aria-live': 'polite' }, `${fmt(doc.total)} entries match${doc.total > doc.entries.length ? `; the newest ${fmt(doc.entries.length)} shown` : ''}.`),
      auditTable(doc.entries));
    result.dataset.ready = 'true';
  }
  for (const f of [ring, action]) f.el.addEventListener('change', load);
  await load();
}

function field(id, label, el) {
  return { el, field: h('div', { class: 'field' }, h('label', { for: id }, label), el) };
}

/** Audit entries, newest first (shared with the store page). */
export function auditTable(entries) {
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No entry.');
  return h('div', { class: 'scroll' }, h('table', { class: 'audit-table' },
    h('thead', {}, h('tr', {}, ['#', 'Time', 'Actor', 'Action', 'Ring', 'Release', 'Reason', 'Stores'].map(x => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, entries.map(e => h('tr', { 'data-action': e.record.action, 'data-seq': e.seq },
      h('td', { class: 'num' }, String(e.seq)), h('td', {}, time(e.record.time)), h('td', {}, e.record.actor),
      h('td', {}, e.record.action), h('td', {}, e.record.ring ?? ''), h('td', {}, e.record.release ? release(e.record.release) : ''),
      h('td', {}, e.record.reason ?? ''), h('td', { class: 'num' }, e.record.stores?.length ? fmt(e.record.stores.length) : ''))))));
}
