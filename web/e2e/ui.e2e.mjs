// End-to-end test of the web UI: a real `weft server` on 127.0.0.1 and Debian's Chromium driven by playwright-core.
// Logs in through the printed URL, opens a DAG, sees its graph, triggers it from the form, watches the tasks turn
// green without a reload, reads a task's log, clears a task as operator and is refused as viewer.
// Screenshots go to e2e/screenshots/ui-e2e/ (printed at the end). Set WEFT_EXE to the weft executable (or a .dll).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const TEST_NAME = 'ui-e2e';
const shots = resolve(import.meta.dirname, 'screenshots', TEST_NAME);
const exe = process.env.WEFT_EXE ?? resolve(import.meta.dirname, '../../src/Weft.Cli/bin/Release/net10.0/weft');
const weft = (args, opts) => (exe.endsWith('.dll') ? ['dotnet', [exe, ...args], opts] : [exe, args, opts]);

const root = mkdtempSync(join(tmpdir(), 'weft-ui-e2e-'));
mkdirSync(join(root, 'dags'));
writeFileSync(join(root, 'dags', 'demo.yaml'), `id: ui_demo
description: The end-to-end test's DAG
params: { who: world, times: 3 }
tags: [e2e]
tasks:
  - id: prepare
    command: "echo preparing"
  - id: greet
    depends_on: [prepare]
    command: "for i in $(seq \${{ params.times }}); do echo hello \${{ params.who }} $i; sleep 0.2; done"
  - id: count
    depends_on: [prepare]
    command: "echo rows=42 >> $WEFT_OUTPUT"
  - id: report
    depends_on: [greet, count]
    command: "echo done"
`);

rmSync(shots, { recursive: true, force: true });
mkdirSync(shots, { recursive: true });
let step = 0;
const shot = async (page, name) => page.screenshot({ path: join(shots, `${String(++step).padStart(2, '0')}-${name}.png`) });

const [cmd, args, opts] = weft(['server', '--urls', 'http://127.0.0.1:0'], { cwd: root, env: { ...process.env, WEFT_HOME: join(root, '.weft') } });
const server = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
server.stdout.on('data', (d) => (output += d));
server.stderr.on('data', (d) => (output += d));
const stopAll = () => server.exitCode === null && server.kill('SIGTERM');
process.on('exit', stopAll);
const killer = setTimeout(() => {
  console.error('ui e2e: timed out\n' + output);
  stopAll();
  process.exit(1);
}, 120_000);

const waitFor = async (what, check, ms = 30_000) => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

let browser;
try {
  const login = await waitFor('the login URL', () => /(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(output));
  const [loginUrl, base] = [login[0], login[1]];
  const token = (role) => {
    const [c, a, o] = weft(['tokens', 'create', '--name', `e2e-${role}`, '--role', role], { cwd: root, env: { ...process.env, WEFT_HOME: join(root, '.weft') } });
    return execFileSync(c, a, { ...o, encoding: 'utf8' }).trim().split('\n')[0].trim();
  };
  const operator = token('operator');
  const viewer = token('viewer');

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });

  // Log in through the printed URL: the token moves to localStorage and leaves the address bar.
  const admin = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  admin.on('pageerror', (e) => (output += `\n[page error] ${e.message}`));
  admin.on('console', (m) => m.type() === 'error' && (output += `\n[console] ${m.text()}`));
  const requests = [];
  admin.on('request', (r) => requests.push(r.url()));
  await admin.goto(loginUrl);
  await admin.getByRole('link', { name: 'ui_demo' }).waitFor();
  assert.ok(!admin.url().includes('token='), `the token stayed in the URL: ${admin.url()}`);
  assert.equal(await admin.evaluate(() => localStorage.getItem('weft.token')), login[2]);
  await shot(admin, 'dag-list');

  // Open the DAG and its graph.
  await admin.getByRole('link', { name: 'ui_demo' }).click();
  await admin.getByRole('tab', { name: 'Graph' }).click();
  await admin.locator('[data-testid=graph][data-ready=true]').waitFor();
  assert.equal(await admin.locator('.graph-node').count(), 4);
  await admin.evaluate(() => ((window).__sameDocument = true));
  await shot(admin, 'graph-before-run');

  // Trigger from the form built from the params, with one value changed.
  await admin.getByRole('button', { name: 'Trigger', exact: true }).click();
  const who = admin.getByRole('textbox', { name: 'who' });
  assert.equal(await who.inputValue(), 'world');
  assert.equal(await admin.getByRole('spinbutton', { name: 'times' }).inputValue(), '3');
  await who.fill('playwright');
  await shot(admin, 'trigger-form');
  await admin.getByRole('button', { name: 'Trigger run' }).click();

  // Tasks turn green through the event stream: the page is never reloaded.
  await admin.waitForFunction(() => {
    const nodes = [...document.querySelectorAll('.graph-node')];
    return nodes.length === 4 && nodes.every((n) => n.getAttribute('data-state') === 'success');
  }, null, { timeout: 30_000 });
  assert.equal(await admin.evaluate(() => (window).__sameDocument), true, 'the page was reloaded');
  const runRequests = requests.filter((u) => u.includes('/dagRuns/') && !u.includes('/logs/') && !u.includes('/attempts'));
  assert.ok(runRequests.length < 10, `the view polled runs: ${runRequests.length} requests`);
  await shot(admin, 'graph-all-green');

  // Read a task's log in the task panel.
  await admin.locator('.graph-node[data-task=greet]').click();
  await admin.getByTestId('task-panel').waitFor();
  await admin.waitForFunction(() => document.querySelector('[data-testid=log]')?.textContent?.includes('hello playwright 3'), null, { timeout: 15_000 });
  await shot(admin, 'task-log');
  const taskUrl = admin.url().replace(/^[^#]*/, '');

  // As operator: Clear is done and the task runs again.
  const op = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await op.goto(`${base}/#token=${operator}`);
  await op.getByRole('link', { name: 'ui_demo' }).waitFor();
  await op.goto(`${base}/${taskUrl}`);
  await op.getByTestId('task-panel').waitFor();
  await op.getByRole('button', { name: 'Clear', exact: true }).click();
  await op.getByRole('status').filter({ hasText: 'Cleared greet' }).waitFor();
  await op.waitForFunction(() => document.querySelector('[data-testid=task-panel] .badge')?.getAttribute('data-state') === 'success', null, { timeout: 30_000 });
  await shot(op, 'cleared-as-operator');

  // As viewer: Clear is refused, and says so.
  const view = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  await view.goto(`${base}/#token=${viewer}`);
  await view.getByRole('link', { name: 'ui_demo' }).waitFor();
  await view.goto(`${base}/${taskUrl}`);
  await view.getByTestId('task-panel').waitFor();
  await view.getByRole('button', { name: 'Clear', exact: true }).click();
  await view.getByRole('alert').filter({ hasText: 'Refused' }).waitFor();
  await shot(view, 'refused-as-viewer');

  // The dark theme, for the record.
  await admin.getByRole('tab', { name: 'Grid' }).click();
  await admin.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  await shot(admin, 'grid-other-theme');
  console.log(`ui e2e: passed (screenshots in ${shots})`);
} catch (e) {
  console.error(`ui e2e: FAILED: ${e.stack ?? e}\n--- server output ---\n${output}`);
  process.exitCode = 1;
} finally {
  clearTimeout(killer);
  await browser?.close();
  stopAll();
  rmSync(root, { recursive: true, force: true });
}
