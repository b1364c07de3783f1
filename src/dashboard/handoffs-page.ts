import { formatDuration } from '../core/duration';
import { formatInZone } from '../core/zoned-time';
import type { Handoff } from '../handoff/model';
import { dateLabel } from '../standup/schedule';
import type { Period } from './filters';
import { shiftChart } from './handoffs-chart';
import { noteTiming, type RotationHandoffs } from './handoffs-data';
import { html, type Html } from './html';
import { layout, type Viewer } from './pages';
import type { Reader } from './rich-html';

export interface HandoffsView {
  /** The dates typed in the form (blank when the default is used). */
  readonly typed: { readonly from?: string | undefined; readonly to?: string | undefined };
  readonly period: Period | null;
  readonly problem?: string;
  readonly rotations: readonly RotationHandoffs[];
  /** Rows of each rotation's list shown at most. */
  readonly listRows: number;
  readonly reader: Reader;
}

const pct = (rate: number | null) => (rate === null ? 'n/a' : `${Math.round(rate * 100)}%`);
const dur = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(ms));

function at(d: Date | null, zone: string, none: string): Html {
  return d ? html`<time datetime="${d.toISOString()}">${formatInZone(d, zone)}</time>` : html`<span class="muted">${none}</span>`;
}

function figuresTable(r: RotationHandoffs): Html {
  const s = r.stats;
  const rows: [string, string][] = [
    ['Handoffs', String(s.handoffs)],
    ['Notes written on time', `${s.notesOnTime} of ${s.handoffs}`],
    ['Notes written late', `${s.notesLate} of ${s.handoffs}`],
    ['Notes missing', `${s.notesMissing} of ${s.handoffs}`],
    ['Confirmation rate', `${pct(s.confirmationRate)} (${s.confirmed} of ${s.delivered} delivered)`],
    ['Median time to confirm', dur(s.medianTimeToConfirmMs)],
    ['p90 time to confirm', dur(r.p90TimeToConfirmMs)],
    ['Outgoing people chased for a note', String(s.chased)],
    ['Raised to the supervisor', String(s.raisedToSupervisor)],
  ];
  return html`<div class="table-wrap"><table class="figures">
<caption>${r.rotation.name}: figures for the period</caption>
<tbody>
${rows.map(
  ([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>
`,
)}</tbody>
</table></div>`;
}

function shiftsTable(r: RotationHandoffs): Html {
  if (r.byShift.length === 0) return html``;
  return html`<div class="table-wrap"><table class="figures">
<caption>${r.rotation.name}: time to confirm by shift (shift times in ${r.zone})</caption>
<thead><tr><th scope="col">Shift</th><th scope="col">Handoffs</th><th scope="col">Confirmed</th><th scope="col">Median time to confirm</th><th scope="col">p90 time to confirm</th></tr></thead>
<tbody>
${r.byShift.map(
  (
    s,
  ) => html`<tr><th scope="row">${s.shift}</th><td>${s.handoffs}</td><td>${s.confirmed} of ${s.delivered} delivered</td><td>${dur(s.medianMs)}</td><td>${dur(s.p90Ms)}</td></tr>
`,
)}</tbody>
</table></div>
<div class="shift-chart">${shiftChart(`chart-shifts-${r.rotation.id}`, `${r.rotation.name}: time to confirm by shift`, r.byShift)}</div>`;
}

/** Text says each state; the class only adds colour. */
function noteCell(h: Handoff, zone: string): Html {
  const timing = noteTiming(h);
  if (timing === 'missing') return html`<span class="overdue">Missing</span>`;
  return html`${at(h.noteWrittenAt, zone, '')}${timing === 'late' ? html` <span class="overdue">(late)</span>` : ' (on time)'}`;
}

function raisedCell(h: Handoff, zone: string): Html {
  const parts: Html[] = [];
  if (h.supervisorNoteAt) parts.push(html`No note: ${at(h.supervisorNoteAt, zone, '')}`);
  if (h.supervisorConfirmAt) parts.push(html`Not confirmed: ${at(h.supervisorConfirmAt, zone, '')}`);
  return parts.length ? html`${parts.map((p, i) => html`${i ? html`<br>` : ''}${p}`)}` : html`No`;
}

function listTable(r: RotationHandoffs, viewer: Viewer, reader: Reader, limit: number): Html {
  if (r.handoffs.length === 0) return html`<p>No shift changes in this period.</p>`;
  const name = (id: string | null) => (id ? (reader.names.get(id) ?? id) : 'nobody');
  const shown = r.handoffs.slice(0, limit);
  return html`${shown.length < r.handoffs.length ? html`<p>The newest ${shown.length} of ${r.handoffs.length} handoffs; the export holds them all.</p>` : ''}
