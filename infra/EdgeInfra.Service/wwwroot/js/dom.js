// Small DOM helpers: every text goes in as a text node (never as HTML), so nothing the API returns can inject markup.

/** Creates an element: h('td', { class: 'num', onclick: f, 'data-x': 1 }, 'text', child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const number = new Intl.NumberFormat('en');
export const fmt = n => number.format(n ?? 0);

/** An ISO time as the reader's local date and time, to the second. */
export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** How long ago, in words a person reads at a glance ("3 min ago"). */
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (s < 0) return 'just now';
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 172800) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** A .NET TimeSpan ("01:02:03.5", "1.02:03:04") as "1d 2h 3m 4s". */
export function span(text) {
  if (!text) return '';
  const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)/.exec(text);
  if (!m) return text;
  const [d, hh, mm, ss] = [m[1] ?? 0, m[2], m[3], m[4]].map(Number);
  return [d && `${d}d`, hh && `${hh}h`, mm && `${mm}m`, `${ss}s`].filter(Boolean).join(' ');
}

export const short = rev => (rev ? rev.slice(0, 8) : '—');

/** A release (app=version,…) one app a line. */
export const release = text => h('ul', { class: 'release' }, text.split(',').map(item => h('li', {}, h('code', {}, item))));

export const STATES = ['ready', 'applying', 'pending', 'offline', 'failed', 'drifted', 'not-selected'];

/** A store state as a badge (colour and word: the colour never carries the meaning alone). */
export const stateBadge = state => h('span', { class: `badge st-${state}` }, state);

/** Query-string parameters of a hash route (#/stores?ring=a&page=2). */
export function hashParams() {
  const q = location.hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : location.hash.slice(q + 1));
}

/** Rewrites the hash's query without a navigation (the view keeps its state; back/forward and a reload still work). */
export function replaceHashParams(route, params) {
  const q = new URLSearchParams([...params].filter(([, v]) => v !== '' && v !== null && v !== undefined)).toString();
  history.replaceState(null, '', `#/${route}${q ? `?${q}` : ''}`);
}
