// The wallboard end to end: a real opentapid (reference ACD, no simulator,
// temporary data directory, UNIX socket and loopback HTTP port) serves the
// page; Chromium shows it; an agent program using only the TAPI 2 C API
// (agent_driver.c) logs agent 1001 into Sales and makes it READY. The tile
// must appear, and must turn READY within one second of
// lineSetAgentSessionState returning. Prints that latency and the path of a
// screenshot. A dropped connection must resume where it stopped; a wrong
// token must be refused. opentapid, the agent program
// and the browser are stopped at the end whatever happens.
//
//   node tests/web/wallboard_live_test.mjs --opentapid BIN --driver BIN
//        --config etc/opentapi/callcenter.toml --output DIR
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

import { collectPageErrors, launch, loadChromium, sleep, waitFor, webDir } from './support.mjs';

const { values: options } = parseArgs({
  options: {
    opentapid: { type: 'string' },
    driver: { type: 'string' },
    config: { type: 'string' },
    output: { type: 'string', default: 'wallboard-output' },
  },
});
for (const name of ['opentapid', 'driver', 'config']) {
  if (!options[name]) throw new Error(`--${name} is required`);
  if (!fs.existsSync(options[name])) throw new Error(`--${name}: no such file: ${options[name]}`);
}

const TOKEN = 'demo-supervisor';
const SALES_GUID = '{A1C44A13-0635-4B3C-BAA0-E1E4694E033A}';
const WHOLE_TEST_MS = 90_000; // below the ctest TIMEOUT, so cleanup always runs here
const LATENCY_BUDGET_MS = 1000;

const chromium = await loadChromium();
const outputDir = path.resolve(options.output);
fs.mkdirSync(outputDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opentapi-wallboard-'));

const running = { server: null, driver: null, browser: null };
let serverLog = '';

async function stopEverything() {
  if (running.browser) await running.browser.close().catch(() => {});
  running.browser = null;
  for (const name of ['driver', 'server']) {
    const child = running[name];
    running[name] = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    const exited = await Promise.race([
      new Promise((resolve) => child.once('exit', () => resolve(true))),
      sleep(5000).then(() => false),
    ]);
    if (!exited) child.kill('SIGKILL');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

const watchdog = setTimeout(async () => {
  console.error(`FAIL: the test did not finish within ${WHOLE_TEST_MS / 1000} s`);
  await stopEverything();
  process.exit(1);
}, WHOLE_TEST_MS);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopEverything();
    process.exit(1);
  });
}

