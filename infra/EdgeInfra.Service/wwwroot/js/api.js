// The service's JSON API, called with the bearer token the user signed in with. The token lives in this tab's
// sessionStorage only: it is never put in a URL, and the SSE stream is read with fetch() so it can carry the header.

const KEY = 'edgeinfra.token';
const BASE = '/api/v1/';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: value => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An API answer other than 2xx, with the problem details the service sent. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let unauthorized = () => {};
/** What to do when the service no longer accepts the token (show the sign-in form). */
export function onUnauthorized(handler) { unauthorized = handler; }

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const t = token.get();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

/** Calls the API; answers the parsed JSON body (null when empty). */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const response = await fetch(BASE + path, {
    method,
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (response.status === 401) unauthorized();
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/**
 * Downloads an API answer as a file (the compliance report): fetched with the token in its header, handed to the
 * browser as a blob, since a link cannot carry the header and the token never goes in a URL.
 */
export async function download(path, filename, { signal } = {}) {
  const response = await fetch(BASE + path, { headers: headers({ Accept: '*/*' }), signal, cache: 'no-store', credentials: 'omit' });
  if (response.status === 401) unauthorized();
  if (!response.ok) {
    const text = await response.text();
    let problem = null;
    try { problem = JSON.parse(text); } catch { problem = { detail: text }; }
    throw new ApiError(response.status, problem);
  }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How many times in a row a stream that was followed may answer 404 or 5xx before the page gives up on it. */
const REFUSALS = 12;

/**
 * Follows a server-sent-event stream with fetch (EventSource cannot send the Authorization header). Calls onEvent with
 * { id, event, data } for each event; reconnects with Last-Event-ID after a dropped connection (a network failure, a
 * restarted service), waiting longer after each failed attempt (0.5 s doubling to 5 s), and ends when the stream ends
 * after an 'end' event, when the signal aborts, or on an HTTP error (thrown as ApiError). onConnection, when given, is
 * called with 'live' on each connection and 'reconnecting' when one is lost.
 */
export async function follow(path, onEvent, signal, onConnection = () => {}) {
  let lastId = null;
  let ended = false;
  let connected = false;
  let refusals = 0;
  for (let attempt = 0; !ended && !signal.aborted; attempt++) {
    try {
      const response = await fetch(BASE + path, {
        headers: headers({ Accept: 'text/event-stream', ...(lastId ? { 'Last-Event-ID': lastId } : {}) }),
        signal,
        cache: 'no-store',
        credentials: 'omit',
      });
      if (response.status === 401) unauthorized();
      if (!response.ok) {
        let problem = null;
        try { problem = await response.json(); } catch { /* not JSON */ }
        // A restarting service may answer before it resumed the rollout (404) or while it stops (5xx): a stream that
        // was followed is retried a while; a first answer, or any other refusal, is final.
        const transient = connected && (response.status === 404 || response.status >= 500) && ++refusals <= REFUSALS;
        if (!transient) throw new ApiError(response.status, problem);
      } else {
        connected = true;
        refusals = 0;
        attempt = 0;
        onConnection('live');
        ended = await read(response, e => {
          if (e.id) lastId = e.id;
          onEvent(e);
        });
      }
    } catch (e) {
      if (signal.aborted || e instanceof ApiError) throw e;
    }
    if (!ended && !signal.aborted) {
      onConnection('reconnecting');
      await new Promise(r => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }
}

/** Reads one connection's events until it closes; answers whether an 'end' event came. */
async function read(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let ended = false;
  let buffer = '';
  let event = { data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return ended;
    buffer += value;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '') {
        if (event.data.length > 0) {
          const e = { id: event.id, event: event.event ?? 'message', data: JSON.parse(event.data.join('\n')) };
          if (e.event === 'end') ended = true;
          onEvent(e);
        }
        event = { data: [] };
        continue;
      }
      const colon = line.indexOf(':');
      if (colon === 0) continue; // a comment
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') event.data.push(text);
      else if (field === 'event') event.event = text;
      else if (field === 'id') event.id = text;
    }
  }
}