<div class="table-wrap"><table>
<caption>${r.rotation.name}: handoffs, newest first</caption>
<thead><tr><th scope="col">Shift change</th><th scope="col">Outgoing</th><th scope="col">Incoming</th><th scope="col">Note written</th><th scope="col">Confirmed</th><th scope="col">Chased</th><th scope="col">Raised to the supervisor</th></tr></thead>
<tbody>
${shown.map(
  (h) => html`<tr>
<th scope="row">${at(h.incomingStart, viewer.zone, '')}</th>
<td>${name(h.outgoingId)}</td>
<td>${name(h.incomingId)}</td>
<td>${noteCell(h, viewer.zone)}</td>
<td>${h.confirmedAt ? at(h.confirmedAt, viewer.zone, '') : h.postedAt ? html`<span class="overdue">Not confirmed</span>` : html`<span class="muted">Not delivered</span>`}</td>
<td>${h.chasedAt ? at(h.chasedAt, viewer.zone, '') : 'No'}</td>
<td>${raisedCell(h, viewer.zone)}</td>
</tr>`,
)}
</tbody>
</table></div>`;
}

function whoSees(viewer: Viewer, count: number): string {
  if (viewer.isAdmin) return 'As a workspace admin you see every rotation of this workspace.';
  if (count === 0)
    return 'You are not a member or the supervisor of any rotation, so there is nothing to show here. Workspace admins see every rotation.';
  return 'You see the rotations you are a member or the supervisor of; workspace admins see every rotation.';
}

/** /dashboard/handoffs: per rotation, how handoffs went in a period, and each handoff. */
export function handoffsPage(viewer: Viewer, v: HandoffsView): Html {
  const p = v.period;
  const query = p ? `?${new URLSearchParams({ from: p.from, to: p.to }).toString()}` : '';
  return layout(
    'Handoffs',
    html`<h1>Handoffs</h1>
${p ? html`<p>${whoSees(viewer, v.rotations.length)}</p>` : ''}
<form class="filters" method="get" action="/dashboard/handoffs">
<label for="f-from">Shift changes from
<input id="f-from" name="from" type="date" value="${v.typed.from ?? ''}"></label>
<label for="f-to">until
<input id="f-to" name="to" type="date" value="${v.typed.to ?? ''}"></label>
<button type="submit">Show</button>
</form>
${v.problem ? html`<p role="alert" class="overdue">${v.problem}</p>` : ''}
${
  p
    ? html`<p class="muted">Shift changes from ${dateLabel(p.from)} to ${dateLabel(p.to)}${v.typed.from || v.typed.to ? '' : ' (the last 28 days)'}, counted as /handoff stats counts them: a note is on time when written by the end of the outgoing shift; time to confirm runs from the note reaching the incoming person.</p>
<p class="exports">Export these handoff notes: <a href="/dashboard/export/handoffs.csv${query}">CSV</a> <a href="/dashboard/export/handoffs.json${query}">JSON</a></p>
${v.rotations.map(
  (r) => html`<section aria-labelledby="h-rotation-${r.rotation.id}">
<h2 id="h-rotation-${r.rotation.id}">${r.rotation.name}</h2>
${figuresTable(r)}
${shiftsTable(r)}
${listTable(r, viewer, v.reader, v.listRows)}
</section>`,
)}`
    : ''
}`,
    viewer,
  );
}
