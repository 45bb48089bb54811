// Drives the metrics service's dashboard in headless Chromium (the system's /usr/bin/chromium through
// playwright-core) for DashboardIT: loads the page, watches the runs' curves appear and grow, zooms
// in, pauses a run through the page's controls (first without a token, then with it pasted), and keeps
// a screenshot. It measures and reports; DashboardIT decides. Output: progress on stderr, then one
// line "RESULT {json}" on stdout.
//
// Environment: DASHBOARD_URL, API_TOKEN, RUNS (ids of training runs, comma-separated), PAUSE_RUN,
// BIG_RUNS (ids of runs with many points), SCREENSHOT (a .png path), CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name, fallback) => process.env[name] ?? fallback ?? fail(`${name} is not set`);
const list = (name) => env(name, '').split(',').filter(Boolean);
function fail(message) {
  throw new Error(message);
}
const log = (...args) => console.error('[dashboard-check]', ...args);

const url = env('DASHBOARD_URL');
const runs = list('RUNS');
const bigRuns = list('BIG_RUNS');
const pauseRun = env('PAUSE_RUN');
const result = { runs: {}, bigRuns: {}, timings: {}, pageErrors: [] };

/** Waits until check() (run in Node, may evaluate in the page) returns a truthy value; returns it, or null after timeoutMs. */
async function until(check, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

const profile = mkdtempSync(join(tmpdir(), 'backstream-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => result.pageErrors.push(e.message));
  // main-thread tasks over 50 ms, as the browser counts them: what makes a page feel stuck
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.longTasks.push(e.duration))).observe({ type: 'longtask' });
  });
  const status = () => page.evaluate(() => window.dashboard?.status());
  const byId = (s) => Object.fromEntries((s?.runs ?? []).map((r) => [r.id, r]));

  const started = Date.now();
  await page.goto(url);
  log('loaded', url);

  // 1. every run's curve appears, the big ones thinned; the training runs' states arrive (active runs are drawn on top)
  const all = [...runs, ...bigRuns];
  const rowsShown = () => page.evaluate((ids) => ids.every((id) => document.querySelector(`tr[data-run="${id}"] .swatch`)), all);
  const first = await until(async () => {
    const s = byId(await status());
    return all.every((id) => s[id]?.lossPoints > 0) && runs.every((id) => s[id].state === 'RUNNING') && (await rowsShown()) && s;
  }, 60_000);
  if (!first) fail(`not every run's curve and row appeared within 60 s: ${JSON.stringify(await status())}`);
  await page.waitForTimeout(500); // the draw that follows the data (a few times a second)
  result.timings.allCurvesMs = first ? Date.now() - started : null;
  log('curves of', all.length, 'runs after', result.timings.allCurvesMs, 'ms');
  const stats = (await status()).stats;
  result.timings.firstLoadRenderMs = stats.maxRenderMs;

  // which of the loss chart's pixels are each run's colour: the curve is drawn, not only counted
  const pixels = () =>
    page.evaluate((ids) => {
      const canvas = document.querySelector('#loss-chart canvas');
      const rows = Object.fromEntries(ids.map((id) => [id, getComputedStyle(document.querySelector(`tr[data-run="${id}"] .swatch`)).backgroundColor]));
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const counts = {};
      for (const [id, css] of Object.entries(rows)) {
        const [r, g, b] = css.match(/\d+/g).map(Number);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40 && data[i + 3] > 200) n++;
        counts[id] = n;
      }
      return counts;
    }, all);

  // 2. the training runs' curves grow without a reload
  const before = byId(await status());
  const beforePixels = await pixels();
  await page.waitForTimeout(6000);
  const after = byId(await status());
  for (const id of runs) {
    result.runs[id] = {
      label: after[id]?.label,
      stepBefore: before[id]?.step,
      stepAfter: after[id]?.step,
      pointsBefore: before[id]?.lossPoints,
      pointsAfter: after[id]?.lossPoints,
      pixelsBefore: beforePixels[id],
      pixelsAfter: (await pixels())[id],
      epochs: after[id]?.epochs,
      evaluations: after[id]?.evaluations,
      imagesPerSecond: after[id]?.imagesPerSecond,
    };
  }
  for (const id of bigRuns) {
    result.bigRuns[id] = { label: after[id]?.label, total: after[id]?.total, drawn: after[id]?.lossPoints, pixels: beforePixels[id] };
  }
  const live = (await status()).stats;
  Object.assign(result.timings, { renders: live.renders, lastRenderMs: live.lastRenderMs, maxRenderMs: live.maxRenderMs, events: live.events });

  // 3. zoom in on the middle tenth of the loss chart: the page asks for that stretch in detail
  const overview = byId(await status());
  await page.locator('#loss-chart').scrollIntoViewIfNeeded();
  const box = await page.locator('#loss-chart .u-over').boundingBox();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const zoomStarted = Date.now();
  const refined = bigRuns.length
    ? await until(async () => {
        const s = byId(await status());
        return bigRuns.every((id) => s[id]?.lossPoints > overview[id].lossPoints) && s;
      }, 15_000)
    : null;
  result.zoom = {
    refinedMs: refined ? Date.now() - zoomStarted : null,
    points: Object.fromEntries(bigRuns.map((id) => [id, { before: overview[id]?.lossPoints, after: refined?.[id]?.lossPoints }])),
  };
  await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2); // back out

  // 4. pause without a token: the trainer says no, the page says why
  const row = page.locator(`tr[data-run="${pauseRun}"]`);
  await page.fill('#token', '');
  await row.locator('button[data-action="pause"]').click();
  result.withoutToken = await until(async () => {
    const text = await page.textContent('#message');
    return text && text.trim() ? text : null;
  }, 15_000);
  log('without a token:', result.withoutToken);

  // 5. paste the token, pause: the row shows PAUSED
  await page.fill('#token', env('API_TOKEN'));
  const pauseClicked = Date.now();
  await row.locator('button[data-action="pause"]').click();
  result.pausedShown = (await until(async () => (await row.getAttribute('data-state')) === 'PAUSED', 20_000)) === true;
  result.timings.pauseShownMs = result.pausedShown ? Date.now() - pauseClicked : null;
  result.message = await page.textContent('#message');
  result.tokenStatus = await page.textContent('#token-status');
  result.tokenInSessionStorage = await page.evaluate(() => sessionStorage.getItem('backstream.apiToken') !== null);
  result.resumeEnabled = await row.locator('button[data-action="resume"]').isEnabled();
  log('paused shown:', result.pausedShown, result.message);

  result.longTasks = await page.evaluate(() => ({ count: window.longTasks.length, maxMs: Math.max(0, ...window.longTasks) }));
  await page.waitForTimeout(1500);
  await page.screenshot({ path: env('SCREENSHOT'), fullPage: true });
  result.screenshot = env('SCREENSHOT');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`RESULT ${JSON.stringify(result)}`);
