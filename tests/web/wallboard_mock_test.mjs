// The wallboard page in Chromium against a scripted event stream: the page's
// files come from web/ and its WebSocket /events is answered by the test
// (page.routeWebSocket), so every protocol case of docs/http.md can be played
// exactly — snapshot, changes in order, duplicates, a gap, resume, a resume
// that does not fit, close 1008, back-off — plus the 1,000-session board's
// render cost. Run: node tests/web/wallboard_mock_test.mjs [OUTPUT_DIR]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';

import {
  agentObject,
  callObject,
  collectPageErrors,
  guid,
  launch,
  loadChromium,
  queue,
  serveWebFiles,
  sessionObject,
  sleep,
  syntheticBoard,
  waitFor,
} from './support.mjs';

const ORIGIN = 'http://wallboard.test';
const TOKEN = 'test-token';
const outputDir = path.resolve(process.argv[2] || 'wallboard-output');

const chromium = await loadChromium();
let browser;

before(async () => {
  fs.mkdirSync(outputDir, { recursive: true });
  browser = await launch(chromium);
});

after(async () => {
  await browser?.close();
});

// The test's end of the page's event streams: every connection the page
// opens, what it asked for, and how it ended.
class ScriptedEvents {
  constructor() {
    this.connections = [];
    this.onConnect = () => {};
  }

  async install(page) {
    await page.routeWebSocket(/\/events(\?.*)?$/, (ws) => {
      const connection = { ws, url: new URL(ws.url()), at: Date.now(), closed: null };
      ws.onClose((code, reason) => {
        connection.closed = { code, reason };
      });
      this.connections.push(connection);
      this.onConnect(connection);
    });
  }

  connection(n, ms = 5000) {
    return waitFor(`connection #${n + 1}`, () => this.connections[n], ms);
  }
}

function send(connection, frame) {
  connection.ws.send(JSON.stringify(frame));
}

function change(seq, kind, object, nowMs = Date.now()) {
  return { type: 'change', seq, now_ms: nowMs, kind, object };
}

async function openBoard({ token = TOKEN, query = '', onConnect = () => {} } = {}) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await serveWebFiles(page, ORIGIN);
  // The page asks REST whether its token is good when a handshake fails.
  await page.route(`${ORIGIN}/api/v1/groups`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{"seq":0,"now_ms":0,"items":[]}' }),
  );
  const events = new ScriptedEvents();
  events.onConnect = onConnect;
  await events.install(page);
  const address = token === null ? `${ORIGIN}/` : `${ORIGIN}/?token=${encodeURIComponent(token)}${query}`;
  await page.goto(address, { timeout: 10_000 });
  return { context, page, events, errors };
}

const SALES = { guid: guid(0xa1), name: 'Sales' };
const SUPPORT = { guid: guid(0xb2), name: 'Support' };

// Ada and Brian in Sales, Eve in Support; two queues with known figures.
function smallBoard(nowMs = Date.now(), seq = 100) {
  return {
    type: 'snapshot',
    seq,
    now_ms: nowMs,
    groups: [
      { guid: SALES.guid, name: 'Sales', queues: [1] },
      { guid: SUPPORT.guid, name: 'Support', queues: [2] },
    ],
    queues: [
      queue(1, SALES.guid, 'Sales', {
        waiting: 2,
        longest_wait_s: 31,
        offered: 40,
        answered: 35,
        abandoned: 3,
        answered_within_target: 30,
        service_level: 0.789,
      }),
      queue(2, SUPPORT.guid, 'Support'),
    ],
    agents: [
      agentObject(3, '1001', 'Ada', nowMs),
      agentObject(4, '1002', 'Brian', nowMs, 'NOTREADY'),
      agentObject(5, '2001', 'Eve', nowMs, 'BUSYACD'),
    ],
    sessions: [
      sessionObject({ handle: 7, agent: 3, agentId: '1001', group: SALES, state: 'READY', sinceMs: nowMs - 65_000 }),
      sessionObject({ handle: 8, agent: 4, agentId: '1002', group: SALES, state: 'NOTREADY', sinceMs: nowMs - 5_000 }),
      sessionObject({
        handle: 9,
        agent: 5,
        agentId: '2001',
        group: SUPPORT,
        state: 'BUSYONCALL',
        sinceMs: nowMs - 3_700_000,
        nextState: 'NOTREADY',
      }),
    ],
  };
}

