// Sallyport portal: fills the server-rendered page shell from the JSON API. DOM calls only (no innerHTML
// with data), so nothing a vendor types into a reason or ticket can become markup.
import { Terminal } from '@xterm/xterm';

// xterm.js creates <style> elements for colours and cell sizes; the page's CSP admits them only with the
// per-response nonce, which the server put on this script tag.
const NONCE = document.currentScript && document.currentScript.nonce;
if (NONCE) {
  const create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, options) {
    const el = create.call(this, name, options);
    if (String(name).toLowerCase() === 'style') el.nonce = NONCE;
    return el;
  };
}

const body = document.body;
const ME = { user: body.dataset.user, roles: (body.dataset.roles || '').split(' '), csrf: body.dataset.csrf };
const has = (role) => ME.roles.includes(role);
const root = () => document.getElementById('page');

// ---------------------------------------------------------------- helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function api(method, path, json) {
  const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (method !== 'GET') init.headers['X-CSRF-Token'] = ME.csrf;
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (res.status === 401) { location.assign('/portal/login'); throw new ApiError(401, 'signed out'); }
  if (!res.ok) throw new ApiError(res.status, (data && data.detail) || res.statusText);
  return data;
}

function alertBox(kind, text, id) {
  return h('div', { class: `usa-alert usa-alert--${kind} usa-alert--slim`, role: kind === 'error' ? 'alert' : 'status', id },
    h('div', { class: 'usa-alert__body' }, h('p', { class: 'usa-alert__text' }, text)));
}

function announce(text) {
  const s = document.getElementById('status');
  if (s) s.textContent = text;
}

function replace(...nodes) {
  root().replaceChildren(...nodes);
}

// Re-rendering a live list must not throw a keyboard user's focus away: links carry data-focus-key.
function keepFocus(container, render) {
  const key = document.activeElement && container.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  render();
  if (key) {
    const again = container.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

function fail(e) {
  replace(alertBox('error', e.message || String(e), 'page-error'));
}

function since(iso, now = Date.now()) {
  return duration(Math.max(0, now - Date.parse(iso)) / 1000);
}

function duration(sec) {
  sec = Math.floor(sec);
  if (sec < 60) return `${sec} s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m} min ${sec % 60} s`;
  const hrs = Math.floor(m / 60);
  if (hrs < 48) return `${hrs} h ${m % 60} min`;
  return `${Math.floor(hrs / 24)} d ${hrs % 24} h`;
}

function isoDuration(d) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(d || '');
  if (!m) return d;
  return [m[1] && `${m[1]} h`, m[2] && `${m[2]} min`, m[3] && `${m[3]} s`].filter(Boolean).join(' ') || '0 s';
}

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return h('time', { datetime: iso }, d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace('Z', ' UTC'));
}

function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function table(caption, headers, rows, empty) {
  if (!rows.length) return h('p', { class: 'portal-empty' }, empty);
  return h('table', { class: 'usa-table usa-table--borderless usa-table--stacked' },
    h('caption', { class: 'usa-sr-only' }, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows));
}

function td(label, ...content) {
  return h('td', { 'data-label': label }, ...content);
}

function events(path, name, onData) {
  const es = new EventSource(path, { withCredentials: true });
  es.addEventListener(name, (e) => onData(JSON.parse(e.data)));
  es.addEventListener('signed-out', () => { es.close(); location.assign('/portal/login'); });
  es.addEventListener('failed', (e) => announce(JSON.parse(e.data).detail));
  es.addEventListener('error', () => {
    // The browser retries on its own; a stream it gave up on (signed out, broker gone) needs a reload.
    if (es.readyState === EventSource.CLOSED) {
      root().prepend(alertBox('warning', 'Live updates stopped. Reload the page to resume.', 'stream-stopped'));
    }
  });
  return es;
}

function b64bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function terminal(cols, rows) {
  return new Terminal({ cols: cols || 80, rows: rows || 24, disableStdin: true, convertEol: true, cursorBlink: false,
    screenReaderMode: true, fontSize: 14, theme: { background: '#1b1b1b' } });
}