// The example configuration, with the supervisor token the page uses, and
// this OS user allowed to report calls through the PBX extension (the agent
// program does, as this user).
function writeConfig() {
  let text = fs.readFileSync(options.config, 'utf8');
  if (!/^\s*token\s*=\s*"demo-supervisor"/m.test(text)) {
    text += `\n[[http.token]]\ntoken = "${TOKEN}"\nuser = "supervisor"\n`;
  }
  const me = JSON.stringify(os.userInfo().username);
  const withPbx = text.replace(/^pbx_users\s*=\s*\[/m, `pbx_users = [${me}, `);
  text = withPbx !== text ? withPbx : text.replace(/^\[acd\]\s*$/m, `[acd]\npbx_users = [${me}]`);
  const file = path.join(tmp, 'callcenter.toml');
  fs.writeFileSync(file, text);
  return file;
}

// Starts opentapid on a free loopback port (port 0: it logs the one it
// bound) and returns its origin once /healthz answers.
async function startServer() {
  const args = [
    '--config', writeConfig(),
    '--data-dir', path.join(tmp, 'data'),
    '--listen', `unix:${path.join(tmp, 'sock')}`,
    '--http', '127.0.0.1:0',
    '--no-simulator',
    '--summary-interval', '0',
    // The files under test, wherever this opentapid would look by default.
    '--web-root', webDir,
  ];
  console.log(`opentapid ${args.join(' ')}`);
  const server = spawn(options.opentapid, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.server = server;
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  const exited = () => {
    if (server.exitCode !== null) throw new Error(`opentapid exited with ${server.exitCode}`);
  };
  const port = await waitFor(
    'opentapid to log its HTTP port',
    () => {
      exited();
      return serverLog.match(/event=http-listen .*\bport=(\d+)/)?.[1];
    },
    30_000,
    20,
  );
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(
    'opentapid to answer /healthz',
    async () => {
      exited();
      try {
        return (await fetch(`${origin}/healthz`)).ok;
      } catch {
        return false;
      }
    },
    10_000,
    50,
  );
  return origin;
}

// The agent program: one command at a time, one answer line each.
async function startDriver() {
  const driver = spawn(options.driver, ['0'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, OPENTAPI_SERVER: `unix:${path.join(tmp, 'sock')}` },
  });
  running.driver = driver;
  let errors = '';
  driver.stderr.on('data', (d) => (errors += d));
  const lines = readline.createInterface({ input: driver.stdout });
  const pending = [];
  const waiting = [];
  lines.on('line', (line) => (waiting.length ? waiting.shift()(line) : pending.push(line)));
  const next = (what, ms = 15_000) =>
    Promise.race([
      pending.length ? Promise.resolve(pending.shift()) : new Promise((resolve) => waiting.push(resolve)),
      sleep(ms).then(() => {
        throw new Error(`agent driver: no answer to ${what} within ${ms} ms; stderr: ${errors}`);
      }),
    ]);
  const ready = await next('start-up');
  assert.match(ready, /^ready /, `agent driver: ${ready} ${errors}`);
  return async (command) => {
    driver.stdin.write(`${command}\n`);
    const answer = await next(command);
    if (!answer.startsWith('ok ')) throw new Error(`agent driver: ${command} -> ${answer}`);
    return Object.fromEntries(answer.split(' ').slice(2).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
  };
}

// Records in the page, with the wall clock, when each tile appeared and when
// it last turned to each state — the moment the DOM changed, not when the
// test got round to looking.
function watchTiles(page) {
  return page.evaluate(() => {
    window.tileTimes = {};
    const note = (tile) => {
      const times = (window.tileTimes[tile.dataset.session] ??= { appeared: Date.now() });
      if (tile.dataset.state) times[tile.dataset.state] = Date.now();
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes' && r.target.dataset?.session) note(r.target);
        for (const n of r.addedNodes ?? []) {
          if (n.nodeType !== 1) continue;
          if (n.dataset.session) note(n);
          for (const t of n.querySelectorAll?.('[data-session]') ?? []) note(t);
        }
      }
    }).observe(document.getElementById('board'), {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

let failed = false;
try {
  const origin = await startServer();

  running.browser = await launch(chromium);
  const context = await running.browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${origin}/?token=${TOKEN}`, { timeout: 15_000 });
  await page.waitForSelector('body[data-connection="live"]', { timeout: 15_000 });
  await watchTiles(page);
  const groups = await page.locator('.group-name').allTextContents();
  assert.deepEqual(groups.slice(0, 2), ['Sales', 'Support'], 'the configured groups, in order');

  const agent = await startDriver();
  const login = await agent(`login 1001 1111 ${SALES_GUID}`);
  const tile = page.locator(`[data-session="${login.session}"]`);
  await tile.waitFor({ timeout: 5000 });
  const appeared = await page.evaluate((s) => window.tileTimes[s]?.appeared, String(login.session));
  console.log(`login: tile shown ${appeared - login.returned_ms} ms after lineCreateAgentSessionW returned`);
  assert.equal(await tile.locator('.tile-name').textContent(), 'Ada');
  assert.equal(await tile.locator('.tile-id').textContent(), '1001');
  const section = page.locator('.group', { has: tile });
  assert.equal(await section.locator('.group-name').textContent(), 'Sales');
  assert.notEqual(await tile.getAttribute('data-state'), 'READY', 'a new session is not READY yet');

  const ready = await agent(`state ${login.session} READY`);
  await page.waitForSelector(`[data-session="${login.session}"][data-state="READY"]`, { timeout: 5000 });
  const shownAt = await page.evaluate((s) => window.tileTimes[s]?.READY, String(login.session));
  const latency = shownAt - ready.returned_ms;
  console.log(
    `READY shown ${latency} ms after lineSetAgentSessionState returned ` +
      `(LINE_REPLY ${ready.replied_ms - ready.returned_ms} ms after it)`,
  );
  assert.ok(latency <= LATENCY_BUDGET_MS, `READY shown ${latency} ms after the call returned (budget ${LATENCY_BUDGET_MS})`);
  assert.equal(await tile.locator('.tile-state').textContent(), 'Ready');
  // The time in state restarted and ticks.
  const time = tile.locator('.tile-time');
  assert.match(await time.textContent(), /^0:0[0-2]$/);
  await waitFor('the time in state to tick', async () => (await time.textContent()) !== '0:00', 3000, 50);

  const notReady = await agent(`state ${login.session} NOTREADY`);
  await page.waitForSelector(`[data-session="${login.session}"][data-state="NOTREADY"]`, { timeout: 5000 });
  const back = (await page.evaluate((s) => window.tileTimes[s]?.NOTREADY, String(login.session))) - notReady.returned_ms;
  console.log(`NOTREADY shown ${back} ms after lineSetAgentSessionState returned`);
  assert.ok(back <= LATENCY_BUDGET_MS, `NOTREADY shown ${back} ms after the call returned`);

  // The connection drops: the page reconnects with after=<last seq>, the
  // server resumes there, and later changes still arrive.
  const seqBefore = await page.evaluate(() => window.wallboard.board.seq);
  await page.evaluate(() => window.wallboard.connection.socket.close());
  await page.waitForFunction(() => window.wallboard.stats.resumes === 1, null, { timeout: 5000 });
  const resumed = await page.evaluate(() => ({ ...window.wallboard.stats }));
  assert.equal(new URL(resumed.lastUrl).searchParams.get('after'), String(seqBefore));
  assert.equal(resumed.snapshots, 1, 'resumed, not a new snapshot');
  await agent(`state ${login.session} READY`);
  await page.waitForSelector(`[data-session="${login.session}"][data-state="READY"]`, { timeout: 5000 });
  console.log(`reconnected with after=${seqBefore} and resumed`);

  // A call: it rings on Ada's tile, she answers and the talk time ticks, it
  // ends and the band leaves. (PBX-reported calls carry no caller number.)
  const callRow = tile.locator('.tile-call');
  const queued = await agent('pbx queued 77 1');
  await page.waitForSelector(`[data-session="${login.session}"] .tile-call[data-call-state="ringing"]`, { timeout: 5000 });
  console.log(`call ringing on the tile ${Date.now() - queued.returned_ms} ms (at most) after the call was queued`);
  assert.equal(await tile.getAttribute('data-state'), 'BUSYONCALL');
  assert.equal(await callRow.locator('[data-field="caller"]').textContent(), 'Unknown caller');
  assert.equal(await callRow.locator('[data-field="talk-time"]').textContent(), 'Ringing');
  await agent('pbx answered 77');
  await page.waitForSelector(`[data-session="${login.session}"] .tile-call[data-call-state="talking"]`, { timeout: 5000 });
  const talk = callRow.locator('[data-field="talk-time"]');
  assert.match(await talk.textContent(), /^Talk 0:0[0-2]$/);
  await waitFor('the talk time to tick', async () => (await talk.textContent()) !== 'Talk 0:00', 3000, 50);
  await page.screenshot({ path: path.join(outputDir, 'wallboard-live-call.png') });
  await agent('pbx ended 77');
  await page.waitForSelector(`[data-session="${login.session}"] .tile-call[hidden]`, { state: 'attached', timeout: 5000 });
  assert.equal(await tile.getAttribute('data-state'), 'BUSYWRAPUP');
  console.log('call: ringing, talking with a ticking talk time, ended');

  // Let the tile's 0.25 s colour transition finish, so the picture shows the state's colour.
  await page.waitForTimeout(500);
  const screenshot = path.join(outputDir, 'wallboard-live.png');
  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);
  assert.deepEqual(errors, [], 'no errors in the page');

  // A token the server does not know is refused, and the page says so.
  const stranger = await context.newPage();
  await stranger.goto(`${origin}/?token=not-a-known-token`, { timeout: 15_000 });
  await stranger.waitForSelector('body[data-connection="refused"]', { timeout: 10_000 });
  assert.equal(await stranger.locator('[data-session]').count(), 0);
  console.log('PASS: wallboard live test');
} catch (error) {
  failed = true;
  console.error(`FAIL: ${error.stack ?? error}`);
  console.error(`--- opentapid log (last 4 kB) ---\n${serverLog.slice(-4096)}`);
} finally {
  clearTimeout(watchdog);
  await stopEverything();
}
process.exit(failed ? 1 : 0);
