// The wallboard's model (web/board.js) under node, no browser: frame order,
// gaps, resume, removal of ended objects, the server clock estimate, and the
// texts it formats. Run: node tests/web/board_test.mjs
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { agentObject, guid, queue, sessionObject, syntheticBoard, webDir } from './support.mjs';

const {
  Board,
  ServerClock,
  agentLabel,
  callPhase,
  callerLabel,
  formatDuration,
  formatServiceLevel,
  sessionStateLabel,
  talkSeconds,
} = await import(pathToFileURL(path.join(webDir, 'board.js')).href);

const GROUP = { guid: guid(1), name: 'Team 01' };

function started(seq = 10) {
  const board = new Board();
  assert.equal(board.beginConnection(), null, 'the first connection asks for a snapshot');
  assert.deepEqual(board.apply(syntheticBoard({ sessions: 4, groups: 1, seq, nowMs: 1000 })), { outcome: 'snapshot' });
  return board;
}

function sessionChange(seq, handle, state) {
  return {
    type: 'change',
    seq,
    now_ms: 2000,
    kind: 'session',
    object: sessionObject({ handle, agent: 1, agentId: '1', group: GROUP, state, sinceMs: 2000 }),
  };
}

test('a snapshot fills the board and sets seq; ENDED sessions in it are left out', () => {
  const snapshot = syntheticBoard({ sessions: 3, groups: 1, seq: 42, nowMs: 5000 });
  snapshot.sessions[2].state = 'ENDED';
  const board = new Board();
  board.beginConnection();
  board.apply(snapshot);
  assert.equal(board.seq, 42);
  assert.deepEqual([...board.sessions.keys()], [5000, 5001]);
  assert.equal(board.agents.size, 3);
  assert.equal(board.groups.get(guid(1)).name, 'Team 01');
  assert.equal(board.queues.get(1).atMs, 5000, 'queue figures remember when they were taken');
});

test('changes apply in order; ENDED and RELEASED objects leave; duplicates change nothing', () => {
  const board = started(10);
  assert.deepEqual(board.apply(sessionChange(11, 5000, 'BUSYONCALL')), {
    outcome: 'change',
    kind: 'session',
    key: 5000,
    gone: false,
  });
  assert.equal(board.sessions.get(5000).state, 'BUSYONCALL');
  assert.equal(board.apply(sessionChange(12, 5001, 'ENDED')).gone, true);
  assert.equal(board.sessions.has(5001), false);
  assert.deepEqual(board.apply(sessionChange(11, 5000, 'NOTREADY')), { outcome: 'duplicate' });
  assert.equal(board.sessions.get(5000).state, 'BUSYONCALL');
  const released = { type: 'change', seq: 13, now_ms: 3000, kind: 'agent', object: agentObject(1000, 'x', 'X', 0, 'RELEASED') };
  assert.equal(board.apply(released).gone, true);
  assert.equal(board.agents.has(1000), false);
  const q = { type: 'change', seq: 14, now_ms: 7000, kind: 'queue', object: queue(1, guid(1), 'Team 01', { waiting: 3 }) };
  board.apply(q);
  assert.deepEqual([board.queues.get(1).waiting, board.queues.get(1).atMs], [3, 7000]);
  assert.equal(board.seq, 14);
});

test('a gap asks to reconnect after the last applied change, and the next connection resumes there', () => {
  const board = started(10);
  board.apply(sessionChange(11, 5000, 'READY'));
  assert.deepEqual(board.apply(sessionChange(13, 5000, 'NOTREADY')), {
    outcome: 'restart',
    after: 11,
    reason: 'gap: change 13 after 11',
  });
  assert.equal(board.sessions.get(5000).state, 'READY', 'nothing after the gap is applied');
  assert.equal(board.beginConnection(), 11);
  assert.deepEqual(board.apply({ type: 'resume', seq: 11 }), { outcome: 'resumed' });
  assert.equal(board.apply(sessionChange(12, 5000, 'NOTREADY')).outcome, 'change');
});

test('a resume that does not fit, or a change before the stream starts, asks for a snapshot', () => {
  const board = started(10);
  board.beginConnection();
  assert.equal(board.apply({ type: 'resume', seq: 9 }).after, null);
  assert.equal(board.beginConnection(), null, 'the next connection asks for a snapshot');
  assert.equal(board.apply(sessionChange(11, 5000, 'READY')).outcome, 'restart');
  board.apply(syntheticBoard({ sessions: 1, groups: 1, seq: 50 }));
  assert.equal(board.beginConnection(), 50, 'after a snapshot, resuming is possible again');
  assert.equal(new Board().apply('not an object').outcome, 'restart');
});