// What the page shows, read from the DOM.
function readBoard(page) {
  return page.evaluate(() => ({
    connection: document.body.dataset.connection,
    connectionText: document.getElementById('connection-text').textContent,
    notice: document.getElementById('notice').hidden ? '' : document.getElementById('notice').textContent,
    groups: [...document.querySelectorAll('.group:not([hidden])')].map((g) => ({
      name: g.querySelector('.group-name').textContent,
      counts: g.querySelector('.group-counts').textContent,
      queues: [...g.querySelectorAll('[data-queue]')].map((q) => q.dataset.queue),
      tiles: [...g.querySelectorAll('[data-session]')].map((t) => ({
        session: Number(t.dataset.session),
        state: t.dataset.state,
        name: t.querySelector('.tile-name').textContent,
        id: t.querySelector('.tile-id').textContent,
        words: t.querySelector('.tile-state').textContent,
        time: t.querySelector('.tile-time').textContent,
        next: t.querySelector('.tile-next').hidden ? '' : t.querySelector('.tile-next').textContent,
      })),
    })),
    queues: Object.fromEntries(
      [...document.querySelectorAll('[data-queue]')].map((q) => [
        q.dataset.queue,
        Object.fromEntries([...q.querySelectorAll('dd')].map((dd) => [dd.dataset.field, dd.textContent])),
      ]),
    ),
    seq: window.wallboard.board.seq,
  }));
}

function waitForSeq(page, seq) {
  return page.waitForFunction((n) => window.wallboard.board.seq === n, seq, { timeout: 10_000 });
}

// The page applies a frame to its model at once and renders on the next
// animation frame, later on a busy machine: reads the board until `shown`
// holds or `ms` pass, and returns the last view read either way, so the
// assertions that follow say what differs.
async function boardWhen(page, shown, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const view = await readBoard(page);
    if (shown(view) || Date.now() > deadline) return view;
    await sleep(20);
  }
}

function tileOf(view, session) {
  for (const g of view.groups) for (const t of g.tiles) if (t.session === session) return t;
  return null;
}

const seconds = (text) => text.split(':').reduce((total, part) => total * 60 + Number(part), 0);

