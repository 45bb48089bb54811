// The three charts, one series per run in the run's colour, its optimizer in the legend: loss per
// step, running loss per epoch, test accuracy per snapshot. uPlot draws a few thousand points per
// run in milliseconds; the metrics service thins every curve to about two points per pixel column
// before it gets here, and the loss chart asks for a finer copy of whatever stretch is zoomed in on.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { label } from './runs.js';

export const CHARTS = [
  { id: 'loss-chart', part: 'loss', x: 'step', y: 'loss', height: 320, zoomable: true, curve: (r) => [r.loss.steps, r.loss.values] },
  // the two small charts leave their legend to the run table's colours (with many runs it would dwarf them)
  { id: 'epoch-chart', part: 'epochs', x: 'epoch', y: 'running loss', height: 240, markers: true, wholeX: true, legend: false, curve: (r) => [r.epochs.epoch, r.epochs.runningLoss] },
  { id: 'accuracy-chart', part: 'evaluations', x: 'step', y: 'test accuracy (%)', height: 240, markers: true, legend: false, curve: (r) => [r.evaluations.step, r.evaluations.accuracy] },
];

/** The runs' curves on one x axis: uPlot takes [xs, ys of run 1, ys of run 2, …], a run's missing x as a gap it spans. */
function aligned(tables) {
  return tables.length ? uPlot.join(tables) : [[]];
}

/** One chart. onZoom(from, to) is called (debounced) when the user zooms the x axis in; onZoom(null) when back out. */
export class RunChart {
  constructor(element, spec, onZoom = () => {}) {
    this.element = element;
    this.spec = spec;
    this.onZoom = onZoom;
    this.plot = null;
    this.series = ''; // which runs and labels the plot was built for
    this.drawn = -1; // the version of its part of the data the plot shows
    this.zoom = null; // {from, to} while zoomed in
    this.zoomTimer = 0;
  }

  /** Draws the runs' curves if they changed since the last time: version is that of the chart's part of the data. */
  render(runs, version) {
    const series = runs.map((r) => `${r.id} ${label(r)} ${r.color} ${r.shown}`).join('\n');
    if (this.plot && series === this.series && version === this.drawn) return; // a redraw costs tens of ms: only for news
    this.drawn = version;
    const data = aligned(runs.map(this.spec.curve));
    if (this.plot && series === this.series) {
      this.plot.setData(data, this.zoom === null); // keep a zoom the user chose
      return;
    }
    this.plot?.destroy();
    this.series = series;
    this.zoom = null;
    this.plot = new uPlot(this.options(runs), data, this.element);
  }

  resize() {
    this.plot?.setSize({ width: this.width(), height: this.spec.height });
  }

  width() {
    return Math.max(300, this.element.clientWidth);
  }

  /** How many points per run make the chart as detailed as its pixels allow: min and max per column. */
  pointsWanted() {
    return Math.min(8000, Math.max(500, 2 * this.width()));
  }

  options(runs) {
    const { x, y, height, markers, zoomable, wholeX, legend } = this.spec;
    return {
      width: this.width(),
      height,
      scales: { x: { time: false } },
      axes: [{ label: x, ...(wholeX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : {}) }, { label: y }],
      cursor: { sync: { key: x }, drag: { x: zoomable === true, y: false } },
      legend: { show: legend !== false },
      series: [
        { label: x },
        ...runs.map((r) => ({ label: label(r), show: r.shown, stroke: r.color, width: 1.5, spanGaps: true, points: { show: markers === true } })),
      ],
      hooks: { setScale: [(u, key) => key === 'x' && this.scaleChanged(u)] },
    };
  }

  scaleChanged(u) {
    const xs = u.data[0];
    const { min, max } = u.scales.x;
    const zoomed = xs.length > 1 && (min > xs[0] || max < xs[xs.length - 1]);
    this.zoom = zoomed ? { from: min, to: max } : null;
    clearTimeout(this.zoomTimer);
    this.zoomTimer = setTimeout(() => this.onZoom(this.zoom), 300);
  }
}
