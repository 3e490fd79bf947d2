// Shared by the wallboard's browser tests: where things are, Chromium through
// playwright-core, the page's files served without a server, synthetic
// boards, and bounded waiting.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const webDir = process.env.WALLBOARD_WEB_DIR || path.join(repoRoot, 'web');
export const chromiumPath = process.env.WALLBOARD_CHROMIUM || '/usr/bin/chromium';
// ctest's exit status for "skipped" (SKIP_RETURN_CODE in CMakeLists.txt).
export const SKIP = 77;

export function skip(reason) {
  console.log(`SKIP: ${reason}`);
  process.exit(SKIP);
}

// playwright-core and Chromium, or a skip naming what is missing.
export async function loadChromium() {
  if (!fs.existsSync(chromiumPath)) skip(`no Chromium at ${chromiumPath}: run scripts/install-deps.sh`);
  try {
    const { chromium } = await import('playwright-core');
    return chromium;
  } catch (error) {
    skip(`playwright-core is not installed (${error.code ?? error.message}): run scripts/install-deps.sh`);
  }
  return null;
}

export function launch(chromium) {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-dev-shm-usage',
      '--disable-extensions',
      '--disable-sync',
      '--no-first-run',
      '--mute-audio',
    ],
  });
}

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// Answers the page's requests for `origin`/… from web/ on disk, as opentapid
// would serve them, so page-level tests need no server at all.
export async function serveWebFiles(page, origin) {
  await page.route(`${origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = path.join(webDir, name);
    if (!file.startsWith(webDir + path.sep) || !fs.existsSync(file)) {
      await route.fulfill({ status: 404, body: 'not found' });
      return;
    }
    await route.fulfill({
      status: 200,
      headers: { 'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream' },
      body: fs.readFileSync(file),
    });
  });
}

// Console errors and uncaught exceptions of a page, to assert there were none.
export function collectPageErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export function guid(n) {
  const hex = n.toString(16).toUpperCase().padStart(8, '0');
  return `{${hex}-0000-4000-8000-${hex.padStart(12, '0')}}`;
}

// A board shaped as docs/http.md says, with `sessions` sessions spread over
// `groups` groups, one queue per group, states in turn.
export function syntheticBoard({ sessions = 8, groups = 2, seq = 100, nowMs = Date.now() } = {}) {
  const states = ['READY', 'BUSYONCALL', 'BUSYWRAPUP', 'NOTREADY'];
  const board = { type: 'snapshot', seq, now_ms: nowMs, groups: [], queues: [], agents: [], sessions: [] };
  for (let g = 0; g < groups; ++g) {
    const id = g + 1;
    board.groups.push({ guid: guid(id), name: `Team ${String(id).padStart(2, '0')}`, queues: [id] });
    board.queues.push(queue(id, guid(id), `Team ${String(id).padStart(2, '0')}`));
  }
  for (let i = 0; i < sessions; ++i) {
    const agent = 1000 + i;
    const g = board.groups[i % groups];
    board.agents.push(agentObject(agent, String(10000 + i), `Agent ${String(i).padStart(4, '0')}`, nowMs));
    board.sessions.push(
      sessionObject({
        handle: 5000 + i,
        agent,
        agentId: String(10000 + i),
        group: g,
        state: states[i % states.length],
        sinceMs: nowMs - (i % 600) * 1000,
      }),
    );
  }
  return board;
}

export function queue(id, group, name, figures = {}) {
  return {
    id,
    name,
    group,
    group_name: name,
    waiting: 0,
    longest_wait_s: 0,
    offered: 0,
    answered: 0,
    abandoned: 0,
    answered_within_target: 0,
    service_level_s: 20,
    service_level: null,
    average_wait_s: 0,
    asa_s: 0,
    measurement_period_s: 86400,
    ...figures,
  };
}

export function agentObject(handle, id, name, nowMs, state = 'READY') {
  return {
    handle,
    id,
    name,
    owner: 'alice',
    state,
    state_code: 2,
    next_state: '',
    next_state_code: 0,
    state_since_ms: nowMs,
    stats: { acd_calls: 0, incoming_calls: 0, outgoing_calls: 0, talk_s: 0, wrap_up_s: 0, measurement_period_s: 86400 },
  };
}

const stateCodes = { NOTREADY: 1, READY: 2, BUSYONCALL: 4, BUSYWRAPUP: 8, ENDED: 16 };

// `call`: the session's call (docs/http.md), null without one.
export function sessionObject({ handle, agent, agentId, group, state, sinceMs, nextState = '', call = null }) {
  return {
    handle,
    agent,
    agent_id: agentId,
    group: group.guid,
    group_name: group.name,
    device: 0,
    address: 0,
    state,
    state_code: stateCodes[state] ?? 0,
    next_state: nextState,
    next_state_code: stateCodes[nextState] ?? 0,
    state_since_ms: sinceMs,
    started_ms: sinceMs,
    stats: { calls: 0, talk_s: 0, call_s: 0, wrap_up_s: 0, duration_s: 0, asa_s: 0, longest_time_to_answer_s: 0 },
    call,
  };
}

// A session's call as docs/http.md shows it; answeredMs null while it rings.
export function callObject({ id = '0300000000000001', number = '', name = '', queue = 1, offeredMs, answeredMs = null }) {
  return {
    id,
    caller_number: number,
    caller_name: name,
    queue,
    queue_name: 'Sales',
    offered_ms: offeredMs,
    answered_ms: answeredMs,
  };
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Polls `check` until it returns a truthy value or `ms` pass.
export async function waitFor(what, check, ms = 5000, every = 10) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}