test('a snapshot becomes groups of tiles and queue cards, with state words, times and figures', async () => {
  const { context, page, events, errors } = await openBoard();
  try {
    const first = await events.connection(0);
    assert.equal(first.url.searchParams.get('token'), TOKEN);
    assert.equal(first.url.searchParams.has('after'), false, 'a first connection asks for a snapshot');
    send(first, smallBoard());
    await page.waitForSelector('[data-session="9"]', { timeout: 5000 });
    const view = await readBoard(page);

    assert.equal(view.connection, 'live');
    assert.equal(view.connectionText, 'Live');
    assert.deepEqual(
      view.groups.map((g) => [g.name, g.queues, g.tiles.map((t) => t.name)]),
      [
        ['Sales', ['1'], ['Ada', 'Brian']],
        ['Support', ['2'], ['Eve']],
      ],
    );
    const ada = tileOf(view, 7);
    assert.deepEqual([ada.state, ada.words, ada.id], ['READY', 'Ready', '1001']);
    assert.ok(['1:05', '1:06'].includes(ada.time), `Ada's time in state: ${ada.time}`);
    const eve = tileOf(view, 9);
    assert.deepEqual([eve.state, eve.words, eve.next], ['BUSYONCALL', 'On call', 'then Not ready']);
    assert.ok(['1:01:40', '1:01:41'].includes(eve.time), `Eve's time in state: ${eve.time}`);
    assert.equal(tileOf(view, 8).words, 'Not ready');
    assert.equal(view.groups[0].counts, '2 agents \u00b7 1 ready \u00b7 1 not ready');

    assert.equal(view.queues['1'].waiting, '2');
    assert.ok(['0:31', '0:32'].includes(view.queues['1']['longest-wait']), view.queues['1']['longest-wait']);
    assert.equal(view.queues['1']['service-level'], '79%');
    assert.equal(view.queues['1'].answered, '35');
    assert.equal(view.queues['1'].abandoned, '3');
    assert.equal(view.queues['2']['service-level'], '\u2014', 'no service level before the first call');
    assert.equal(view.queues['2']['longest-wait'], '\u2014', 'no wait with no call waiting');
    await page.screenshot({ path: path.join(outputDir, 'wallboard-small.png') });

    // Colour is never alone, and it is readable: every state has its own
    // colour, icon and pattern, and black text on it reaches 7:1.
    const looks = await page.evaluate(() => {
      const luminance = (rgb) => {
        const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
          const c = v / 255;
          return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      return [...document.querySelectorAll('.legend-item')].map((item) => {
        const style = getComputedStyle(item);
        const icon = getComputedStyle(item.querySelector('.tile-icon'));
        const [a, b] = [luminance(style.backgroundColor), luminance(style.color)].sort((x, y) => y - x);
        return {
          state: item.dataset.state,
          words: item.textContent.trim(),
          background: style.backgroundColor,
          icon: icon.maskImage || icon.webkitMaskImage,
          contrast: (a + 0.05) / (b + 0.05),
        };
      });
    });
    assert.equal(new Set(looks.map((l) => l.background)).size, looks.length, 'one colour per state');
    assert.equal(new Set(looks.map((l) => l.icon)).size, looks.length, 'one icon per state');
    for (const look of looks) {
      assert.ok(look.contrast >= 7, `${look.state}: contrast ${look.contrast.toFixed(2)} < 7`);
      assert.ok(look.words.length > 0);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('times in state follow the server clock, not the browser clock, and tick every second', async () => {
  const { context, page, events, errors } = await openBoard();
  try {
    // The server's clock is an hour ahead of this machine's.
    const serverNow = Date.now() + 3_600_000;
    send(await events.connection(0), smallBoard(serverNow));
    await page.waitForSelector('[data-session="7"]', { timeout: 5000 });
    const shownAt = Date.now();
    const before = tileOf(await readBoard(page), 7).time;
    assert.ok(['1:05', '1:06'].includes(before), `time in state ${before} (an uncorrected clock shows 1:01:05)`);
    const timeOfAda = () => page.locator('[data-session="7"] .tile-time').textContent();
    await waitFor('two ticks', async () => seconds(await timeOfAda()) >= seconds(before) + 2, 10_000, 50);
    const took = Date.now() - shownAt;
    assert.ok(took >= 1000, `two seconds shown in ${took} ms`);
    const later = await readBoard(page);
    const longest = seconds(later.queues['1']['longest-wait']);
    assert.ok(longest >= 33 && longest <= 35, `longest wait ticks while calls wait: ${longest}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// The call row of a session's tile: hidden, or the caller and the talk time.
function callOf(page, session) {
  return page.evaluate((handle) => {
    const row = document.querySelector(`[data-session="${handle}"] .tile-call`);
    if (!row || row.hidden) return null;
    return {
      id: row.dataset.call,
      state: row.dataset.callState,
      caller: row.querySelector('[data-field="caller"]').textContent,
      callerTitle: row.querySelector('[data-field="caller"]').title,
      talk: row.querySelector('[data-field="talk-time"]').textContent,
      spoken: row.textContent,
      tileTitle: row.closest('[data-session]').title,
    };
  }, session);
}

test('a tile on a call shows the caller and a talk time that ticks on the server clock', async () => {
  const { context, page, events, errors } = await openBoard();
  try {
    const conn = await events.connection(0);
    // The server's clock is an hour ahead of this machine's; Eve answered
    // 65 s ago by that clock.
    const serverNow = Date.now() + 3_600_000;
    const snapshot = smallBoard(serverNow);
    snapshot.sessions[2].call = callObject({
      id: '0300000000000005',
      number: '+4930123456',
      name: 'Clara Caller',
      offeredMs: serverNow - 70_000,
      answeredMs: serverNow - 65_000,
    });
    send(conn, snapshot);
    await page.waitForSelector('[data-session="9"] .tile-call:not([hidden])', { timeout: 5000 });
    let eve = await callOf(page, 9);
    assert.equal(eve.id, '0300000000000005');
    assert.equal(eve.state, 'talking');
    assert.equal(eve.caller, '+4930123456');
    assert.equal(eve.callerTitle, 'Clara Caller (+4930123456)');
    assert.ok(['Talk 1:05', 'Talk 1:06'].includes(eve.talk), `talk time ${eve.talk} (an uncorrected clock shows 1:01:05)`);
    // In words for a screen reader too, not only by position.
    assert.match(eve.spoken, /^Caller \+4930123456Talk 1:0[56]$/);
    assert.match(eve.tileTitle, /talking with \+4930123456/);
    const before = seconds(eve.talk.slice('Talk '.length));
    await waitFor(
      'the talk time to tick twice',
      async () => seconds((await callOf(page, 9)).talk.slice('Talk '.length)) >= before + 2,
      4000,
      50,
    );
    assert.equal(await callOf(page, 7), null, 'no call row on a READY tile');

    // Black on the call band stays readable (7:1) on the on-call colour.
    const contrast = await page.evaluate(() => {
      const rgba = (text) => {
        const [r, g, b, a = 1] = text.match(/\d+(\.\d+)?/g).map(Number);
        return { r, g, b, a };
      };
      const row = document.querySelector('[data-session="9"] .tile-call');
      const tile = rgba(getComputedStyle(row.closest('.tile')).backgroundColor);
      const band = rgba(getComputedStyle(row).backgroundColor);
      const mix = (k) => band[k] * band.a + tile[k] * (1 - band.a);
      const lum = (v) => {
        const c = v / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      const ink = rgba(getComputedStyle(row).color);
      const l1 = 0.2126 * lum(mix('r')) + 0.7152 * lum(mix('g')) + 0.0722 * lum(mix('b'));
      const l2 = 0.2126 * lum(ink.r) + 0.7152 * lum(ink.g) + 0.0722 * lum(ink.b);
      return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    });
    assert.ok(contrast >= 7, `call band contrast ${contrast.toFixed(2)} < 7`);
    await page.screenshot({ path: path.join(outputDir, 'wallboard-call.png') });

    // Ada gets a call from an unknown number: it rings, then she answers,
    // then it ends.
    const ada = snapshot.sessions[0];
    const offered = serverNow + 1000;
    const ringing = callObject({ id: '0300000000000006', offeredMs: offered });
    send(conn, change(101, 'session', { ...ada, state: 'BUSYONCALL', state_code: 4, state_since_ms: offered, call: ringing }, offered));
    await waitForSeq(page, 101);
    await waitFor('the ringing call on Ada', async () => (await callOf(page, 7))?.state === 'ringing');
    const rings = await callOf(page, 7);
    assert.equal(rings.caller, 'Unknown caller');
    assert.equal(rings.talk, 'Ringing');
    const answered = { ...ringing, answered_ms: serverNow + 3000 };
    send(conn, change(102, 'session', { ...ada, state: 'BUSYONCALL', state_code: 4, state_since_ms: offered, call: answered }, serverNow + 3000));
    await waitFor('Ada talking', async () => (await callOf(page, 7))?.state === 'talking');
    assert.ok(['Talk 0:00', 'Talk 0:01'].includes((await callOf(page, 7)).talk));
    send(conn, change(103, 'session', { ...ada, state: 'BUSYWRAPUP', state_code: 8, state_since_ms: serverNow + 9000, call: null }, serverNow + 9000));
    await waitFor('the call row to leave Ada', async () => (await callOf(page, 7)) === null);
    assert.equal(tileOf(await readBoard(page), 7).words, 'Wrap-up');
    assert.ok((await callOf(page, 9)) !== null, "Eve's call is untouched");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('changes apply in seq order; duplicates are ignored; ENDED sessions leave; new ones join in name order', async () => {
  const { context, page, events, errors } = await openBoard();
  try {
    const conn = await events.connection(0);
    const now = Date.now();
    send(conn, smallBoard(now));
    await page.waitForSelector('[data-session="7"]', { timeout: 5000 });
    const ada = smallBoard(now).sessions[0];
    send(conn, change(101, 'session', { ...ada, state: 'BUSYONCALL', state_code: 4, state_since_ms: now }));
    send(conn, change(102, 'agent', agentObject(6, '1000', 'Aaron', now)));
    send(
      conn,
      change(103, 'session', sessionObject({ handle: 10, agent: 6, agentId: '1000', group: SALES, state: 'READY', sinceMs: now })),
    );
    send(conn, change(104, 'queue', queue(1, SALES.guid, 'Sales', { waiting: 0, answered: 36, service_level: 0.8 })));
    send(conn, change(105, 'session', { ...smallBoard(now).sessions[1], state: 'ENDED', state_code: 16 }));
    send(conn, change(106, 'session', { ...ada, state: 'READY', state_code: 2, state_since_ms: now }));
    // Sent again by a confused server: already applied, must change nothing.
    send(conn, change(101, 'session', { ...ada, state: 'BUSYONCALL', state_code: 4, state_since_ms: now }));
    await waitForSeq(page, 106);
    const expected = [
      ['Aaron', 'READY'],
      ['Ada', 'READY'],
    ];
    const view = await boardWhen(
      page,
      (v) => isDeepStrictEqual(v.groups[0]?.tiles.map((t) => [t.name, t.state]), expected) && v.queues['1']?.answered === '36',
    );
    assert.deepEqual(
      view.groups[0].tiles.map((t) => [t.name, t.state]),
      expected,
    );
    assert.equal(tileOf(view, 8), null, 'the ENDED session left the board');
    assert.equal(view.queues['1'].waiting, '0');
    assert.equal(view.queues['1'].answered, '36');
    assert.equal(view.queues['1']['service-level'], '80%');
    assert.equal(events.connections.length, 1, 'no reconnection for in-order changes');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a gap in seq makes the page reconnect with after=last seq; resume continues the board', async () => {
  const { context, page, events } = await openBoard();
  try {
    const first = await events.connection(0);
    const now = Date.now();
    send(first, smallBoard(now));
    const ada = smallBoard(now).sessions[0];
    send(first, change(101, 'session', { ...ada, state: 'NOTREADY', state_code: 1 }));
    await waitForSeq(page, 101);
    const gapAt = Date.now();
    send(first, change(103, 'session', { ...ada, state: 'BUSYWRAPUP', state_code: 8 }));
    const second = await events.connection(1);
    assert.ok(second.at - gapAt < 1500, `reconnected ${second.at - gapAt} ms after the gap`);
    assert.equal(second.url.searchParams.get('after'), '101');
    assert.equal(second.url.searchParams.get('token'), TOKEN);
    await waitFor('the page to close the first stream', () => first.closed, 2000);
    assert.equal(first.closed.code, 4000);
    assert.equal(tileOf(await readBoard(page), 7).state, 'NOTREADY', 'the change after the gap was not applied');

    send(second, { type: 'resume', seq: 101 });
    send(second, change(102, 'session', { ...ada, state: 'READY', state_code: 2 }));
    send(second, change(103, 'session', { ...ada, state: 'BUSYONCALL', state_code: 4 }));
    await waitForSeq(page, 103);
    await page.waitForSelector('[data-session="7"][data-state="BUSYONCALL"]', { timeout: 2000 });
    const view = await readBoard(page);
    assert.equal(view.connection, 'live');
    assert.equal(view.groups.flatMap((g) => g.tiles).length, 3, 'resume kept the board');
  } finally {
    await context.close();
  }
});

test('close 1008 (fell behind) reconnects with after; a snapshot instead of resume replaces the board', async () => {
  const { context, page, events } = await openBoard();
  try {
    const first = await events.connection(0);
    send(first, smallBoard(Date.now(), 200));
    await page.waitForSelector('[data-session="8"]', { timeout: 5000 });
    first.ws.close({ code: 1008, reason: 'too slow' });
    const second = await events.connection(1, 3000);
    assert.equal(second.url.searchParams.get('after'), '200');
    // The server no longer holds every change after 200: a snapshot.
    const replacement = smallBoard(Date.now(), 9000);
    replacement.sessions = replacement.sessions.filter((s) => s.handle !== 8);
    send(second, replacement);
    await page.waitForSelector('[data-session="8"]', { state: 'detached', timeout: 3000 });
    const view = await readBoard(page);
    assert.equal(view.seq, 9000);
    assert.deepEqual(
      view.groups.flatMap((g) => g.tiles.map((t) => t.session)),
      [7, 9],
    );
    assert.equal(view.connection, 'live');
  } finally {
    await context.close();
  }
});

test('a resume at another seq than asked makes the page ask for a snapshot', async () => {
  const { context, page, events } = await openBoard();
  try {
    const first = await events.connection(0);
    send(first, smallBoard(Date.now(), 300));
    await page.waitForSelector('[data-session="7"]', { timeout: 5000 });
    first.ws.close({ code: 1001, reason: 'restart' });
    const second = await events.connection(1, 3000);
    assert.equal(second.url.searchParams.get('after'), '300');
    send(second, { type: 'resume', seq: 299 });
    const third = await events.connection(2, 3000);
    assert.equal(third.url.searchParams.has('after'), false, 'asks for a snapshot');
    send(third, smallBoard(Date.now(), 305));
    await waitForSeq(page, 305);
    assert.equal((await readBoard(page)).connection, 'live');
  } finally {
    await context.close();
  }
});

test('while the server is away the page retries with growing back-off and says it is not live', async () => {
  const { context, page, events } = await openBoard({
    onConnect: (connection) => connection.ws.close({ code: 1011, reason: 'down' }),
  });
  try {
    await events.connection(4, 8000);
    const at = events.connections.map((c) => c.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    // 250, 500, 1000, 2000 ms, each ±20 %, plus scheduling.
    assert.ok(gaps[0] >= 150 && gaps[0] < 700, `first retry after ${gaps[0]} ms`);
    assert.ok(gaps[3] > 2.5 * gaps[0], `back-off grows: ${gaps.join(', ')} ms`);
    // Between a close and the next attempt:
    await page.waitForSelector('body[data-connection="reconnecting"]', { timeout: 3000 });
    assert.match((await readBoard(page)).connectionText, /^Not live/);
  } finally {
    await context.close();
  }
});

test('without a token the page says how to add one and does not connect', async () => {
  const { context, page, events } = await openBoard({ token: null });
  try {
    // The page decides at load, in one go: no token, no connection.
    await page.waitForSelector('body[data-connection="no-token"]', { timeout: 10_000 });
    const view = await readBoard(page);
    assert.equal(view.connection, 'no-token');
    assert.match(view.notice, /token/);
    assert.equal(await page.evaluate(() => window.wallboard.stats.connections), 0, 'the page opened no stream');
    assert.equal(events.connections.length, 0);
  } finally {
    await context.close();
  }
});

test('group=NAME shows only that group', async () => {
  const { context, page, events } = await openBoard({ query: '&group=Support' });
  try {
    send(await events.connection(0), smallBoard());
    await page.waitForSelector('[data-session="9"]', { timeout: 5000 });
    const view = await readBoard(page);
    assert.deepEqual(
      view.groups.map((g) => g.name),
      ['Support'],
    );
    assert.equal(await page.locator('[data-session="7"]').count(), 0);
  } finally {
    await context.close();
  }
});

// A thousand sessions: the snapshot, a second of 1,000 changes, and the
// once-a-second tick must each fit comfortably in the frames they take.
test('1,000 sessions render without stutter', async () => {
  const { context, page, events, errors } = await openBoard();
  try {
    await page.evaluate(() => {
      // Animation frames over 50 ms (Long Animation Frames API). An entry
      // arrives some time after its frame: frames are told apart by when
      // they started, not by when they were reported.
      window.longFrames = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longFrames.push({ start: e.startTime, ms: Math.round(e.duration) });
      }).observe({ type: 'long-animation-frame', buffered: false });
    });
    const conn = await events.connection(0);
    const now = Date.now();
    const big = syntheticBoard({ sessions: 1000, groups: 10, seq: 1000, nowMs: now });
    send(conn, big);
    await page.waitForFunction(() => document.querySelectorAll('[data-session]').length === 1000, null, {
      timeout: 10_000,
    });
    const snapshot = await page.evaluate(() => {
      const figures = { ...window.wallboard.stats };
      window.wallboard.stats.maxRenderMs = 0;
      window.changesFrom = performance.now();
      return figures;
    });

    // 1,000 session changes in 20 bursts over a second.
    const states = ['READY', 'BUSYONCALL', 'BUSYWRAPUP', 'NOTREADY'];
    let seq = 1000;
    for (let burst = 0; burst < 20; ++burst) {
      for (let i = 0; i < 50; ++i) {
        const s = big.sessions[burst * 50 + i];
        const state = states[(burst + i + 1) % 4];
        send(conn, change(++seq, 'session', { ...s, state, state_since_ms: Date.now() }));
      }
      await sleep(50);
    }
    await page.waitForFunction(() => window.wallboard.board.seq === 2000, null, { timeout: 10_000 });
    const expected = new Map(big.sessions.map((s, n) => [String(s.handle), states[(Math.floor(n / 50) + (n % 50) + 1) % 4]]));
    // Every change rendered, then two ticks over the 1,000 tiles.
    await page.waitForFunction(
      (want) =>
        [...document.querySelectorAll('[data-session]')].every((t) => t.dataset.state === want[t.dataset.session]),
      Object.fromEntries(expected),
      { timeout: 10_000 },
    );
    const ticks = await page.evaluate(() => window.wallboard.stats.ticks);
    await page.waitForFunction((n) => window.wallboard.stats.ticks >= n + 2, ticks, { timeout: 10_000 });
    const steady = await page.evaluate(() => ({
      ...window.wallboard.stats,
      longFrames: window.longFrames.filter((f) => f.start >= window.changesFrom).map((f) => f.ms),
    }));
    snapshot.longFrames = await page.evaluate(() =>
      window.longFrames.filter((f) => f.start < window.changesFrom).map((f) => f.ms),
    );
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('[data-session]')].map((t) => [t.dataset.session, t.dataset.state]),
    );
    assert.equal(shown.length, 1000);
    for (const [handle, state] of shown) assert.equal(state, expected.get(handle), `session ${handle}`);

    const screenshot = path.join(outputDir, 'wallboard-1000-sessions.png');
    await page.screenshot({ path: screenshot });
    console.log(
      `1000 sessions: snapshot frame to DOM ${snapshot.lastLatencyMs.toFixed(1)} ms ` +
        `(render ${snapshot.lastRenderMs.toFixed(1)} ms, long frames ${JSON.stringify(snapshot.longFrames)}); ` +
        `1000 changes: max render ${steady.maxRenderMs.toFixed(1)} ms over ${steady.renders} renders, ` +
        `long frames ${JSON.stringify(steady.longFrames)}; tick over 1000 tiles ${steady.lastTickMs.toFixed(2)} ms`,
    );
    console.log(`screenshot: ${screenshot}`);
    // Budgets with room for a machine busy with other work; typical figures
    // are several times lower (docs/wallboard.md). Rebuilding every tile on
    // each change, or a render per frame received, breaks them.
    assert.ok(snapshot.lastLatencyMs < 1000, `snapshot took ${snapshot.lastLatencyMs} ms to reach the DOM`);
    assert.ok(steady.maxRenderMs < 100, `a render of changes took ${steady.maxRenderMs} ms`);
    assert.ok(steady.renders < 200, `${steady.renders} renders for 1,000 frames in 20 bursts: not batched`);
    assert.ok(steady.lastTickMs < 30, `the tick took ${steady.lastTickMs} ms`);
    assert.ok(
      steady.longFrames.every((d) => d < 1000),
      `animation frames while changes streamed: ${JSON.stringify(steady.longFrames)}`,
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
