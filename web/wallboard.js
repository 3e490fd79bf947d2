// The live supervisor wallboard (docs/wallboard.md): one tile per agent
// session grouped by ACD group, the figures of each queue, fed by the
// WebSocket /events of opentapid (docs/http.md).
//
// Three parts, one direction: the socket feeds frames into the Board model
// (board.js), which records what changed; once per animation frame the
// renderer brings only those tiles and cards up to date; a ticker aligned to
// the server's whole seconds marks the clock texts due, and the same frame
// rewrites just those texts. The DOM is never rebuilt wholesale, so a board
// of a thousand sessions with many changes a second stays smooth.
//
// Address parameters: token=T (required), group=NAME (repeatable: show only
// these groups, for a TV per team).

import {
  Board,
  ServerClock,
  SESSION_STATES,
  agentLabel,
  callPhase,
  callerLabel,
  formatDuration,
  formatServiceLevel,
  sessionStateLabel,
  talkSeconds,
} from './board.js';

const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 15000;
// A client-chosen close code (RFC 6455 §7.4.2: 4000-4999 are private).
const CLOSE_RESTART = 4000;
// opentapid closes a reader that fell more than 4096 frames behind with this.
const CLOSE_POLICY = 1008;

const params = new URLSearchParams(location.search);
const token = params.get('token') ?? '';
const shownGroups = new Set(params.getAll('group'));

const localNow = () => performance.timeOrigin + performance.now();
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const clockFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

const board = new Board();
const clock = new ServerClock();

// Figures for tests and for a look from the browser console.
const stats = {
  frames: 0, // frames received
  renders: 0, // animation frames that changed the DOM
  lastRenderMs: 0, // duration of the last render callback
  maxRenderMs: 0,
  lastLatencyMs: 0, // from the first frame received to the end of its render
  lastTickMs: 0, // duration of the last once-a-second text update
  ticks: 0, // once-a-second text updates so far
  connections: 0,
  snapshots: 0, // streams that began with a snapshot
  resumes: 0, // streams that began with resume
  restarts: 0, // streams restarted by this page (gap, bad frame)
  lastClose: null, // {code, reason} of the last closed stream
  lastUrl: '',
};

// ---------------------------------------------------------------------------
// Elements

const el = {
  board: document.getElementById('board'),
  totals: document.getElementById('totals'),
  clock: document.getElementById('server-clock'),
  connectionText: document.getElementById('connection-text'),
  notice: document.getElementById('notice'),
};

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// A text node to rewrite later through .data, the cheapest DOM update.
function textIn(parent, className, text = '') {
  const span = element('span', className);
  const node = document.createTextNode(text);
  span.append(node);
  parent.append(span);
  return node;
}

function setText(node, text) {
  if (node.data !== text) node.data = text;
}

// ---------------------------------------------------------------------------
// Views: a section per group, a tile per session, a card per queue.

// Sessions in one ACD group, sorted by agent name, with the group's queues.
class GroupView {
  constructor(key, name) {
    this.key = key;
    this.tiles = []; // TileView, sorted by (sortKey, handle)
    this.section = element('section', 'group');
    this.section.dataset.group = key;
    const heading = element('h2', 'group-heading');
    this.nameNode = textIn(heading, 'group-name', name);
    this.countsNode = textIn(heading, 'group-counts');
    this.queueList = element('div', 'queues');
    this.tileList = element('ol', 'tiles');
    this.tileList.setAttribute('aria-label', `Agents in ${name}`);
    this.section.append(heading, this.queueList, this.tileList);
    this.name = name;
  }

  get visible() {
    return shownGroups.size === 0 || shownGroups.has(this.name);
  }

  rename(name) {
    if (name === this.name) return;
    this.name = name;
    setText(this.nameNode, name);
    this.tileList.setAttribute('aria-label', `Agents in ${name}`);
  }