// ---------------------------------------------------------------- pages

const pages = {};

pages.queue = () => {
  const intro = h('p', {}, has('vendor-technician')
    ? 'Your requests waiting for a decision. This list updates by itself.'
    : has('supervisor')
      ? 'Requests waiting for a decision at your sites. This list updates by itself; the age counts up live.'
      : 'Requests waiting for a decision (read only). This list updates by itself; the age counts up live.');
  const holder = h('div', { id: 'queue' }, h('p', {}, 'Connecting…'));
  replace(intro, holder);
  let latest = [];
  let seen = null;
  let skew = 0; // server clock minus this browser's, so ages are right on a machine whose clock is off
  const render = () => {
    const now = Date.now() + skew;
    const rows = latest.map((r) => h('tr', { 'data-request-id': r.id },
      td('Age', h('span', { class: 'portal-age' }, since(r.createdAt, now))),
      td('Vendor', r.requester, h('br'), h('span', { class: 'text-base' }, r.requesterOrg)),
      td('Target', r.targets.join(', '), h('br'), h('span', { class: 'text-base' }, r.sites.join(', '))),
      td('Window', when(r.start), ` for ${isoDuration(r.duration)}`),
      td('Reason', r.reason),
      td('Ticket', r.ticket || '—'),
      td('Approvals', `${r.approvals.filter((a) => a.verdict === 'APPROVE').length} of ${r.approvalsRequired}`),
      td('Action', h('a', { class: 'usa-button usa-button--outline', href: `/portal/requests/${r.id}`, 'data-focus-key': `review-${r.id}`, 'aria-label': `Review request from ${r.requester} for ${r.targets.join(', ')}` }, 'Review'))));
    keepFocus(holder, () => holder.replaceChildren(table('Pending requests', ['Age', 'Vendor', 'Target and site', 'Window', 'Reason', 'Ticket', 'Approvals', 'Action'],
      rows, 'No pending requests.')));
  };
  events('/api/events/requests', 'requests', (d) => {
    const ids = new Set(d.requests.map((r) => r.id));
    if (seen) {
      const fresh = d.requests.filter((r) => !seen.has(r.id));
      if (fresh.length) announce(`${fresh.length} new request${fresh.length > 1 ? 's' : ''}: ${fresh.map((r) => `${r.requester} for ${r.targets.join(', ')}`).join('; ')}`);
    }
    seen = ids;
    skew = Date.parse(d.now) - Date.now();
    latest = d.requests;
    render();
  });
  setInterval(() => { if (latest.length) for (const [i, el] of [...holder.querySelectorAll('.portal-age')].entries()) el.textContent = since(latest[i].createdAt, Date.now() + skew); }, 1000);
};

