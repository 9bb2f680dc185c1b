// The dashboard shell: sign-in, the hash router (#/overview, #/rollouts/ID, #/stores/ID …) and the navigation.
import { api, token, onUnauthorized, ApiError } from './api.js';
import { h, fill } from './dom.js';
import { session } from './session.js';
import { overview } from './views/overview.js';
import { rollouts } from './views/rollouts.js';
import { stores } from './views/stores.js';
import { store } from './views/store.js';
import { audit } from './views/audit.js';

const main = document.getElementById('main');
const views = { overview, rollouts, stores, audit };
let cleanup = null;
let generation = 0;

function route() {
  const path = location.hash.startsWith('#/') ? location.hash.slice(2).split('?')[0] : 'overview';
  const [name, ...rest] = path.split('/').map(decodeURIComponent);
  if (name === 'stores' && rest.length > 0) return { view: 'stores', render: (main, signal) => store(main, rest.join('/'), signal) };
  if (name === 'rollouts') return { view: 'rollouts', render: (main, signal) => rollouts(main, rest[0], signal) };
  const view = views[name] ? name : 'overview';
  return { view, render: views[view] };
}

async function render() {
  if (!session.me) return;
  cleanup?.();
  cleanup = null;
  const mine = ++generation;
  const { view, render: draw } = route();
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const controller = new AbortController();
  cleanup = () => controller.abort();
  try {
    await draw(main, controller.signal);
    if (mine === generation) main.querySelector('h1')?.focus({ preventScroll: true });
  } catch (e) {
    if (controller.signal.aborted) return;
    fill(main, h('h1', { tabindex: -1 }, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, e.message));
  }
}

function showSignIn(message) {
  session.me = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  cleanup?.();
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const error = h('p', { class: 'error', role: 'alert', id: 'signin-error' }, message ?? '');
  const form = h('form', { onsubmit: async event => {
    event.preventDefault();
    token.set(input.value.trim());
    await start('That token was not accepted.');
  } },
  h('div', { class: 'field' }, h('label', { for: 'token' }, 'Service token'), input),
  error,
  h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  fill(main, h('section', { class: 'signin panel', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title', tabindex: -1 }, 'Sign in to the fleet dashboard'),
    h('p', { class: 'muted' }, 'Paste a service token (edgeinfra config set … service.tokens.NAME). It is kept in this tab only, until you sign out or close it.'),
    form));
  input.focus();
}

async function start(rejected) {
  try {
    session.me = await api('me');
  } catch (e) {
    token.clear();
    showSignIn(e instanceof ApiError && e.status === 401 ? rejected : e.message);
    return;
  }
  document.body.dataset.role = session.me.role;
  fill(document.getElementById('who-name'), `${session.me.name} · ${session.me.role}`);
  document.getElementById('nav').hidden = false;
  document.getElementById('who').hidden = false;
  if (!location.hash.startsWith('#/')) history.replaceState(null, '', '#/overview');
  await render();
}

onUnauthorized(() => {
  if (!session.me) return;
  token.clear();
  showSignIn('The service no longer accepts the token: sign in again.');
});
document.getElementById('sign-out').addEventListener('click', () => {
  token.clear();
  showSignIn('Signed out.');
});
// The skip link moves the focus without touching the hash, which names the view.
document.querySelector('.skip').addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', render);
// With no token the service may still accept the caller (loopback, no tokens configured): try once.
start(token.get() ? 'The saved token is no longer accepted.' : undefined);