test('unknown frame types are ignored; unknown change kinds keep their place in the sequence', () => {
  const board = started(10);
  assert.deepEqual(board.apply({ type: 'hello' }), { outcome: 'ignored' });
  assert.deepEqual(board.apply({ type: 'change', seq: 11, now_ms: 0, kind: 'call', object: {} }), { outcome: 'ignored' });
  assert.equal(board.seq, 11);
  assert.equal(board.apply(sessionChange(12, 5000, 'READY')).outcome, 'change');
});

test('the server clock takes the least delayed offset, restarts on a snapshot, and is local time before any frame', () => {
  const clock = new ServerClock();
  assert.equal(clock.now(123), 123);
  clock.restart(10_000, 1_000); // offset 9000
  clock.observe(10_500, 2_000); // a replayed change: offset 8500, ignored
  assert.equal(clock.now(3_000), 12_000);
  clock.observe(12_000, 2_900); // less delayed: offset 9100
  assert.equal(clock.now(3_000), 12_100);
  clock.restart(20_000, 12_000); // a snapshot: offset 8000, even if lower
  assert.equal(clock.now(13_000), 21_000);
});

test('texts: durations, service levels, state words, agent names', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(65.9), '1:05');
  assert.equal(formatDuration(3600), '1:00:00');
  assert.equal(formatDuration(3 * 3600 + 61), '3:01:01');
  assert.equal(formatDuration(-4), '0:00');
  assert.equal(formatServiceLevel(null), '\u2014');
  assert.equal(formatServiceLevel(0.789), '79%');
  assert.equal(formatServiceLevel(1), '100%');
  assert.equal(formatServiceLevel(0), '0%');
  assert.equal(sessionStateLabel('BUSYWRAPUP'), 'Wrap-up');
  assert.equal(sessionStateLabel('SOMETHINGNEW'), 'SOMETHINGNEW');
  const session = { agent: 7, agent_id: '1001' };
  assert.equal(agentLabel(session, { name: 'Ada', owner: 'alice' }), 'Ada');
  assert.equal(agentLabel(session, { name: '', owner: 'alice' }), 'alice');
  assert.equal(agentLabel(session, undefined), '1001');
  assert.equal(agentLabel({ agent: 7, agent_id: '' }, undefined), 'Agent 7');
});

test('a call shows its caller, rings until answered, then counts talk seconds', () => {
  const ringing = { id: '0300000000000001', caller_number: '+4930123456', caller_name: 'Clara', offered_ms: 1000, answered_ms: null };
  assert.equal(callerLabel(ringing), '+4930123456');
  assert.equal(callerLabel({ ...ringing, caller_number: '' }), 'Clara', 'the name when the number is unknown');
  assert.equal(callerLabel({ ...ringing, caller_number: '', caller_name: '' }), 'Unknown caller');
  assert.equal(callerLabel(null), 'Unknown caller');
  assert.equal(callPhase(ringing), 'ringing');
  assert.equal(callPhase(null), null, 'no call');
  assert.equal(callPhase(undefined), null, 'a server without calls sends none');
  assert.equal(talkSeconds(ringing, 50_000), 0, 'no talk while it rings');
  const talking = { ...ringing, answered_ms: 10_000 };
  assert.equal(callPhase(talking), 'talking');
  assert.equal(talkSeconds(talking, 10_999), 0);
  assert.equal(talkSeconds(talking, 75_500), 65);
  assert.equal(talkSeconds(talking, 9_000), 0, 'a server clock behind the answer counts as 0');
});

test('a session change carries its call onto the board and a later change clears it', () => {
  const board = started(10);
  const call = { id: '0300000000000001', caller_number: '2001', caller_name: '', offered_ms: 2000, answered_ms: null };
  const onCall = sessionChange(11, 5000, 'BUSYONCALL');
  onCall.object.call = call;
  board.apply(onCall);
  assert.deepEqual(board.sessions.get(5000).call, call);
  board.apply(sessionChange(12, 5000, 'BUSYWRAPUP'));
  assert.equal(board.sessions.get(5000).call, null);
});