  position(tile) {
    let lo = 0;
    let hi = this.tiles.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareTiles(this.tiles[mid], tile) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(tile) {
    const at = this.position(tile);
    this.tiles.splice(at, 0, tile);
    this.tileList.insertBefore(tile.li, at + 1 < this.tiles.length ? this.tiles[at + 1].li : null);
    tile.group = this;
  }

  // Many new tiles into an empty group: one sort, one DOM insertion.
  fill(tiles) {
    tiles.sort(compareTiles);
    this.tiles = tiles;
    const fragment = document.createDocumentFragment();
    for (const t of tiles) {
      fragment.append(t.li);
      t.group = this;
    }
    this.tileList.append(fragment);
  }

  remove(tile) {
    const at = this.tiles.indexOf(tile);
    if (at >= 0) this.tiles.splice(at, 1);
    tile.li.remove();
    tile.group = null;
  }
}

function compareTiles(a, b) {
  return collator.compare(a.sortKey, b.sortKey) || a.handle - b.handle;
}

// One agent session: who, the state in words, an icon and colour (CSS, by
// data-state), and the time in state; on a call, the caller and the talk
// time (or "Ringing" until the agent answers).
class TileView {
  constructor(session, label) {
    this.handle = session.handle;
    this.agent = session.agent;
    this.sortKey = `${label}\u0000${session.agent_id ?? ''}`;
    this.group = null;
    this.li = element('li', 'tile');
    this.li.dataset.session = String(session.handle);
    this.li.dataset.agent = String(session.agent);
    const icon = element('span', 'tile-icon');
    icon.setAttribute('aria-hidden', 'true');
    this.li.append(icon);
    this.nameNode = textIn(this.li, 'tile-name');
    this.stateNode = textIn(this.li, 'tile-state');
    this.timeNode = textIn(this.li, 'tile-time');
    const meta = element('span', 'tile-meta');
    this.li.append(meta);
    this.idNode = textIn(meta, 'tile-id');
    this.nextNode = textIn(meta, 'tile-next');
    this.nextNode.parentNode.hidden = true;
    this.callRow = element('span', 'tile-call');
    this.callRow.hidden = true;
    // Read out as "Caller +49…, talking 0:12"; the word is hidden on screen.
    this.callRow.append(element('span', 'visually-hidden', 'Caller '));
    this.callerNode = textIn(this.callRow, 'tile-caller');
    this.callerNode.parentNode.dataset.field = 'caller';
    this.talkNode = textIn(this.callRow, 'tile-talk');
    this.talkNode.parentNode.dataset.field = 'talk-time';
    this.li.append(this.callRow);
    this.callKey = '';
    this.call = null;
    this.shownTalk = null;
    this.state = null;
    this.since = null;
    this.shownSeconds = -1;
    this.nextState = null;
    this.label = null;
  }

  update(session, label, serverNow) {
    if (label !== this.label) {
      this.label = label;
      setText(this.nameNode, label);
    }
    setText(this.idNode, session.agent_id && session.agent_id !== label ? session.agent_id : '');
    if (session.state !== this.state) {
      this.state = session.state;
      this.li.dataset.state = session.state;
      setText(this.stateNode, sessionStateLabel(session.state));
    }
    const next = session.next_state || '';
    if (next !== this.nextState) {
      this.nextState = next;
      setText(this.nextNode, next ? `then ${sessionStateLabel(next)}` : '');
      this.nextNode.parentNode.hidden = !next;
    }
    const call = callPhase(session.call) ? session.call : null;
    const callKey = call ? `${call.id}\u0000${call.answered_ms ?? ''}\u0000${callerLabel(call)}\u0000${call.caller_name ?? ''}` : '';
    let titleChanged = false;
    if (callKey !== this.callKey) {
      this.callKey = callKey;
      this.call = call;
      this.shownTalk = null;
      this.callRow.hidden = !call;
      titleChanged = true;
      if (call) {
        this.callRow.dataset.call = String(call.id);
        this.callRow.dataset.callState = callPhase(call);
        setText(this.callerNode, callerLabel(call));
        // The name beside a number, in full on hover.
        this.callerNode.parentNode.title =
          call.caller_name && call.caller_number ? `${call.caller_name} (${call.caller_number})` : callerLabel(call);
      } else {
        delete this.callRow.dataset.call;
        delete this.callRow.dataset.callState;
        setText(this.callerNode, '');
        setText(this.talkNode, '');
      }
    }
    if (session.state_since_ms !== this.since) {
      this.since = session.state_since_ms;
      this.shownSeconds = -1;
      titleChanged = true;
    }
    if (titleChanged) {
      const onCall = this.call ? ` \u2014 ${callPhase(this.call)} with ${callerLabel(this.call)}` : '';
      this.li.title = `${label}: ${sessionStateLabel(session.state)} since ${clockFormat.format(this.since)}${onCall}`;
    }
    this.tick(serverNow);
  }

