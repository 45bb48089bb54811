// The run table: each run's state (the trainer's), progress and throughput (the stream's), latest
// accuracy, and its controls. Rows are made once and updated in place, so a button does not move
// or vanish under the pointer while the numbers change several times a second; a row moves only
// when its run starts or ends (active runs are listed first).
import { isActive, label } from './runs.js';

/** Which controls a state allows (the trainer answers 409 to the others). */
const ACTIONS = {
  PENDING: ['pause', 'stop'],
  RUNNING: ['pause', 'stop'],
  PAUSED: ['resume', 'stop'],
};

const number = (v, digits) => (v == null ? '–' : v.toLocaleString('en', { maximumFractionDigits: digits }));
/** Losses near zero keep their digits (Adam on easy data gets to 1e-5). */
const loss = (v) => (v == null ? '–' : v !== 0 && Math.abs(v) < 0.001 ? v.toExponential(2) : v.toFixed(4));

export class RunTable {
  /** onAction(runId, action) is called when a control is clicked, onShow(runId, shown) when a run's checkbox is. */
  constructor(tbody, onAction, onShow) {
    this.tbody = tbody;
    this.rows = new Map();
    this.order = '';
    tbody.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-action]');
      if (button) onAction(button.closest('tr').dataset.run, button.dataset.action);
    });
    tbody.addEventListener('change', (e) => {
      if (e.target.matches('input[data-show]')) onShow(e.target.closest('tr').dataset.run, e.target.checked);
    });
  }

  /** Active runs first, then the others; newest first within each (the store lists runs first seen first). */
  render(runs) {
    const ordered = [...runs].reverse();
    ordered.sort((a, b) => isActive(b) - isActive(a)); // stable: keeps newest first inside each group
    const order = ordered.map((r) => r.id).join(' ');
    for (const r of ordered) {
      const row = this.rows.get(r.id) ?? this.add(r);
      const accuracy = r.evaluations.accuracy.at(-1);
      const cells = {
        label: label(r),
        state: r.state ?? 'unknown to the trainer',
        epoch: number(r.epoch, 0),
        step: number(r.step, 0),
        loss: loss(r.lastLoss),
        rate: number(r.imagesPerSecond, 0),
        accuracy: accuracy == null ? '–' : `${accuracy.toFixed(2)} %`,
      };
      for (const [name, text] of Object.entries(cells)) {
        const cell = row.querySelector(`[data-cell="${name}"]`);
        if (cell.textContent !== text) cell.textContent = text;
      }
      row.querySelector('[data-cell="state"]').title = r.reason ?? '';
      row.dataset.state = r.state ?? '';
      const allowed = ACTIONS[r.state] ?? [];
      for (const button of row.querySelectorAll('button[data-action]')) button.disabled = !allowed.includes(button.dataset.action);
    }
    if (order !== this.order) {
      this.order = order;
      for (const r of ordered) this.tbody.append(this.rows.get(r.id)); // moves rows, keeps them (and their listeners)
    }
  }

  add(r) {
    const row = document.createElement('tr');
    row.dataset.run = r.id;
    row.innerHTML = `
      <td><label><input type="checkbox" data-show checked title="draw this run on the charts"><span class="swatch"></span><span data-cell="label"></span></label></td>
      <td data-cell="state"></td>
      <td class="num" data-cell="epoch"></td>
      <td class="num" data-cell="step"></td>
      <td class="num" data-cell="loss"></td>
      <td class="num" data-cell="rate"></td>
      <td class="num" data-cell="accuracy"></td>
      <td class="controls">
        <button data-action="pause">Pause</button><button data-action="resume">Resume</button><button data-action="stop">Stop</button>
      </td>`;
    row.querySelector('.swatch').style.background = r.color;
    this.rows.set(r.id, row);
    return row;
  }
}
