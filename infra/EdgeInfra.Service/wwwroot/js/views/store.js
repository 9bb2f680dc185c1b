// One store: labels, last seen, revisions, drift detail, catch-up, and the audit entries that concern it.
import { api, ApiError } from '../api.js';
import { h, fill, time, ago, stateBadge } from '../dom.js';
import { session } from '../session.js';
import * as act from '../actions.js';
import { auditTable } from './audit.js';

export async function store(main, id, signal) {
  let s;
  try {
    s = await api(`stores/${encodeURIComponent(id)}`, { signal });
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    fill(main, h('h1', { tabindex: -1 }, `Store ${id}`), h('p', { class: 'error', role: 'alert' }, e.message), h('a', { href: '#/stores' }, 'All stores'));
    return;
  }
  const audit = await api(`audit?store=${encodeURIComponent(id)}&limit=100`, { signal });
  const now = Date.parse(session.status?.now) || Date.now();
  const reload = () => store(main, id, signal);
  const c = s.catchUp;
  fill(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, `Store ${s.id}`), stateBadge(s.state), h('span', { class: 'spacer' }), h('a', { href: '#/stores' }, 'All stores')),
    h('div', { class: 'grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'facts-title' },
        h('h2', { id: 'facts-title' }, 'State'),
        h('dl', { class: 'facts', id: 'store-facts' },
          h('dt', {}, 'Ring'), h('dd', {}, s.ring ?? '—'),
          h('dt', {}, 'Region'), h('dd', {}, s.region ?? '—'),
          h('dt', {}, 'State'), h('dd', {}, s.state),
          h('dt', {}, 'Last seen'), h('dd', {}, s.lastSeen ? `${time(s.lastSeen)} (${ago(s.lastSeen, now)})` : 'never'),
          h('dt', {}, 'Applied revision'), h('dd', { class: 'mono' }, s.appliedRevision ?? '—'),
          h('dt', {}, 'Attempted revision'), h('dd', { class: 'mono' }, s.attemptedRevision ?? '—'),
          h('dt', {}, s.state === 'drifted' ? 'Drift' : 'Detail'), h('dd', { id: 'store-reason' }, s.reason ?? '—'))),
      h('section', { class: 'panel', 'aria-labelledby': 'labels-title' },
        h('h2', { id: 'labels-title' }, 'Labels'),
        Object.keys(s.labels).length === 0 ? h('p', { class: 'muted' }, 'No labels.')
          : h('ul', { class: 'labels' }, Object.entries(s.labels).sort().map(([k, v]) => h('li', {}, h('code', {}, `${k}=${v}`))))),
      h('section', { class: 'panel', 'aria-labelledby': 'catchup-title' },
        h('h2', { id: 'catchup-title' }, 'Catch-up'),
        !c ? h('p', { class: 'muted' }, 'Not waiting to catch up.') : [
          h('dl', { class: 'facts', id: 'store-catchup' },
            h('dt', {}, 'Class'), h('dd', {}, c.class),
            h('dt', {}, 'Cause'), h('dd', {}, c.cause),
            h('dt', {}, 'Status'), h('dd', { 'data-fact': 'status' }, [c.paused ? 'paused' : 'released', c.approved ? 'approved' : null].filter(Boolean).join(', ')),
            h('dt', {}, 'Since'), h('dd', {}, time(c.since)),
            c.waiting ? [h('dt', {}, 'Waiting for'), h('dd', {}, c.waiting)] : null),
          act.isOperator() && !c.approved
            ? h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => act.approveCatchUp(s.id, reload) }, 'Approve catch-up…')) : null,
        ])),
    h('section', { class: 'panel', 'aria-labelledby': 'store-audit-title', id: 'store-audit' },
      h('h2', { id: 'store-audit-title' }, `Audit entries (${audit.total})`),
      auditTable(audit.entries)));
}