  tick(serverNow) {
    const seconds = Math.max(0, Math.floor((serverNow - this.since) / 1000));
    if (seconds !== this.shownSeconds) {
      this.shownSeconds = seconds;
      this.timeNode.data = formatDuration(seconds);
    }
    if (this.call) {
      // Talk time on the server's clock, like the time in state.
      const talk = callPhase(this.call) === 'talking' ? `Talk ${formatDuration(talkSeconds(this.call, serverNow))}` : 'Ringing';
      if (talk !== this.shownTalk) {
        this.shownTalk = talk;
        this.talkNode.data = talk;
      }
    }
  }
}

// One queue's figures. A queue listed under two groups has a card in each.
class QueueCard {
  constructor(queue) {
    this.id = queue.id;
    this.article = element('article', 'queue');
    this.article.dataset.queue = String(queue.id);
    const heading = element('h3', 'queue-name');
    this.nameNode = document.createTextNode('');
    heading.append(this.nameNode);
    const list = element('dl', 'queue-stats');
    const stat = (field, title) => {
      const row = element('div', `stat stat-${field}`);
      const dt = element('dt', null, title);
      const dd = element('dd');
      dd.dataset.field = field;
      const node = document.createTextNode('');
      dd.append(node);
      row.append(dt, dd);
      list.append(row);
      return { node, dt };
    };
    this.waiting = stat('waiting', 'Waiting').node;
    this.longest = stat('longest-wait', 'Longest wait').node;
    const level = stat('service-level', 'Service level');
    this.serviceLevel = level.node;
    this.serviceLevelTitle = level.dt;
    this.answered = stat('answered', 'Answered').node;
    this.abandoned = stat('abandoned', 'Abandoned').node;
    this.article.append(heading, list);
    this.queue = null;
    this.shownLongest = -1;
  }

  update(queue, serverNow) {
    this.queue = queue;
    setText(this.nameNode, queue.name ?? `Queue ${queue.id}`);
    const waiting = queue.waiting ?? 0;
    setText(this.waiting, String(waiting));
    if (this.article.dataset.waiting !== String(waiting)) this.article.dataset.waiting = String(waiting);
    setText(this.serviceLevel, formatServiceLevel(queue.service_level));
    setText(this.serviceLevelTitle.firstChild, `Service level (${queue.service_level_s ?? 20}\u00a0s)`);
    setText(this.answered, String(queue.answered ?? 0));
    setText(this.abandoned, String(queue.abandoned ?? 0));
    this.shownLongest = -1;
    this.tick(serverNow);
  }

  // The longest wait grows while calls wait, between the queue's changes.
  tick(serverNow) {
    const q = this.queue;
    const waiting = q.waiting ?? 0;
    const elapsed = Number.isFinite(q.atMs) ? Math.max(0, (serverNow - q.atMs) / 1000) : 0;
    const seconds = waiting > 0 ? Math.floor((q.longest_wait_s ?? 0) + elapsed) : 0;
    if (seconds === this.shownLongest) return;
    this.shownLongest = seconds;
    setText(this.longest, waiting > 0 ? formatDuration(seconds) : '\u2014');
  }
}

// ---------------------------------------------------------------------------
// Rendering: what changed since the last animation frame, applied in one go.

const views = {
  groups: new Map(), // group key (GUID) -> GroupView
  tiles: new Map(), // session handle -> TileView
  queueCards: new Map(), // queue id -> [QueueCard]
};

const dirty = {
  all: false,
  sessions: new Set(),
  agents: new Set(),
  queues: new Set(),
  tick: false,
  firstFrameAt: null,
};
let frameRequested = false;

function requestRender() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(render);
}