pages.request = async () => {
  const id = body.dataset.id;
  const draw = async (notice) => {
    let r;
    try { r = await api('GET', `/api/requests/${encodeURIComponent(id)}`); } catch (e) { fail(e); return; }
    const approvals = r.approvals.length
      ? h('ul', { class: 'usa-list', id: 'approvals' }, r.approvals.map((a) => h('li', {}, `${a.verdict === 'APPROVE' ? 'Approved' : 'Denied'} by ${a.approver} at `, when(a.at), `: “${a.comment}”`)))
      : h('p', { id: 'approvals' }, 'None yet.');
    const dl = h('dl', { class: 'portal-dl', id: 'request-facts' },
      h('dt', {}, 'State'), h('dd', { id: 'request-state' }, r.state),
      h('dt', {}, 'Vendor'), h('dd', {}, r.requester),
      h('dt', {}, 'Organisation'), h('dd', {}, r.requesterOrg),
      h('dt', {}, 'Target'), h('dd', {}, r.targets.join(', ')),
      h('dt', {}, 'Site'), h('dd', {}, r.sites.join(', ')),
      h('dt', {}, 'Window'), h('dd', {}, when(r.start), ' to ', when(r.end), ` (${isoDuration(r.duration)})`),
      h('dt', {}, 'Reason'), h('dd', {}, r.reason),
      h('dt', {}, 'Ticket'), h('dd', {}, r.ticket || '—'),
      h('dt', {}, 'Policy decision'), h('dd', {}, `admitted by rule ${r.decisionRule || 'unknown'}; ${r.approvalsRequired} approval(s) required`),
      h('dt', {}, 'Requested'), h('dd', {}, when(r.createdAt), ` (${since(r.createdAt)} ago)`),
      h('dt', {}, 'Grants'), h('dd', {}, r.grants.length ? r.grants.map((g) => `${g.targetId}: ${g.status} until ${g.notAfter}`).join('; ') : 'none'));
    const parts = [];
    if (notice) parts.push(notice);
    parts.push(dl, h('h2', {}, 'Approvals so far'), approvals);
    const canDecide = r.state === 'PENDING' && (has('supervisor') || has('admin')) && r.requester !== ME.user;
    if (canDecide) {
      const err = h('div', { id: 'decision-error' });
      const comment = h('textarea', { class: 'usa-textarea', id: 'comment', name: 'comment', 'aria-required': 'true', maxlength: 1000, 'aria-describedby': 'comment-hint' });
      const decide = async (verb) => {
        err.replaceChildren();
        if (!comment.value.trim()) {
          err.replaceChildren(alertBox('error', 'A comment is required: say what you checked.'));
          comment.focus();
          return;
        }
        try {
          await api('POST', `/api/requests/${encodeURIComponent(id)}/${verb}`, { comment: comment.value.trim() });
          announce(verb === 'approve' ? 'Request approved' : 'Request denied');
          await draw(alertBox('success', verb === 'approve' ? 'You approved this request.' : 'You denied this request.', 'decision-result'));
        } catch (e) {
          err.replaceChildren(alertBox('error', e.message));
        }
      };
      parts.push(h('h2', {}, 'Decide'), h('form', { class: 'usa-form usa-form--large', id: 'decision-form', onsubmit: (e) => { e.preventDefault(); decide('approve'); } },
        h('label', { class: 'usa-label', for: 'comment' }, 'Comment (required)'),
        h('span', { class: 'usa-hint', id: 'comment-hint' }, 'Recorded in the audit trail with your decision.'),
        comment, err,
        h('div', { class: 'margin-top-2' },
          h('button', { class: 'usa-button', type: 'submit', id: 'approve' }, 'Approve'),
          h('button', { class: 'usa-button usa-button--secondary', type: 'button', id: 'deny', onclick: () => decide('deny') }, 'Deny'))));
    }
    parts.push(h('p', {}, h('a', { href: '/portal/queue' }, 'Back to pending requests')));
    replace(...parts);
  };
  await draw();
};

pages.sessions = () => {
  const holder = h('div', { id: 'live-sessions' }, h('p', {}, 'Connecting…'));
  replace(h('p', {}, 'Sessions running now through the gateway. Bytes and time left update by themselves.'), holder);
  let latest = [];
  let skew = 0;
  const render = () => {
    const now = Date.now() + skew;
    const canWatch = has('supervisor') || has('inspector') || has('admin');
    const rows = latest.map((s) => h('tr', { 'data-session-id': s.id },
      td('Vendor', s.username, h('br'), h('span', { class: 'text-base' }, s.org)),
      td('Target', s.targetId, ' (', s.site, ')'),
      td('Kind', s.kind),
      td('Running for', since(s.startedAt, now)),
      td('Time left', s.notAfter ? duration(Math.max(0, Date.parse(s.notAfter) - now) / 1000) : '—'),
      td('Bytes', `in ${bytes(s.bytesIn)}, out ${bytes(s.bytesOut)}`),
      td('Action', canWatch ? h('a', { class: 'usa-button usa-button--outline', href: `/portal/sessions/${s.id}/live`, 'data-focus-key': `watch-${s.id}`, 'aria-label': `Watch ${s.username} on ${s.targetId}` }, 'Watch') : '')));
    keepFocus(holder, () => holder.replaceChildren(table('Active sessions', ['Vendor', 'Target', 'Kind', 'Running for', 'Time left', 'Bytes', 'Action'], rows, 'No active sessions.')));
  };
  events('/api/events/sessions', 'sessions', (d) => {
    skew = Date.parse(d.now) - Date.now();
    latest = d.sessions;
    render();
  });
  setInterval(() => { if (latest.length) render(); }, 1000);
};

