// What the page knows of each run, merged from three sources: the metrics service's curves (the
// history, thinned on the server), the live stream (each run's latest step ~25 times a second, every
// epoch summary and evaluation) and the trainer (state and spec).

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** The palette's colours, then hues a golden angle apart: neighbours stay distinct however many runs come. */
const colour = (index) => PALETTE[index] ?? `hsl(${Math.round((index * 137.508) % 360)}, 70%, 40%)`;

/** JSON numbers that are not finite arrive as the strings "NaN", "Infinity": a chart draws them as gaps. */
const finite = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const percent = (fraction) => (finite(fraction) === null ? null : 100 * fraction);

function newRun(id, index) {
  return {
    id,
    color: colour(index),
    shown: true, // on the charts (the table's checkbox)
    state: null, // the trainer's; null while it has not said (or does not know the run)
    reason: null,
    spec: null,
    optimizer: null,
    lr: null,
    batchSize: null,
    epoch: 0,
    step: 0,
    lastLoss: null,
    imagesPerSecond: null,
    total: 0, // step-loss points the metrics service held at the last fetch (the page draws a thinned copy)
    loss: { steps: [], values: [] },
    liveSince: 0, // points appended from the stream since the last thinned copy
    epochs: { epoch: [], runningLoss: [] },
    evaluations: { step: [], accuracy: [] },
  };
}

/** Puts (x, y) into parallel arrays sorted by x: replaces the point at x, appends past the end. */
function put(xs, ys, x, y) {
  let i = xs.length;
  while (i > 0 && xs[i - 1] > x) i--;
  if (i > 0 && xs[i - 1] === x) ys[i - 1] = y;
  else {
    xs.splice(i, 0, x);
    ys.splice(i, 0, y);
  }
}

/**
 * Two curves sorted by x as one, b's point winning where both have an x: the server's history and
 * what the stream brought while it was on its way (neither loses a point the other lacks).
 */
function merge(a, b) {
  const [ax, ay, bx, by] = [a[0], a[1], b[0], b[1]];
  const xs = [];
  const ys = [];
  let i = 0;
  let j = 0;
  while (i < ax.length || j < bx.length) {
    if (j >= bx.length || (i < ax.length && ax[i] < bx[j])) {
      xs.push(ax[i]);
      ys.push(ay[i++]);
    } else {
      if (i < ax.length && ax[i] === bx[j]) i++;
      xs.push(bx[j]);
      ys.push(by[j++]);
    }
  }
  return [xs, ys];
}

export class RunStore {
  constructor() {
    this.byId = new Map();
    // bumped when that part of some run's data changes: a chart redraws only when its part did
    this.versions = { loss: 0, epochs: 0, evaluations: 0 };
  }

  changed(...parts) {
    for (const part of parts) this.versions[part]++;
  }

  /** Runs in the order first seen. */
  all() {
    return [...this.byId.values()];
  }

  get(id) {
    let r = this.byId.get(id);
    if (!r) {
      r = newRun(id, this.byId.size);
      this.byId.set(id, r);
    }
    return r;
  }

  /** GET /api/curves: each run's history replaces what the page had, keeping stream points newer than it. */
  applyCurves(list) {
    this.changed('loss', 'epochs', 'evaluations');
    for (const c of list) {
      const r = this.get(c.runId);
      const steps = c.loss.steps;
      const last = steps.length ? steps[steps.length - 1] : 0;
      const newer = r.loss.steps.findIndex((s) => s > last);
      const keep = newer < 0 ? 0 : r.loss.steps.length - newer;
      r.loss = {
        steps: steps.concat(keep ? r.loss.steps.slice(newer) : []),
        values: c.loss.loss.map(finite).concat(keep ? r.loss.values.slice(newer) : []),
      };
      r.total = c.loss.total;
      r.liveSince = keep;
      if (c.step >= r.step) {
        Object.assign(r, { epoch: c.epoch, step: c.step, lastLoss: finite(c.lastLoss), imagesPerSecond: finite(c.imagesPerSecond) });
      }
      if (c.optimizer !== 'unknown') Object.assign(r, { optimizer: c.optimizer, lr: finite(c.lr), batchSize: c.batchSize });
      const [epoch, runningLoss] = merge([r.epochs.epoch, r.epochs.runningLoss], [c.epochs.epoch, c.epochs.runningLoss.map(finite)]);
      r.epochs = { epoch, runningLoss };
      const [step, accuracy] = merge([r.evaluations.step, r.evaluations.accuracy], [c.evaluations.step, c.evaluations.accuracy.map(percent)]);
      r.evaluations = { step, accuracy };
    }
  }

  /** A zoomed-in stretch of a run's curve (steps from..to, both included) replaces the thinner one there. */
  applyDetail(id, from, to, curve) {
    this.changed('loss');
    const r = this.get(id);
    const before = r.loss.steps.findIndex((s) => s >= from);
    const start = before < 0 ? r.loss.steps.length : before;
    let end = start;
    while (end < r.loss.steps.length && r.loss.steps[end] <= to) end++;
    r.loss.steps.splice(start, end - start, ...curve.steps);
    r.loss.values.splice(start, end - start, ...curve.loss.map(finite));
  }

  /** A "step" event from /api/stream. */
  applyStep(e) {
    const r = this.get(e.runId);
    if (e.step <= r.step) return;
    this.changed('loss');
    Object.assign(r, { epoch: e.epoch, step: e.step, lastLoss: finite(e.loss), imagesPerSecond: finite(e.imagesPerSecond) });
    Object.assign(r, { optimizer: e.optimizer, lr: finite(e.lr), batchSize: e.batchSize });
    r.loss.steps.push(e.step);
    r.loss.values.push(finite(e.loss));
    r.liveSince++;
  }

  /** An "epoch" event: the epoch's running loss. */
  applyEpoch(e) {
    const r = this.get(e.runId);
    this.changed('epochs');
    put(r.epochs.epoch, r.epochs.runningLoss, e.epoch, finite(e.runningLoss));
  }

  /** An "evaluation" event: a snapshot's test accuracy, in %. */
  applyEvaluation(e) {
    const r = this.get(e.runId);
    this.changed('evaluations');
    put(r.evaluations.step, r.evaluations.accuracy, e.step, percent(e.accuracy));
  }

  /** GET /api/runs (the trainer): state and spec of every run it knows. */
  applyStates(views) {
    for (const v of views) Object.assign(this.get(v.id), { state: v.state, reason: v.reason, spec: v.spec });
  }
}

/** Runs the trainer has not finished: drawn last, on top of finished ones that share their steps. */
export const isActive = (r) => r.state === 'PENDING' || r.state === 'RUNNING' || r.state === 'PAUSED';

const fmt = (x) => String(+x.toPrecision(3));

/** The run's name in legends: optimizer and the hyper-parameters that tell runs apart, then the id. */
export function label(r) {
  const o = r.spec?.optimizer ?? {};
  const type = o.type ?? r.optimizer ?? '?';
  const parts = [type];
  if (o.momentum) parts.push(`momentum ${fmt(o.momentum)}${o.nesterov ? ' nesterov' : ''}`);
  if (o.centered) parts.push('centered');
  if (o.weightDecay) parts.push(`wd ${fmt(o.weightDecay)}`);
  const lr = o.lr ?? r.lr;
  if (lr != null) parts.push(`lr ${fmt(lr)}`);
  const batch = r.spec?.batchSize ?? r.batchSize;
  if (batch != null) parts.push(`bs ${batch}`);
  return `${parts.join(' ')} (${r.id})`;
}
