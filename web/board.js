// The wallboard's model of the supervisor board (docs/http.md, "WebSocket
// /events"): it applies the frames of the event stream in sequence order and
// says when the stream has to be restarted. No DOM, no sockets, no timers —
// wallboard.js does those — so tests/web/board_test.mjs runs it under node.

// Sessions in these states are sent once more and then leave the board.
const GONE_SESSION_STATES = new Set(['ENDED', 'RELEASED']);
const GONE_AGENT_STATES = new Set(['RELEASED']);

// What each session state means on a tile: the words shown (never colour
// alone) and the short name of its icon and colour in wallboard.css.
export const SESSION_STATES = Object.freeze({
  READY: { label: 'Ready', order: 0 },
  BUSYONCALL: { label: 'On call', order: 1 },
  BUSYWRAPUP: { label: 'Wrap-up', order: 2 },
  NOTREADY: { label: 'Not ready', order: 3 },
  ENDED: { label: 'Logged out', order: 4 },
  RELEASED: { label: 'Released', order: 5 },
});

// The words for a session state name; an unknown name is shown as it is.
export function sessionStateLabel(name) {
  const known = SESSION_STATES[name];
  if (known) return known.label;
  return name ? String(name) : 'Unknown';
}

// Seconds as "m:ss", or "h:mm:ss" from one hour on; negative counts as 0.
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

// A service level (0..1 or null) as "79%", or "—" before the period's first
// answered or abandoned call.
export function formatServiceLevel(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '\u2014';
  return `${Math.round(value * 100)}%`;
}

// A session's call (the session's `call` member, docs/http.md): who is
// calling — the number, else the name, else "Unknown caller".
export function callerLabel(call) {
  if (call && call.caller_number) return String(call.caller_number);
  if (call && call.caller_name) return String(call.caller_name);
  return 'Unknown caller';
}

// 'ringing' until the agent answers, then 'talking'; null without a call.
export function callPhase(call) {
  if (!call || typeof call !== 'object') return null;
  return Number.isFinite(call.answered_ms) ? 'talking' : 'ringing';
}

// Whole seconds of talk at server time `serverMs` (0 while it rings).
export function talkSeconds(call, serverMs) {
  if (callPhase(call) !== 'talking') return 0;
  return Math.max(0, Math.floor((serverMs - call.answered_ms) / 1000));
}

// The name a tile shows for a session's agent: the configured display name,
// else the OS user holding it, else the agent ID, else the handle.
export function agentLabel(session, agent) {
  if (agent && agent.name) return agent.name;
  if (agent && agent.owner) return agent.owner;
  if (session.agent_id) return session.agent_id;
  return `Agent ${session.agent}`;
}

// The server's clock as seen from here. Every board and change carries the
// server's now_ms; the offset to the local monotonic clock is the largest
// (least delayed) one seen since the last snapshot: a frame is never early,
// and changes replayed after a resume carry the time they happened, which
// would otherwise make the server look behind. A snapshot is taken when it
// is sent, so it restarts the estimate.
export class ServerClock {
  constructor() {
    this.offset = null;
  }

  // A snapshot's now_ms, received at local time `localMs`.
  restart(serverMs, localMs) {
    this.offset = serverMs - localMs;
  }

  // A change's now_ms.
  observe(serverMs, localMs) {
    const offset = serverMs - localMs;
    if (this.offset === null || offset > this.offset) this.offset = offset;
  }

  // The server's time now, given local time (before any frame: local time).
  now(localMs) {
    return this.offset === null ? localMs : localMs + this.offset;
  }
}

// The board: groups, queues, agents and sessions by key, and the sequence
// number of the last change it includes.
export class Board {
  constructor() {
    this.groups = new Map(); // guid -> group
    this.queues = new Map(); // id -> queue, with atMs: the server time of its figures
    this.agents = new Map(); // handle -> agent
    this.sessions = new Map(); // handle -> session
    this.seq = null; // null: nothing received yet
    this.awaitingStart = true; // a connection must begin with snapshot or resume
    this.snapshotNeeded = false; // the next connection must not ask to resume
  }

