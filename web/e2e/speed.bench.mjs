// Speed of the web UI in Chromium (not part of the tests): the first page from a cold load, a 1,000-task graph and
// a grid of 100 runs × 1,000 tasks once their data has arrived (the big DAG's answers are served by the page's
// route handler, so only the UI's own work is timed), and the gzipped size of the JavaScript.
// Usage: WEFT_EXE=path/to/weft node e2e/speed.bench.mjs   (numbers recorded in bench/README.md)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const exe = process.env.WEFT_EXE ?? resolve(import.meta.dirname, '../../src/Weft.Cli/bin/Release/net10.0/weft');
const root = mkdtempSync(join(tmpdir(), 'weft-ui-bench-'));
mkdirSync(join(root, 'dags'));
writeFileSync(join(root, 'dags', 'small.yaml'), 'id: small\ntasks:\n  - id: a\n');
const server = spawn(exe, ['server', '--urls', 'http://127.0.0.1:0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
server.stdout.on('data', (d) => (out += d));
const login = await new Promise((ok) => {
  const t = setInterval(() => {
    const m = /(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(out);
    if (m) ok(m), clearInterval(t);
  }, 50);
});

const TASKS = 1000, RUNS = 100;
const tasks = Array.from({ length: TASKS }, (_, i) => ({
  task_id: `task_${String(i).padStart(4, '0')}`, type: 'shell', depends_on: i < 20 ? [] : [`task_${String(Math.floor((i - 20) / 3)).padStart(4, '0')}`, `task_${String(i - 1 - (i % 7)).padStart(4, '0')}`].filter((v, j, a) => a.indexOf(v) === j),
  trigger_rule: 'all_success', retries: 0, pool: 'default_pool', queue: 'default', priority: 0,
}));
const states = ['success', 'success', 'success', 'failed', 'running', 'queued', 'skipped', 'upstream_failed', 'up_for_retry', 'none'];
const dag = { dag_id: 'big', display_name: null, description: '1,000 tasks', file_location: null, is_paused: false, schedule: null, timezone: 'UTC', tags: [], params: {}, max_active_runs: 16, max_active_tasks: 16, tasks, hash: 'x', load_error: null, updated_at: new Date().toISOString() };
const grid = { dag_id: 'big', task_ids: tasks.map((t) => t.task_id), total_entries: RUNS, dag_runs: Array.from({ length: RUNS }, (_, r) => ({
  run_id: `run_${r}`, state: 'success', run_type: 'manual', logical_date: null, start_date: null, end_date: null,
  states: tasks.map((_, i) => states[(i * 7 + r) % states.length]), tries: tasks.map(() => 1) })) };
const gridBody = JSON.stringify(grid);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const results = {};
try {
  // First page, cold: a new browser context (empty cache), until the DAG list shows.
  for (let i = 0; i < 3; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(login[0]);
    await page.getByRole('link', { name: 'small' }).waitFor();
    const ms = await page.evaluate(() => performance.now());
    (results.firstPageMs ??= []).push(Math.round(ms));
    await ctx.close();
  }

  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.route('**/api/v1/dags/big', (r) => r.fulfill({ json: dag }));
  await page.route('**/api/v1/dags/big/grid*', (r) => r.fulfill({ body: gridBody, contentType: 'application/json' }));
  await page.route('**/api/v1/events/stream*', (r) => r.abort());
  await page.goto(login[0]);
  await page.getByRole('link', { name: 'small' }).waitFor();

  // Graph: from the data's arrival (the layout starts) to laid out and drawn, then a click answered.
  for (let i = 0; i < 3; i++) {
    await page.goto(`${login[1]}/#/dags/small`);
    await page.goto(`${login[1]}/#/dags/big?tab=Graph`);
    await page.locator('[data-testid=graph][data-ready=true]').waitFor({ timeout: 30000 });
    await page.locator('.graph-node').first().click();
    await page.getByTestId('task-panel').waitFor();
    const ms = await page.evaluate(() => {
      const data = performance.getEntriesByName('weft-graph-data').at(-1).startTime;
      return performance.now() - data;
    });
    (results.graph1000InteractiveMs ??= []).push(Math.round(ms));
  }

  // Grid: from the grid answer's arrival to the cells drawn, then scrolled to the last task and drawn again.
  for (let i = 0; i < 3; i++) {
    await page.goto(`${login[1]}/#/dags/small`);
    const arrived = page.waitForResponse('**/grid*').then(() => Date.now());
    await page.goto(`${login[1]}/#/dags/big?tab=Grid&runs=${100 - i}`);
    const t0 = await arrived;
    await page.locator('[role=gridcell]').first().waitFor();
    const drawn = Date.now() - t0;
    const s0 = Date.now();
    await page.locator('[data-testid=grid]').evaluate((e) => (e.scrollTop = e.scrollHeight));
    await page.locator('[data-task=task_0999]').first().waitFor();
    (results.grid100x1000Ms ??= []).push(drawn);
    (results.gridScrollToEndMs ??= []).push(Date.now() - s0);
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}

const dist = resolve(import.meta.dirname, '../dist/assets');
const js = readdirSync(dist).filter((f) => f.endsWith('.js') && !f.startsWith('elk-worker'));
results.jsGzipKb = Object.fromEntries(js.map((f) => [f.replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js'), +(gzipSync(readFileSync(join(dist, f))).length / 1024).toFixed(1)]));
const worker = readdirSync(dist).find((f) => f.startsWith('elk-worker'));
results.elkWorkerGzipKb = +(gzipSync(readFileSync(join(dist, worker))).length / 1024).toFixed(1);
console.log(JSON.stringify(results, null, 2));
