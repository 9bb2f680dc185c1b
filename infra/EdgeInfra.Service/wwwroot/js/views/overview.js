// The fleet overview: stores per ring × state and per region (numbers, and bars of plain CSS boxes), each ring's
// release, the freeze and holds in force. Re-reads the status every 15 s while shown.
import { api } from '../api.js';
import { h, fill, fmt, time, short, release, STATES } from '../dom.js';
import { session } from '../session.js';
import * as act from '../actions.js';

const REFRESH_MS = 15000;

export async function overview(main, signal) {
  const body = h('div', { id: 'overview' });
  const asOf = h('span', { class: 'muted', id: 'as-of' });
  const refresh = h('button', { type: 'button', id: 'refresh' }, 'Refresh');
  fill(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, 'Fleet overview'), asOf, h('span', { class: 'spacer' }), refresh),
    body);
  let loads = 0;
  const load = async fresh => {
    const status = await api(`status${fresh ? '?fresh=true' : ''}`, { signal });
    session.status = status;
    fill(document.getElementById('stack-name'), `· ${status.stack}`);
    fill(asOf, `${status.hub}, read ${time(status.asOf)}`);
    fill(body, ...content(status, () => load(true)));
    body.dataset.ready = 'true';
    body.dataset.loads = String(++loads);
  };
  refresh.addEventListener('click', () => load(true));
  await load(false);
  const timer = setInterval(() => load(false).catch(() => {}), REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer));
}

function content(s, reload) {
  const operator = act.isOperator();
  return [
    s.error ? h('div', { class: 'banner bad', role: 'alert' }, `The hub could not be read: ${s.error}`) : null,
    s.freeze ? h('div', { class: 'banner warn', id: 'freeze-banner' },
      h('strong', {}, 'Frozen: '), `${s.freeze.reason} (by ${s.freeze.actor}, ${time(s.freeze.since)}). No ring is promoted until unfrozen.`) : null,
    h('section', { class: 'panel', 'aria-labelledby': 'fleet-title' },
      h('h2', { id: 'fleet-title' }, `${fmt(s.stores)} stores`),
      h('ul', { class: 'tiles', id: 'state-tiles' }, STATES.map(state => h('li', { class: `tile st-${state}` },
        h('span', { class: 'n', 'data-state': state }, fmt(s.states[state])),
        h('span', { class: 'k' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), state))))),
    countsTable('rings', 'Stores per ring and state', 'Ring', s.rings.map(r => ({ key: r.ring, total: r.stores, states: r.states,
      extra: [h('td', {}, r.release ? release(r.release) : h('span', { class: 'muted' }, 'not known')),
        h('td', {}, r.phase ? h('span', { class: `badge phase phase-${r.phase}` }, r.phase) : '—'),
        h('td', { class: 'mono' }, short(r.revision)),
        // Only a ring that was applied has a version to return to.
        operator ? h('td', {}, r.release ? h('button', { type: 'button', class: 'danger compact', 'aria-label': `Roll back ${r.ring}…`,
          onclick: () => act.rollback(r.ring, reload) }, 'Roll back…') : null) : null] })),
    ['Release', 'Phase', 'Commit', ...(operator ? ['Action'] : [])]),
    countsTable('regions', 'Stores per region and state', 'Region', s.regions.map(r => ({ key: r.region, total: r.stores, states: r.states, extra: [] })), []),
    h('div', { class: 'grid' }, controls(s, reload), catchUp(s)),
  ];
}

/** A table of counts with a stacked bar per row: the numbers are the table, the bar is the glance. */
function countsTable(id, caption, what, rows, extraHeads) {
  const max = Math.max(1, ...rows.map(r => r.total));
  return h('section', { class: 'panel', 'aria-labelledby': `${id}-caption` },
    h('h2', { id: `${id}-caption` }, caption),
    h('div', { class: 'scroll' }, h('table', { id: `${id}-table` },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, what), extraHeads.map(x => h('th', { scope: 'col' }, x)),
        h('th', { scope: 'col', class: 'num' }, 'Stores'),
        STATES.map(st => h('th', { scope: 'col', class: 'num' }, st)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Chart')))),
      h('tbody', {}, rows.map(r => h('tr', { 'data-key': r.key },
        h('th', { scope: 'row' }, r.key), r.extra,
        h('td', { class: 'num', 'data-state': 'total' }, fmt(r.total)),
        STATES.map(st => h('td', { class: `num${r.states[st] ? '' : ' zero'}`, 'data-state': st }, fmt(r.states[st]))),
        h('td', {}, bar(r.states, r.total, max))))))),
    legend());
}

function bar(states, total, max) {
  const el = h('div', { class: 'bar', role: 'img', 'aria-label': STATES.filter(s => states[s]).map(s => `${states[s]} ${s}`).join(', ') || 'no stores' });
  // Widths are set through the CSSOM (the page's CSP allows no inline style attribute).
  el.style.width = `${Math.max(8, (100 * total) / max)}%`;
  for (const st of STATES) {
    if (!states[st]) continue;
    const seg = h('span', { class: `seg st-${st}`, title: `${st}: ${fmt(states[st])}` });
    seg.style.width = `${(100 * states[st]) / total}%`;
    el.append(seg);
  }
  return el;
}

const legend = () => h('ul', { class: 'legend', 'aria-label': 'Chart legend' },
  STATES.map(st => h('li', { class: `st-${st}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), st)));

function controls(s, reload) {
  const operator = act.isOperator();
  return h('section', { class: 'panel', 'aria-labelledby': 'controls-title', id: 'controls' },
    h('h2', { id: 'controls-title' }, 'Freeze and holds'),
    h('p', {}, s.freeze ? `Frozen since ${time(s.freeze.since)} by ${s.freeze.actor}: ${s.freeze.reason}` : 'Not frozen: rollouts may promote rings.'),
    operator ? h('div', { class: 'actions' }, s.freeze
      ? h('button', { type: 'button', id: 'unfreeze', onclick: () => act.unfreeze(reload) }, 'Unfreeze…')
      : h('button', { type: 'button', id: 'freeze', class: 'danger', onclick: () => act.freeze(reload) }, 'Freeze…')) : null,
    s.holds.length === 0 ? h('p', { class: 'muted' }, 'No release is on hold.')
      : h('table', { id: 'holds-table' },
        h('caption', {}, 'Releases on hold'),
        h('thead', {}, h('tr', {}, ['Release', 'Reason', 'By', 'Since'].map(x => h('th', { scope: 'col' }, x)), operator ? h('th', { scope: 'col' }, 'Action') : null)),
        h('tbody', {}, s.holds.map(hold => h('tr', {},
          h('td', {}, h('code', {}, hold.item)), h('td', {}, hold.reason), h('td', {}, hold.actor), h('td', {}, time(hold.since)),
          operator ? h('td', {}, h('button', { type: 'button', onclick: () => act.unhold(hold.item, reload) }, `Unhold ${hold.item}…`)) : null)))));
}

function catchUp(s) {
  const entries = Object.entries(s.awaitingCatchUp ?? {});
  return h('section', { class: 'panel', 'aria-labelledby': 'catchup-title' },
    h('h2', { id: 'catchup-title' }, 'Awaiting catch-up'),
    entries.length === 0 ? h('p', { class: 'muted' }, 'No store waits to catch up.')
      : h('ul', {}, entries.map(([cls, n]) => h('li', {}, `${fmt(n)} store(s): ${cls}`))));
}
