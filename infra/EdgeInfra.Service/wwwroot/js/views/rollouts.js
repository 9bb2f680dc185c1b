// The rollout view: the rings in order with their phase and each gate's last verdict, a timeline of the walker's
// decisions, all live from the rollout's event stream. Without an id it shows the latest rollout and switches to a
// newer one as soon as it starts.
import { api, follow, ApiError } from '../api.js';
import { h, fill, time, span } from '../dom.js';
import * as act from '../actions.js';

const POLL_MS = 2000;
const TIMELINE_MAX = 500;

export async function rollouts(main, id, signal) {
  const list = await api('rollouts', { signal });
  const head = h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, id ? `Rollout ${id}` : 'Latest rollout'));
  const detail = h('div', { id: 'rollout' });
  const others = h('section', { class: 'panel', 'aria-labelledby': 'rollouts-title' });
  fill(main, head, detail, others);
  drawList(others, list);

  let shown = id ?? list[0]?.id;
  let following = null;
  signal.addEventListener('abort', () => following?.abort());
  const show = rolloutId => {
    following?.abort();
    following = new AbortController();
    return showRollout(detail, rolloutId, following.signal);
  };
  if (shown) await show(shown);
  else fill(detail, h('p', { class: 'panel', id: 'no-rollout' }, 'No rollout has been started through the service yet. This page follows the next one as it starts.'));

  if (id) return;
  // Following "the latest": a rollout started later (by anyone) replaces the one shown, without a reload.
  const timer = setInterval(async () => {
    try {
      const now = await api('rollouts', { signal });
      drawList(others, now);
      if (now[0] && now[0].id !== shown) {
        shown = now[0].id;
        await show(shown);
      }
    } catch { /* the next poll tries again */ }
  }, POLL_MS);
  signal.addEventListener('abort', () => clearInterval(timer));
}