pages.live = () => {
  const id = body.dataset.id;
  const state = h('p', { id: 'live-state', role: 'status' }, 'Connecting to the session…');
  const screen = h('div', { class: 'portal-terminal', id: 'terminal', role: 'region', 'aria-label': 'Live terminal output (read only)' });
  const canTerminate = has('supervisor') || has('admin');
  const dialog = h('dialog', { class: 'portal-dialog', id: 'terminate-dialog', 'aria-labelledby': 'terminate-title' });
  const result = h('div', { id: 'terminate-result' });
  const parts = [h('p', {}, 'You are watching the vendor’s terminal as it happens. Your viewing is recorded in the audit trail.'), state, screen, result];
  if (canTerminate) {
    const doTerminate = async () => {
      dialog.close();
      try {
        await api('POST', `/api/sessions/${encodeURIComponent(id)}/terminate`);
        result.replaceChildren(alertBox('success', 'Session terminated.', 'terminated'));
        announce('Session terminated');
      } catch (e) {
        result.replaceChildren(alertBox('error', e.message));
      }
    };
    dialog.append(h('h2', { id: 'terminate-title' }, 'Terminate this session?'),
      h('p', {}, 'The vendor is disconnected at once. This cannot be undone.'),
      h('button', { class: 'usa-button usa-button--secondary', type: 'button', id: 'confirm-terminate', onclick: doTerminate }, 'Terminate session'),
      h('button', { class: 'usa-button usa-button--outline', type: 'button', id: 'cancel-terminate', autofocus: true, onclick: () => dialog.close() }, 'Cancel'));
    parts.push(h('button', { class: 'usa-button usa-button--secondary', type: 'button', id: 'terminate', onclick: () => dialog.showModal() }, 'Terminate…'), dialog);
  }
  parts.push(h('p', {}, h('a', { href: '/portal/sessions' }, 'Back to active sessions')));
  replace(...parts);
  const term = terminal(100, 30);
  term.open(screen);
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/sessions/${encodeURIComponent(id)}/live`);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => { state.textContent = 'Live: connected.'; };
  ws.onmessage = (e) => term.write(new Uint8Array(e.data));
  ws.onclose = (e) => { state.textContent = e.code === 1000 ? 'The session has ended.' : 'Live view closed (the session may have ended, or you may not watch it).'; };
};

pages.history = async () => {
  let list;
  try { list = await api('GET', '/api/sessions?limit=200'); } catch (e) { fail(e); return; }
  const ended = list.filter((s) => !s.live);
  const canPlay = has('supervisor') || has('inspector') || has('admin');
  const rows = ended.map((s) => h('tr', { 'data-session-id': s.id },
    td('Vendor', s.username, h('br'), h('span', { class: 'text-base' }, s.org)),
    td('Target', s.targetId, ' (', s.site, ')'),
    td('Started', when(s.startedAt)),
    td('Ended', when(s.endedAt)),
    td('End reason', s.endReason),
    td('Bytes', `in ${bytes(s.bytesIn)}, out ${bytes(s.bytesOut)}`),
    td('Recording', canPlay && s.recordingId ? h('a', { class: 'usa-button usa-button--outline', href: `/portal/sessions/${s.id}/playback`, 'aria-label': `Play recording of ${s.username} on ${s.targetId}` }, 'Play') : '—')));
  replace(h('p', {}, 'Ended sessions, newest first. Playing a recording is recorded in the audit trail.'),
    table('Session history', ['Vendor', 'Target', 'Started', 'Ended', 'End reason', 'Bytes', 'Recording'], rows, 'No ended sessions yet.'));
};

pages.playback = async () => {
  const id = body.dataset.id;
  let rec;
  try { rec = await api('GET', `/api/sessions/${encodeURIComponent(id)}/recording`); } catch (e) { fail(e); return; }
  const s = rec.session;
  const frames = rec.frames.map(([t, b]) => [t, b64bytes(b)]);
  const total = Math.max(rec.durationMs, frames.length ? frames[frames.length - 1][0] : 0);
  const screen = h('div', { class: 'portal-terminal', id: 'terminal', role: 'region', 'aria-label': 'Recorded terminal output' });
  const playBtn = h('button', { class: 'usa-button', type: 'button', id: 'play' }, 'Play');
  const speed = h('select', { class: 'usa-select', id: 'speed', name: 'speed' },
    [0.5, 1, 2, 4, 8].map((x) => h('option', { value: x, selected: x === 1 }, `${x}×`)));
  const seek = h('input', { class: 'usa-range', type: 'range', id: 'seek', min: 0, max: total, step: 10, value: 0, 'aria-valuetext': '0 s' });
  const clock = h('span', { id: 'position', 'aria-live': 'off' }, `0 s of ${duration(total / 1000)}`);
  const timeline = h('ol', { class: 'portal-timeline', id: 'timeline', 'aria-label': 'Timeline of policy and gateway events' },
    rec.timeline.sort((a, b) => a.atMs - b.atMs).map((ev) => h('li', {},
      h('button', { class: 'usa-button usa-button--unstyled', type: 'button', onclick: () => seekTo(ev.atMs) }, `${duration(ev.atMs / 1000)}: ${ev.label}`))));
  replace(
    h('dl', { class: 'portal-dl' },
      h('dt', {}, 'Vendor'), h('dd', {}, `${s.username} (${s.org})`),
      h('dt', {}, 'Target'), h('dd', {}, `${s.targetId} at ${s.site}`),
      h('dt', {}, 'Session'), h('dd', {}, when(s.startedAt), ' to ', when(s.endedAt), `, ended: ${s.endReason}`),
      h('dt', {}, 'Recording'), h('dd', {}, `${s.recordingId}${rec.complete ? ', verified and complete' : ', verified up to where it was cut short'}`)),
    h('div', { class: 'portal-controls' },
      playBtn,
      h('div', {}, h('label', { class: 'usa-label margin-top-0', for: 'speed' }, 'Speed'), speed),
      h('div', {}, h('label', { class: 'usa-label margin-top-0', for: 'seek' }, 'Position'), seek),
      clock),
    screen,
    h('h2', {}, 'Timeline'),
    rec.timeline.length ? timeline : h('p', {}, 'No policy or gateway events in this session.'),
    h('p', {}, h('a', { href: '/portal/history' }, 'Back to session history')));
  const term = terminal(rec.cols, rec.rows);
  term.open(screen);

  let pos = 0;        // ms into the recording
  let next = 0;       // index of the next frame to write
  let playing = false;
  let last = 0;
  const show = () => {
    seek.value = String(Math.round(pos));
    const text = `${duration(pos / 1000)} of ${duration(total / 1000)}`;
    seek.setAttribute('aria-valuetext', text);
    clock.textContent = text;
  };
  const writeUpTo = (t) => {
    while (next < frames.length && frames[next][0] <= t) term.write(frames[next++][1]);
  };
  function seekTo(t) {
    t = Math.max(0, Math.min(total, t));
    if (t < pos) { term.reset(); next = 0; }
    pos = t;
    writeUpTo(pos);
    show();
  }
  const tick = (now) => {
    if (!playing) return;
    pos = Math.min(total, pos + (now - last) * Number(speed.value));
    last = now;
    writeUpTo(pos);
    show();
    if (pos >= total) { setPlaying(false); announce('Playback finished'); return; }
    requestAnimationFrame(tick);
  };
  function setPlaying(on) {
    playing = on;
    playBtn.textContent = on ? 'Pause' : 'Play';
    if (on) {
      if (pos >= total) seekTo(0);
      last = performance.now();
      requestAnimationFrame(tick);
    }
  }
  playBtn.addEventListener('click', () => setPlaying(!playing));
  seek.addEventListener('input', () => seekTo(Number(seek.value)));
};

pages.audit = () => {
  const field = (id, label, type = 'text', hint) => [
    h('label', { class: 'usa-label', for: id }, label),
    hint ? h('span', { class: 'usa-hint', id: `${id}-hint` }, hint) : null,
    h('input', { class: 'usa-input', id, name: id, type, 'aria-describedby': hint ? `${id}-hint` : null })];
  const results = h('div', { id: 'audit-results', 'aria-live': 'polite' });
  const form = h('form', { class: 'usa-form maxw-none', id: 'audit-form' },
    h('div', { class: 'grid-row grid-gap' },
      h('div', { class: 'tablet:grid-col-4' }, field('actor', 'Actor (user name)')),
      h('div', { class: 'tablet:grid-col-4' }, field('action', 'Action', 'text', 'e.g. session.playback-started')),
      h('div', { class: 'tablet:grid-col-4' }, field('objectId', 'Object id', 'text', 'a request or session id'))),
    h('div', { class: 'grid-row grid-gap' },
      h('div', { class: 'tablet:grid-col-4' }, field('from', 'From', 'text', 'YYYY-MM-DD or ISO time')),
      h('div', { class: 'tablet:grid-col-4' }, field('to', 'To', 'text', 'YYYY-MM-DD or ISO time'))),
    h('button', { class: 'usa-button', type: 'submit', id: 'search' }, 'Search'));
  const run = async () => {
    const q = new URLSearchParams();
    for (const k of ['actor', 'action', 'objectId', 'from', 'to']) {
      const v = form.elements[k].value.trim();
      if (v) q.set(k, v);
    }
    q.set('limit', '500');
    let list;
    try { list = await api('GET', `/api/audit?${q}`); } catch (e) { results.replaceChildren(alertBox('error', e.message)); return; }
    list.reverse();
    const rows = list.map((e) => h('tr', { 'data-action': e.action },
      td('Seq', e.seq), td('Time', when(e.time)), td('Actor', e.actor), td('Action', e.action),
      td('Object', `${e.objectType}${e.objectId ? ' ' + e.objectId : ''}`),
      td('Details', Object.entries(e.details).map(([k, v]) => `${k}=${v}`).join(', '))));
    results.replaceChildren(h('p', {}, `${list.length} event(s), newest first.`),
      table('Audit events', ['Seq', 'Time', 'Actor', 'Action', 'Object', 'Details'], rows, 'No events match.'));
    announce(`${list.length} audit events found`);
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });
  replace(h('p', {}, 'Every decision, session, live view and playback, newest first. Filters combine.'), form, results);
  run();
};

pages.targets = async () => {
  let list;
  try { list = await api('GET', '/api/targets'); } catch (e) { fail(e); return; }
  const rows = list.map((t) => h('tr', {},
    td('Id', t.id), td('Site', t.site), td('Kind', t.kind), td('Address', t.address),
    td('Services', [t.sshPort ? `ssh ${t.sshPort}` : null, t.httpPort ? `http ${t.httpPort}` : null].filter(Boolean).join(', ') || '—'),
    td('Tags', (t.tags || []).join(', ') || '—'),
    td('Approvals required', t.approvalsRequired)));
  replace(table('Targets', ['Id', 'Site', 'Kind', 'Address', 'Services', 'Tags', 'Approvals required'], rows, 'No targets you can see.'));
};

pages.forbidden = () => replace(alertBox('error', 'Your role cannot open this page.'));

const page = pages[body.dataset.page];
if (page) Promise.resolve(page()).catch(fail);
