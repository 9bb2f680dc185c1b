// The stores table: filtered, sorted and paged by the service (GET /stores), so 10,000 stores cost one page each.
import { api } from '../api.js';
import { h, fill, fmt, ago, time, short, stateBadge, STATES, hashParams, replaceHashParams } from '../dom.js';
import { session } from '../session.js';

const PAGE_SIZE = 50;
const COLUMNS = [
  { key: 'id', label: 'Store', sort: 'id' },
  { key: 'ring', label: 'Ring', sort: 'ring' },
  { key: 'region', label: 'Region', sort: 'region' },
  { key: 'state', label: 'State', sort: 'state' },
  { key: 'lastSeen', label: 'Last seen', sort: 'lastSeen' },
  { key: 'appliedRevision', label: 'Applied' },
  { key: 'attemptedRevision', label: 'Attempted' },
];

export async function stores(main, signal) {
  const p = hashParams();
  const query = {
    ring: p.get('ring') ?? '', state: p.get('state') ?? '', selector: p.get('selector') ?? '', q: p.get('q') ?? '',
    sort: p.get('sort') ?? 'id', desc: p.get('desc') === 'true', page: Math.max(1, Number(p.get('page')) || 1),
  };
  session.status ??= await api('status', { signal });
  const rings = session.status.rings.map(r => r.ring);

  const ring = select('f-ring', 'Ring', ['', ...rings], query.ring, 'any ring');
  const state = select('f-state', 'State', ['', ...STATES], query.state, 'any state');
  const selector = input('f-selector', 'Labels (selector)', query.selector, 'region=eu-west,tier!=flagship');
  const search = input('f-q', 'Store id contains', query.q, 'e.g. 0042');
  const summary = h('p', { id: 'stores-summary', 'aria-live': 'polite', class: 'muted' });
  const error = h('p', { class: 'error', role: 'alert' });
  const table = h('table', { id: 'stores-table', 'aria-describedby': 'stores-summary' });
  const prev = h('button', { type: 'button', id: 'prev-page' }, '← Previous');
  const next = h('button', { type: 'button', id: 'next-page' }, 'Next →');
  const position = h('span', { id: 'page-position' });

  fill(main,
    h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, 'Stores')),
    h('section', { class: 'panel' },
      h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter stores', onsubmit: e => { e.preventDefault(); reload(true); } },
        ring.field, state.field, selector.field, search.field, h('button', { type: 'submit' }, 'Apply')),
      error, summary, h('div', { class: 'scroll' }, table),
      h('nav', { class: 'pager', 'aria-label': 'Pages' }, prev, position, next)));

  let inFlight = null;
  async function reload(resetPage) {
    if (resetPage) query.page = 1;
    Object.assign(query, { ring: ring.el.value, state: state.el.value, selector: selector.el.value.trim(), q: search.el.value.trim() });
    replaceHashParams('stores', Object.entries({ ...query, desc: query.desc ? 'true' : '', page: query.page > 1 ? query.page : '' }));
    inFlight?.abort();
    inFlight = new AbortController();
    signal.addEventListener('abort', () => inFlight.abort());
    const params = new URLSearchParams({ sort: query.sort, desc: String(query.desc), page: String(query.page), pageSize: String(PAGE_SIZE) });
    for (const k of ['ring', 'state', 'selector', 'q']) if (query[k]) params.set(k, query[k]);
    let page;
    try {
      page = await api(`stores?${params}`, { signal: inFlight.signal });
    } catch (e) {
      if (e.name === 'AbortError') return;
      fill(error, e.message);
      return;
    }
    fill(error);
    const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
    fill(summary, `${fmt(page.total)} stores match · read ${time(page.asOf)}`);
    fill(position, `Page ${fmt(page.page)} of ${fmt(pages)}`);
    prev.disabled = page.page <= 1;
    next.disabled = page.page >= pages;
    drawTable(table, page.items, query, column => {
      query.desc = query.sort === column ? !query.desc : false;
      query.sort = column;
      reload(true);
    });
    table.dataset.page = String(page.page);
  }
  prev.addEventListener('click', () => { query.page--; reload(false); });
  next.addEventListener('click', () => { query.page++; reload(false); });
  ring.el.addEventListener('change', () => reload(true));
  state.el.addEventListener('change', () => reload(true));
  let typing;
  for (const box of [selector.el, search.el]) box.addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => reload(true), 300); });
  signal.addEventListener('abort', () => clearTimeout(typing));
  await reload(false);
}

function select(id, label, values, current, empty) {
  const el = h('select', { id, name: id }, values.map(v => h('option', { value: v, selected: v === current }, v || empty)));
  return { el, field: h('div', { class: 'field' }, h('label', { for: id }, label), el) };
}

function input(id, label, value, placeholder) {
  const el = h('input', { id, name: id, type: 'search', value, placeholder, autocomplete: 'off', spellcheck: 'false' });
  return { el, field: h('div', { class: 'field' }, h('label', { for: id }, label), el) };
}

function drawTable(table, items, query, sortBy) {
  // In the lab, "now" is the simulator's virtual time, which the status carries.
  const now = Date.parse(session.status?.now) || Date.now();
  fill(table,
    h('thead', {}, h('tr', {}, COLUMNS.map(c => {
      const sorted = query.sort === c.sort;
      return h('th', { scope: 'col', 'aria-sort': sorted ? (query.desc ? 'descending' : 'ascending') : null },
        c.sort ? h('button', { type: 'button', class: 'sort', onclick: () => sortBy(c.sort) }, c.label) : c.label);
    }))),
    h('tbody', {}, items.length === 0
      ? h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'muted' }, 'No store matches.'))
      : items.map(s => h('tr', { 'data-store': s.id },
        h('td', {}, h('a', { href: `#/stores/${encodeURIComponent(s.id)}` }, s.id)),
        h('td', {}, s.ring ?? '—'),
        h('td', {}, s.region ?? '—'),
        h('td', {}, stateBadge(s.state)),
        h('td', { title: time(s.lastSeen) }, ago(s.lastSeen, now)),
        h('td', { class: 'mono' }, short(s.appliedRevision)),
        h('td', { class: 'mono' }, short(s.attemptedRevision))))));
}