  // The `after` a new connection asks for (null: send a snapshot), and the
  // start of a new connection: until its first snapshot or resume, a change
  // cannot be placed.
  beginConnection() {
    this.awaitingStart = true;
    return this.seq === null || this.snapshotNeeded ? null : this.seq;
  }

  // Applies one decoded frame. Returns what happened:
  //   {outcome: 'snapshot'}                         everything replaced
  //   {outcome: 'resumed'}                          the stream continues after this.seq
  //   {outcome: 'change', kind, key, gone}          one object changed (gone: left the board)
  //   {outcome: 'duplicate'}                        a change already applied
  //   {outcome: 'ignored'}                          a frame type this page does not know
  //   {outcome: 'restart', after, reason}           the caller must reconnect, asking for
  //                                                  `after` (null: a snapshot)
  apply(frame) {
    if (frame === null || typeof frame !== 'object') return this.restartFresh('a frame that is not an object');
    switch (frame.type) {
      case 'snapshot':
        return this.applySnapshot(frame);
      case 'resume':
        return this.applyResume(frame);
      case 'change':
        return this.applyChange(frame);
      default:
        return { outcome: 'ignored' };
    }
  }

  applySnapshot(frame) {
    if (!Number.isSafeInteger(frame.seq) || frame.seq < 0) return this.restartFresh('a snapshot without seq');
    this.groups = new Map();
    this.queues = new Map();
    this.agents = new Map();
    this.sessions = new Map();
    for (const g of frame.groups ?? []) this.groups.set(g.guid, g);
    for (const q of frame.queues ?? []) this.queues.set(q.id, { ...q, atMs: frame.now_ms });
    for (const a of frame.agents ?? []) this.agents.set(a.handle, a);
    for (const s of frame.sessions ?? []) {
      if (!GONE_SESSION_STATES.has(s.state)) this.sessions.set(s.handle, s);
    }
    this.seq = frame.seq;
    this.awaitingStart = false;
    this.snapshotNeeded = false;
    return { outcome: 'snapshot' };
  }

  applyResume(frame) {
    if (!this.awaitingStart || this.seq === null || frame.seq !== this.seq) {
      return this.restartFresh(`resume at ${frame.seq} while at ${this.seq}`);
    }
    this.awaitingStart = false;
    return { outcome: 'resumed' };
  }

  applyChange(frame) {
    if (this.awaitingStart || this.seq === null) return this.restartFresh('a change before snapshot or resume');
    if (!Number.isSafeInteger(frame.seq)) return this.restartFresh('a change without seq');
    if (frame.seq <= this.seq) return { outcome: 'duplicate' };
    if (frame.seq !== this.seq + 1) {
      return { outcome: 'restart', after: this.seq, reason: `gap: change ${frame.seq} after ${this.seq}` };
    }
    this.seq = frame.seq;
    const o = frame.object;
    if (o === null || typeof o !== 'object') return { outcome: 'ignored' };
    switch (frame.kind) {
      case 'session': {
        const gone = GONE_SESSION_STATES.has(o.state);
        if (gone) this.sessions.delete(o.handle);
        else this.sessions.set(o.handle, o);
        return { outcome: 'change', kind: 'session', key: o.handle, gone };
      }
      case 'agent': {
        const gone = GONE_AGENT_STATES.has(o.state);
        if (gone) this.agents.delete(o.handle);
        else this.agents.set(o.handle, o);
        return { outcome: 'change', kind: 'agent', key: o.handle, gone };
      }
      case 'queue':
        this.queues.set(o.id, { ...o, atMs: frame.now_ms });
        return { outcome: 'change', kind: 'queue', key: o.id, gone: false };
      default:
        // A kind this page does not show still takes its place in the sequence.
        return { outcome: 'ignored' };
    }
  }

  restartFresh(reason) {
    this.snapshotNeeded = true;
    return { outcome: 'restart', after: null, reason };
  }
}
