// The metrics service's live dashboard: every run's loss per step, running loss per epoch and test
// accuracy per snapshot on shared charts, a table of states and throughput, and the controls. History
// comes from GET /api/curves (thinned on the server), what follows from the server-sent events of
// /api/stream, states from the trainer every two seconds; nothing reloads the page.
import './dashboard.css';
import { api, token, ApiError } from './api.js';
import { RunStore, isActive } from './runs.js';
import { CHARTS, RunChart } from './charts.js';
import { RunTable } from './table.js';

const RENDER_EVERY_MS = 250; // the stream brings up to ~25 steps a second per run: draw a few times a second
const STATE_POLL_MS = 2000;
const REFETCH_MIN_MS = 10_000; // at most this often, the history again (when live points pile up or after a reconnect)

const $ = (id) => document.getElementById(id);
const store = new RunStore();
const charts = CHARTS.map((spec) => new RunChart($(spec.id), spec, spec.zoomable ? (zoom) => refine(zoom) : undefined));
const lossChart = charts[0];
const table = new RunTable($('runs').querySelector('tbody'), control, (id, shown) => {
  store.get(id).shown = shown;
  scheduleRender();
});
/** For the browser test and the curious (window.dashboard.status() in the console). */
const stats = { renders: 0, lastRenderMs: 0, maxRenderMs: 0, curveLoads: 0, events: 0, stream: 'connecting' };

// ---- drawing: at most every RENDER_EVERY_MS, whatever the event rate

let renderPending = false;

function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(() => requestAnimationFrame(render), RENDER_EVERY_MS);
}

function render() {
  renderPending = false;
  const started = performance.now();
  const runs = store.all();
  $('empty').hidden = runs.length > 0;
  table.render(runs);
  const drawOrder = runs.filter((r) => !isActive(r)).concat(runs.filter(isActive));
  for (const chart of charts) chart.render(drawOrder, store.versions[chart.spec.part]);
  const took = performance.now() - started;
  Object.assign(stats, { renders: stats.renders + 1, lastRenderMs: took, maxRenderMs: Math.max(stats.maxRenderMs, took) });
  // the stream's points are a sample (each run's latest step per poll): the server's thinned copy has them all
  if (runs.some((r) => r.liveSince > lossChart.pointsWanted() / 2)) loadCurves();
}

// ---- data

let lastLoad = -Infinity;
let loading = null;

/** The history of every run (GET /api/curves); at most every REFETCH_MIN_MS unless forced. */
function loadCurves(force = false) {
  if (loading || (!force && performance.now() - lastLoad < REFETCH_MIN_MS)) return loading;
  lastLoad = performance.now();
  loading = api
    .curves(lossChart.pointsWanted())
    .then((answer) => {
      store.applyCurves(answer.runs);
      stats.curveLoads++;
      say('metrics-status', '');
      if (lossChart.zoom) refine(lossChart.zoom);
    })
    .catch((e) => say('metrics-status', `metrics service: ${e.message}`, true))
    .finally(() => {
      loading = null;
      scheduleRender();
    });
  return loading;
}

/** The zoomed-in stretch of the loss chart, as detailed as the whole was. */
async function refine(zoom) {
  if (!zoom) return;
  const wanted = lossChart.pointsWanted();
  await Promise.all(
    store
      .all()
      .filter((r) => r.shown && r.loss.steps.length && r.loss.steps[0] <= zoom.to && r.loss.steps.at(-1) >= zoom.from)
      .map((r) => api.lossBetween(r.id, zoom.from, zoom.to, wanted).then((curve) => store.applyDetail(r.id, zoom.from, zoom.to, curve), () => {})),
  );
  scheduleRender();
}

async function pollStates() {
  try {
    store.applyStates(await api.runs());
    say('trainer-status', '');
  } catch (e) {
    say('trainer-status', `trainer: ${e.message}`, true);
  }
  scheduleRender();
}

function connectStream() {
  const source = new EventSource('/api/stream');
  source.onopen = () => {
    setStream('live');
    loadCurves(true); // whatever happened before (or while the connection was down)
  };
  source.onerror = () => setStream('reconnecting…'); // EventSource reconnects by itself
  const handlers = { step: (e) => store.applyStep(e), epoch: (e) => store.applyEpoch(e), evaluation: (e) => store.applyEvaluation(e) };
  for (const [name, apply] of Object.entries(handlers)) {
    source.addEventListener(name, (message) => {
      apply(JSON.parse(message.data));
      stats.events++;
      scheduleRender();
    });
  }
}

function setStream(state) {
  stats.stream = state;
  $('stream-status').textContent = state;
  $('stream-status').className = state === 'live' ? 'ok' : 'warn';
}

// ---- controls

function say(id, text, isError = false) {
  $(id).textContent = text;
  $(id).className = isError ? 'error' : 'ok';
}

function explain(e, what) {
  if (e instanceof ApiError && e.status === 401) return `${what}: the trainer wants an operator token: paste it above (./backstream demo keeps it in work/api-token)`;
  if (e instanceof ApiError && e.status === 403) return `${what}: this token may only read; pausing, resuming, stopping and starting need the operator role`;
  return `${what}: ${e instanceof ApiError ? `${e.status} ` : ''}${e.message}`;
}

async function control(runId, action) {
  try {
    const view = await api.control(runId, action);
    store.applyStates([view]);
    say('message', `${runId}: ${action} → ${view.state}`);
  } catch (e) {
    say('message', explain(e, `${action} ${runId}`), true);
  }
  scheduleRender();
}

/** Optimizer presets of the start form: the four the dashboard is for comparing, plus AdamW. */
const PRESETS = {
  sgd: { type: 'sgd' },
  momentum: { type: 'sgd', momentum: 0.9 },
  adam: { type: 'adam' },
  adamw: { type: 'adamw' },
  rmsprop: { type: 'rmsprop' },
};

async function startRun(form) {
  const f = new FormData(form);
  const optimizer = { ...PRESETS[f.get('optimizer')] };
  if (f.get('lr')) optimizer.lr = Number(f.get('lr'));
  const spec = { optimizer, batchSize: Number(f.get('batchSize')), epochs: Number(f.get('epochs')) };
  try {
    const { id } = await api.startRun(spec);
    say('message', `started ${id}`);
    pollStates();
  } catch (e) {
    say('message', explain(e, 'start'), true);
  }
}

function wireToken() {
  const input = $('token');
  const remember = $('remember-token');
  input.value = token.get();
  remember.checked = token.remembered();
  const save = () => {
    token.set(input.value.trim(), remember.checked);
    $('token-status').textContent = !input.value.trim() ? 'none: reads only' : remember.checked ? 'kept in this browser' : 'kept in this tab';
  };
  input.addEventListener('input', save);
  remember.addEventListener('change', save);
  save();
}

// ---- start

wireToken();
$('start-form').addEventListener('submit', (e) => {
  e.preventDefault();
  startRun(e.target);
});
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
window.dashboard = {
  status: () => ({
    stats: { ...stats },
    runs: store.all().map((r) => ({
      id: r.id,
      state: r.state,
      label: table.rows.get(r.id)?.querySelector('[data-cell="label"]').textContent ?? null,
      step: r.step,
      lossPoints: r.loss.steps.length,
      total: r.total,
      epochs: r.epochs.epoch.length,
      evaluations: r.evaluations.step.length,
      imagesPerSecond: r.imagesPerSecond,
    })),
  }),
};
connectStream();
pollStates();
setInterval(pollStates, STATE_POLL_MS);
render();