function render() {
  frameRequested = false;
  const started = performance.now();
  const serverNow = clock.now(localNow());
  let countsChanged = false;
  if (dirty.all) {
    reconcileAll(serverNow);
    countsChanged = true;
  } else {
    if (dirty.agents.size > 0) relabelAgents(dirty.agents, serverNow);
    for (const handle of dirty.sessions) reconcileSession(handle, serverNow, null);
    for (const id of dirty.queues) reconcileQueue(id, serverNow);
    countsChanged = dirty.sessions.size > 0;
  }
  const changed = dirty.all || dirty.sessions.size + dirty.agents.size + dirty.queues.size > 0;
  if (countsChanged) updateCounts();
  if (dirty.tick) tick(serverNow);
  dirty.all = false;
  dirty.sessions.clear();
  dirty.agents.clear();
  dirty.queues.clear();
  dirty.tick = false;
  if (changed) {
    const ended = performance.now();
    stats.renders += 1;
    stats.lastRenderMs = ended - started;
    stats.maxRenderMs = Math.max(stats.maxRenderMs, stats.lastRenderMs);
    if (dirty.firstFrameAt !== null) stats.lastLatencyMs = ended - dirty.firstFrameAt;
  }
  dirty.firstFrameAt = null;
}

function groupView(key, name) {
  let view = views.groups.get(key);
  if (!view) {
    view = new GroupView(key, name || 'Group');
    views.groups.set(key, view);
    view.section.hidden = !view.visible;
    el.board.append(view.section);
  }
  return view;
}

function labelOf(session) {
  return agentLabel(session, board.agents.get(session.agent));
}

// Brings the tile of one session in line with the model: created, updated,
// moved or removed. `fresh` collects new tiles per group for a bulk fill.
function reconcileSession(handle, serverNow, fresh) {
  const session = board.sessions.get(handle);
  let tile = views.tiles.get(handle);
  if (!session) {
    if (tile) {
      tile.group?.remove(tile);
      views.tiles.delete(handle);
    }
    return;
  }
  const group = groupView(session.group, session.group_name);
  if (!group.visible) {
    if (tile) {
      tile.group?.remove(tile);
      views.tiles.delete(handle);
    }
    return;
  }
  const label = labelOf(session);
  if (!tile) {
    tile = new TileView(session, label);
    views.tiles.set(handle, tile);
    tile.update(session, label, serverNow);
    if (fresh) {
      if (!fresh.has(group)) fresh.set(group, []);
      fresh.get(group).push(tile);
    } else {
      group.insert(tile);
    }
    return;
  }
  if (tile.group !== group) {
    tile.group?.remove(tile);
    group.insert(tile);
  }
  tile.update(session, label, serverNow);
}

// An agent's name or holder may change; one pass however many agents did.
function relabelAgents(agentHandles, serverNow) {
  for (const tile of views.tiles.values()) {
    if (!agentHandles.has(tile.agent)) continue;
    const session = board.sessions.get(tile.handle);
    if (session) tile.update(session, labelOf(session), serverNow);
  }
}

// The groups a queue's cards go under: those listing it, else its own group.
function queuePlacement() {
  const placement = new Map();
  for (const g of board.groups.values()) {
    for (const id of g.queues ?? []) {
      if (!placement.has(id)) placement.set(id, []);
      placement.get(id).push(g.guid);
    }
  }
  for (const q of board.queues.values()) {
    if (!placement.has(q.id)) placement.set(q.id, [q.group]);
  }
  return placement;
}

function reconcileQueue(id, serverNow) {
  const queue = board.queues.get(id);
  let cards = views.queueCards.get(id);
  if (!cards) {
    // A queue that was not in the snapshot: place it like the others.
    cards = placeQueue(queue, queuePlacement().get(id) ?? [queue.group]);
  }
  for (const card of cards) card.update(queue, serverNow);
}

function placeQueue(queue, groupKeys) {
  const cards = [];
  for (const key of groupKeys) {
    const group = groupView(key, board.groups.get(key)?.name ?? queue.group_name);
    const card = new QueueCard(queue);
    group.queueList.append(card.article);
    cards.push(card);
  }
  views.queueCards.set(queue.id, cards);
  return cards;
}