function drawList(panel, list) {
  fill(panel, h('h2', { id: 'rollouts-title' }, 'Rollouts started through the service'),
    list.length === 0 ? h('p', { class: 'muted' }, 'None yet.') : h('table', {},
      h('thead', {}, h('tr', {}, ['Rollout', 'Status', 'Release', 'Started by', 'Started', 'Ended'].map(x => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, list.slice(0, 20).map(r => h('tr', {},
        h('td', {}, h('a', { href: `#/rollouts/${encodeURIComponent(r.id)}`, class: 'mono' }, r.id)),
        h('td', {}, statusBadge(r.status)), h('td', {}, r.release ? h('code', {}, r.release) : '—'),
        h('td', {}, r.actor), h('td', {}, time(r.started)), h('td', {}, time(r.ended)))))));
}

const statusBadge = status => h('span', { class: `badge phase phase-${{ running: 'applying', completed: 'promoted', 'rolled-back': 'rolled-back', failed: 'rolled-back' }[status] ?? 'pending'}`, 'data-status': status }, status);

/** One rollout: its record, then its events (replayed from the start, then live) folded into ring phases. */
async function showRollout(detail, id, signal) {
  const doc = await api(`rollouts/${encodeURIComponent(id)}`, { signal });
  const model = { record: doc.rollout, rings: new Map(), breach: null };
  for (const r of doc.walk?.rings ?? []) model.rings.set(r.ring, fromWalk(r));
  if (doc.walk?.breach) model.breach = doc.walk.breach;

  const header = h('section', { class: 'panel', 'aria-labelledby': 'rollout-title' });
  const rings = h('ol', { class: 'rings', id: 'rings', 'aria-label': 'Rings in rollout order' });
  // Focusable, so keyboard users can scroll it.
  const timeline = h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Decisions, newest first', tabindex: 0 });
  const live = h('p', { class: 'muted', id: 'live', 'aria-live': 'polite' });
  fill(detail, header,
    h('section', { class: 'panel', 'aria-labelledby': 'rings-title' }, h('h2', { id: 'rings-title' }, 'Rings'), rings),
    h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Decisions'), live, timeline));
  const redraw = () => { drawHeader(header, model); drawRings(rings, model); };
  redraw();

  fill(live, model.record.status === 'running' ? 'Following live…' : 'Replaying the decisions this service kept…');
  follow(`rollouts/${encodeURIComponent(id)}/events`, e => {
    apply(model, e.data);
    addToTimeline(timeline, e.data, e.id);
    redraw();
    if (e.event === 'end') {
      fill(live, `Ended: ${e.data.text}`);
      api(`rollouts/${encodeURIComponent(id)}`, { signal }).then(done => {
        model.record = done.rollout;
        for (const r of done.walk?.rings ?? []) {
          const { phase, hold } = fromWalk(r);
          Object.assign(ring(model, r.ring), { phase, hold });
        }
        redraw();
      }).catch(() => {});
    }
  }, signal, state => {
    live.dataset.connection = state;
    if (state === 'reconnecting') fill(live, 'The event stream was lost: reconnecting…');
    else if (model.record.status === 'running') fill(live, 'Following live…');
  }).catch(e => {
    if (signal.aborted) return;
    fill(live, e instanceof ApiError && e.status === 404
      ? 'This service process keeps no decisions of this rollout (it ran before the service started); its record is shown above.'
      : `The event stream failed: ${e.message}`);
  });
}

function fromWalk(r) {
  return { ring: r.ring, phase: r.holdReason && r.phase === 'baking' ? 'holding' : r.phase, hold: r.holdReason, gates: [], note: null };
}

function ring(model, name) {
  if (!model.rings.has(name)) model.rings.set(name, { ring: name, phase: 'pending', hold: null, gates: [], note: null });
  return model.rings.get(name);
}

/** Folds one walker decision into the model. */
function apply(model, e) {
  if (e.kind === 'start') {
    // "rollout ID of RELEASE through a → b → c": the rings in order, before any is opened.
    const started = /of (\S+) through (.+)$/.exec(e.text);
    if (started) {
      model.record = { ...model.record, release: model.record.release ?? started[1] };
      for (const name of started[2].split(' → ')) ring(model, name.trim());
    }
    return;
  }
  if (e.kind === 'breach') model.breach = e.text;
  if (e.kind === 'end') { model.record = { ...model.record, status: e.text.split(':')[0] }; return; }
  if (!e.ring) return;
  const r = ring(model, e.ring);
  switch (e.kind) {
    case 'apply': r.phase = 'applying'; r.note = e.text; break;
    case 'progress': r.note = e.text; break;
    case 'gates': {
      r.gates = e.gates ?? [];
      // Every gate passed or only waiting (a bake, a window): baking, whatever held it before.
      const clear = r.gates.every(g => g.verdict === 'successful' || g.verdict === 'waiting');
      if (r.phase === 'applying' || r.phase === 'pending' || (clear && r.phase === 'holding')) {
        r.phase = 'baking';
        r.hold = null;
      }
      break;
    }
    case 'hold': case 'timeout': r.phase = 'holding'; r.hold = e.text; break;
    case 'promote': r.phase = 'promoted'; r.hold = null; r.note = e.text; break;
    case 'breach': r.phase = 'rolling-back'; r.note = e.text; break;
    case 'rollback': r.phase = 'rolled-back'; r.note = e.text; break;
    default: r.note = e.text;
  }
}

function drawHeader(panel, model) {
  const r = model.record;
  fill(panel, h('h2', { id: 'rollout-title' }, h('span', { class: 'mono' }, r.id), ' ', statusBadge(r.status)),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Release'), h('dd', {}, r.release ? h('code', {}, r.release) : '—'),
      h('dt', {}, 'Started by'), h('dd', {}, `${r.actor}, ${time(r.started)}`),
      h('dt', {}, 'Ended'), h('dd', {}, r.ended ? `${time(r.ended)}${r.reason ? `: ${r.reason}` : ''}` : 'running')),
    model.breach ? h('div', { class: 'banner bad', id: 'breach', role: 'alert' }, h('strong', {}, 'Breach: '), model.breach) : null);
}

function drawRings(list, model) {
  const rings = [...model.rings.values()];
  const operator = act.isOperator();
  // Redrawn on every decision: keep the keyboard focus on the ring's button it was on.
  const focused = list.contains(document.activeElement) ? document.activeElement.closest('li.ring')?.dataset.ring : null;
  fill(list, rings.map((r, i) => h('li', { class: 'ring', 'data-ring': r.ring, 'data-phase': r.phase },
    h('div', { class: 'ring-head' },
      h('span', { class: 'order' }, `${i + 1}/${rings.length}`),
      h('h3', {}, r.ring),
      h('span', { class: `badge phase phase-${r.phase}`, 'data-testid': 'phase' }, phaseText(r)),
      h('span', { class: 'spacer' }),
      operator && r.phase !== 'pending' ? h('button', { type: 'button', class: 'danger', onclick: () => act.rollback(r.ring) }, `Roll back ${r.ring}…`) : null),
    r.hold && r.phase === 'holding' ? h('p', { class: 'muted' }, r.hold) : null,
    r.note && r.phase !== 'holding' ? h('p', { class: 'muted' }, r.note) : null,
    r.gates.length > 0 ? gatesTable(r) : null)));
  if (focused) list.querySelector(`li.ring[data-ring="${CSS.escape(focused)}"] button`)?.focus();
}

function phaseText(r) {
  if (r.phase === 'baking') {
    const wait = r.gates.find(g => g.verdict === 'waiting');
    return wait ? `baking: ${wait.reason}` : 'baking';
  }
  return r.phase.replace('-', ' ');
}

const gatesTable = r => h('table', { class: 'gates', 'data-ring': r.ring },
  h('caption', { class: 'visually-hidden' }, `Last gate verdicts of ${r.ring}`),
  h('thead', {}, h('tr', {}, ['Gate', 'Verdict', 'Reason and numbers', 'Stores behind it'].map(x => h('th', { scope: 'col', class: x === 'Stores behind it' ? 'num' : '' }, x)))),
  h('tbody', {}, r.gates.map(g => h('tr', { 'data-gate': g.gate, 'data-verdict': g.verdict },
    h('td', {}, g.gate), h('td', { class: `verdict-${g.verdict}` }, g.verdict), h('td', {}, g.reason),
    h('td', { class: 'num', title: g.stores.join(', ') || null }, g.storeCount > 0 ? String(g.storeCount) : '—')))));

function addToTimeline(list, e, id) {
  list.prepend(h('li', { 'data-kind': e.kind, 'data-emitted': e.emitted, 'data-event-id': id },
    h('span', { class: 'mono muted' }, span(e.elapsed) || '0s'),
    h('span', { class: `kind-${e.kind}` }, e.kind),
    h('span', {}, e.ring ?? ''),
    h('span', {}, e.text)));
  while (list.childElementCount > TIMELINE_MAX) list.lastElementChild.remove();
}
