// Operator actions: each asks for confirmation (and a reason where the audit log records one), calls the API, then
// shows the audit entry the action made. Only rendered for operator tokens; the API refuses viewers anyway.
import { api } from './api.js';
import { h, fill, time } from './dom.js';
import { session } from './session.js';

export const isOperator = () => session.me?.role === 'operator';

/**
 * Opens the confirmation dialog. spec: { title, body, confirm, reason: true when one is required, audit: action name,
 * run: reason => Promise, done: () => void (after the dialog closes, when the action ran) }.
 */
export function confirmAction(spec) {
  const dialog = document.getElementById('confirm');
  const reasonField = document.getElementById('confirm-reason-field');
  const reason = document.getElementById('confirm-reason');
  const error = document.getElementById('confirm-error');
  const result = document.getElementById('confirm-result');
  const ok = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  const form = document.getElementById('confirm-form');
  fill(document.getElementById('confirm-title'), spec.title);
  fill(document.getElementById('confirm-body'), spec.body ?? '');
  reasonField.hidden = !spec.reason;
  reason.value = '';
  reason.required = Boolean(spec.reason);
  fill(error);
  fill(result);
  ok.hidden = false;
  ok.disabled = false;
  fill(ok, spec.confirm ?? 'Confirm');
  fill(cancel, 'Cancel');
  let ran = false;

  const close = () => dialog.close();
  // Cancel, Close and Escape all end here ('close' fires after dialog.close() returns).
  const closed = () => {
    form.removeEventListener('submit', submit);
    cancel.removeEventListener('click', close);
    dialog.removeEventListener('close', closed);
    if (ran) spec.done?.();
  };
  async function submit(event) {
    event.preventDefault();
    if (ran) { close(); return; }
    if (spec.reason && !reason.value.trim()) {
      fill(error, 'Say why: the reason is recorded in the audit log.');
      reason.focus();
      return;
    }
    ok.disabled = true;
    fill(error);
    try {
      const answer = await spec.run(reason.value.trim());
      ran = true;
      const entry = spec.audit ? (await api(`audit?action=${encodeURIComponent(spec.audit)}&limit=1`)).entries[0] : null;
      fill(result, spec.describe ? h('p', {}, spec.describe(answer)) : null,
        entry ? auditEntry(entry) : h('p', {}, 'Done.'));
      ok.hidden = true;
      fill(cancel, 'Close');
      cancel.focus();
    } catch (e) {
      fill(error, e.message);
      ok.disabled = false;
    }
  }
  form.addEventListener('submit', submit);
  cancel.addEventListener('click', close);
  dialog.addEventListener('close', closed);
  dialog.showModal();
  (spec.reason ? reason : ok).focus();
}

/** One audit entry as the dialog shows it after an action. */
function auditEntry(e) {
  const r = e.record;
  return h('div', { class: 'entry', 'data-testid': 'audit-entry-made' },
    h('strong', {}, `Audit entry #${e.seq}: ${r.action}`),
    h('div', {}, `${time(r.time)} by ${r.actor}${r.ring ? ` · ring ${r.ring}` : ''}${r.release ? ` · ${r.release}` : ''}`),
    r.reason ? h('div', {}, `Reason: ${r.reason}`) : null,
    h('div', { class: 'muted mono' }, `hash ${e.hash.slice(0, 16)}…`));
}

export const freeze = done => confirmAction({
  title: 'Freeze the stack?', confirm: 'Freeze', reason: true, audit: 'freeze', done,
  body: 'No ring is promoted while the stack is frozen; a rollout in progress holds. Rollbacks still run.',
  run: reason => api('freeze', { method: 'PUT', body: { reason } }),
});

export const unfreeze = done => confirmAction({
  title: 'Lift the freeze?', confirm: 'Unfreeze', audit: 'unfreeze', done,
  body: 'Rollouts may promote rings again.',
  run: () => api('freeze', { method: 'DELETE' }),
});

export const rollback = (ring, done) => confirmAction({
  title: `Roll back ring ${ring}?`, confirm: 'Roll back', reason: true, audit: 'rollback', done,
  body: `Re-applies ring ${ring}'s last-known-good version at once and holds the release it replaces.`,
  run: reason => api('rollbacks', { method: 'POST', body: { ring, reason } }),
  describe: rings => rings.map(r => r.error ? `${r.ring}: failed: ${r.error}`
    : r.toVersion ? `${r.ring}: back to v${r.toVersion} (${r.toRelease ?? '—'})` : `${r.ring}: no earlier version to return to`).join('; '),
});

export const unhold = (release, done) => confirmAction({
  title: `Release the hold on ${release}?`, confirm: 'Unhold', audit: 'unhold', done,
  body: 'Rollouts may apply this release again.',
  run: () => api(`holds/${encodeURIComponent(release)}`, { method: 'DELETE' }),
});

export const approveCatchUp = (store, done) => confirmAction({
  title: `Approve catch-up for ${store}?`, confirm: 'Approve', audit: 'catch-up-approve', done,
  body: 'The store receives its ring\'s change on the next catch-up pass (one runs now).',
  run: () => api('catch-up/approvals', { method: 'POST', body: { stores: [store] } }),
  describe: a => `approved ${a.approved.join(', ') || 'none'}; released ${a.released.length}, caught up ${a.caughtUp.length}, ${a.remaining} still waiting`,
});