// After a snapshot: groups in configuration order, every queue card and tile.
function reconcileAll(serverNow) {
  for (const g of board.groups.values()) groupView(g.guid, g.name).rename(g.name);
  // Configuration order; groups only known from sessions come after.
  const order = [...board.groups.keys()];
  for (const key of views.groups.keys()) if (!board.groups.has(key)) order.push(key);
  for (const key of order) el.board.append(views.groups.get(key).section);

  for (const cards of views.queueCards.values()) for (const c of cards) c.article.remove();
  views.queueCards.clear();
  const placement = queuePlacement();
  for (const q of board.queues.values()) {
    for (const card of placeQueue(q, placement.get(q.id))) card.update(q, serverNow);
  }

  for (const handle of [...views.tiles.keys()]) {
    if (!board.sessions.has(handle)) reconcileSession(handle, serverNow, null);
  }
  const fresh = new Map();
  for (const handle of board.sessions.keys()) reconcileSession(handle, serverNow, fresh);
  for (const [group, tiles] of fresh) {
    if (group.tiles.length === 0) group.fill(tiles);
    else for (const t of tiles) group.insert(t);
  }

  // A group gone from the configuration and left without sessions goes too.
  for (const [key, view] of views.groups) {
    if (!board.groups.has(key) && view.tiles.length === 0 && view.queueList.childElementCount === 0) {
      view.section.remove();
      views.groups.delete(key);
    }
  }
}

// How many sessions are in each state, per group and in all.
function updateCounts() {
  const total = new Map();
  for (const group of views.groups.values()) {
    const counts = new Map();
    for (const tile of group.tiles) {
      counts.set(tile.state, (counts.get(tile.state) ?? 0) + 1);
      total.set(tile.state, (total.get(tile.state) ?? 0) + 1);
    }
    const n = group.tiles.length;
    const parts = [`${n} ${n === 1 ? 'agent' : 'agents'}`];
    for (const [state, count] of sortedStates(counts)) parts.push(`${count} ${sessionStateLabel(state).toLowerCase()}`);
    setText(group.countsNode, parts.join(' \u00b7 '));
  }
  const items = sortedStates(total);
  const text = items.map(([s, c]) => `${s}:${c}`).join(',');
  if (el.totals.dataset.counts === text) return;
  el.totals.dataset.counts = text;
  el.totals.replaceChildren(
    ...items.map(([state, count]) => {
      const li = element('li', 'total');
      li.dataset.state = state;
      const icon = element('span', 'tile-icon');
      icon.setAttribute('aria-hidden', 'true');
      li.append(icon, element('span', 'total-count', String(count)), element('span', 'total-label', sessionStateLabel(state)));
      return li;
    }),
  );
}

function sortedStates(counts) {
  const rank = (s) => SESSION_STATES[s]?.order ?? 99;
  return [...counts.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || String(a[0]).localeCompare(String(b[0])));
}

// Once a second: times in state, longest waits, the clock, the countdown.
function tick(serverNow) {
  const started = performance.now();
  for (const tile of views.tiles.values()) tile.tick(serverNow);
  for (const cards of views.queueCards.values()) for (const c of cards) c.tick(serverNow);
  setText(el.clock.firstChild ?? el.clock.appendChild(document.createTextNode('')), clockFormat.format(serverNow));
  if (connection.retryAt !== null) showRetryCountdown();
  stats.lastTickMs = performance.now() - started;
  stats.ticks += 1;
}

function scheduleTick() {
  const serverNow = clock.now(localNow());
  // Just after the next whole server second, so every text turns together.
  const delay = 1000 - (((serverNow % 1000) + 1000) % 1000) + 5;
  setTimeout(() => {
    dirty.tick = true;
    requestRender();
    scheduleTick();
  }, delay);
}

// ---------------------------------------------------------------------------
// The event stream: connects, feeds frames to the model, reconnects with
// back-off asking to resume after the last change it applied.

const connection = {
  socket: null,
  attempts: 0, // failed attempts since the stream last started
  retryAt: null, // local time of the next attempt
  retryTimer: null,
  everLive: false,
};

function setStatus(state, text) {
  if (document.body.dataset.connection !== state) document.body.dataset.connection = state;
  setText(el.connectionText.firstChild ?? el.connectionText.appendChild(document.createTextNode('')), text);
}

function showNotice(text) {
  el.notice.textContent = text;
  el.notice.hidden = !text;
}

function eventsUrl(after) {
  const url = new URL('events', document.baseURI);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  url.searchParams.set('token', token);
  if (after !== null) url.searchParams.set('after', String(after));
  return url.href;
}

function connect() {
  connection.retryTimer = null;
  connection.retryAt = null;
  const after = board.beginConnection();
  setStatus('connecting', connection.everLive ? 'Reconnecting\u2026' : 'Connecting\u2026');
  const url = eventsUrl(after);
  stats.lastUrl = url;
  stats.connections += 1;
  let ws;
  try {
    ws = new WebSocket(url);
  } catch (error) {
    showNotice(`Cannot open the event stream: ${error.message}`);
    retryLater();
    return;
  }
  connection.socket = ws;
  let opened = false;
  ws.onopen = () => {
    opened = true;
  };
  ws.onmessage = (event) => {
    if (connection.socket === ws) receive(ws, event.data);
  };
  ws.onclose = (event) => {
    stats.lastClose = { code: event.code, reason: event.reason };
    if (connection.socket !== ws) return;
    connection.socket = null;
    closed(event, opened);
  };
}

function receive(ws, data) {
  stats.frames += 1;
  const receivedAt = localNow();
  if (dirty.firstFrameAt === null) dirty.firstFrameAt = performance.now();
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    frame = null;
  }
  const result = board.apply(frame);
  switch (result.outcome) {
    case 'snapshot':
      if (Number.isFinite(frame.now_ms)) clock.restart(frame.now_ms, receivedAt);
      dirty.all = true;
      dirty.tick = true; // the clock, at once
      stats.snapshots += 1;
      started();
      break;
    case 'resumed':
      stats.resumes += 1;
      started();
      break;
    case 'change':
      if (Number.isFinite(frame.now_ms)) clock.observe(frame.now_ms, receivedAt);
      if (result.kind === 'session') dirty.sessions.add(result.key);
      else if (result.kind === 'agent') dirty.agents.add(result.key);
      else dirty.queues.add(result.key);
      break;
    case 'restart':
      restart(ws, result.reason);
      return;
    default:
      return;
  }
  requestRender();
}

// The stream began (snapshot or resume): it is live again.
function started() {
  connection.attempts = 0;
  connection.everLive = true;
  setStatus('live', 'Live');
  showNotice('');
}

// This page ends the stream itself (a gap, a frame it cannot place) and
// reconnects; the model has chosen whether to resume or ask for a snapshot.
function restart(ws, reason) {
  stats.restarts += 1;
  console.warn(`wallboard: restarting the event stream: ${reason}`);
  connection.socket = null;
  ws.close(CLOSE_RESTART, 'restart');
  retryLater();
}

// Every end of a stream is followed by a new attempt; one closed with 1008
// (this page fell behind) simply resumes with `after` like any other.
async function closed(event, opened) {
  retryLater();
  if (opened || event.code === CLOSE_POLICY) return;
  // A refused handshake looks the same as an unreachable server to a page;
  // a REST call with the token tells them apart.
  if ((await probeToken()) === 'refused' && connection.socket === null) {
    setStatus('refused', 'Token refused');
    showNotice('The server refused this wallboard\u2019s token. Check ?token= in the address.');
  }
}

async function probeToken() {
  try {
    const reply = await fetch(new URL('api/v1/groups', document.baseURI), {
      headers: { Authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
    return reply.status === 401 ? 'refused' : 'accepted';
  } catch {
    return 'unreachable';
  }
}

// Exponential back-off with jitter, so a restarted server is not met by
// every wallboard at the same instant.
function retryLater() {
  if (connection.retryTimer !== null) return;
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** connection.attempts);
  const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
  connection.attempts += 1;
  connection.retryAt = localNow() + delay;
  connection.retryTimer = setTimeout(connect, delay);
  if (document.body.dataset.connection !== 'refused') showRetryCountdown();
}

function showRetryCountdown() {
  const seconds = Math.max(0, Math.ceil((connection.retryAt - localNow()) / 1000));
  if (document.body.dataset.connection === 'refused') return;
  setStatus('reconnecting', seconds >= 2 ? `Not live \u2014 retrying in ${seconds} s` : 'Not live \u2014 retrying');
}

// ---------------------------------------------------------------------------

window.wallboard = { board, clock, stats, views, connection };

if (!token) {
  setStatus('no-token', 'No token');
  showNotice('This wallboard needs an access token: open it as /?token=YOUR-TOKEN (see docs/wallboard.md).');
} else {
  connect();
}
scheduleTick();
