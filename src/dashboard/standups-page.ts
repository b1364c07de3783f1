import { formatInZone, weekdayOf } from '../core/zoned-time';
import { formatReference, parseReference } from '../escalation/reference';
import { dateLabel, daysLabel } from '../standup/schedule';
import { html, type Html } from './html';
import { shortDate } from './overview-page';
import { layout, type Viewer } from './pages';
import type { Reader } from './rich-html';
import type { CellKind, HeatMap, VisibleStandup } from './standups-data';

/**
 * How each cell reads: a symbol on screen (with a colour from the style sheet, never the colour
 * alone) and the words a screen reader says with the row's person and the column's date.
 */
export const CELLS: Readonly<Record<CellKind, { readonly symbol: string; readonly words: string }>> = {
  answered: { symbol: '✓', words: 'answered on time' },
  late: { symbol: 'L', words: 'answered late' },
  skipped: { symbol: 'S', words: 'skipped' },
  missed: { symbol: '✗', words: 'missed' },
  unreachable: { symbol: '!', words: 'missed: could not be reached' },
  waiting: { symbol: '…', words: 'not answered yet' },
  none: { symbol: '–', words: 'not asked' },
  off: { symbol: '·', words: 'no stand-up that day' },
};

const LEGEND: readonly [CellKind, string][] = [
  ['answered', 'answered on time'],
  ['late', 'answered after the cut-off'],
  ['missed', 'did not answer by the cut-off'],
  ['unreachable', 'could not be reached (counts as missed)'],
  ['skipped', 'skipped or out of office (not counted)'],
  ['waiting', 'asked today, not answered yet'],
  ['none', 'a stand-up day, but not asked (before joining, paused)'],
  ['off', 'no stand-up that day (not one of its days, or a holiday)'],
];

const DAY_LETTERS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

const percent = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);

export interface StandupsView {
  readonly from: string;
  readonly to: string;
  /** The stand-up chosen in the filter, or none for all this person may see. */
  readonly standupId?: string;
  readonly problem?: string;
  /** Every stand-up this person may see (the filter's choices). */
  readonly visible: readonly VisibleStandup[];
  readonly maps: readonly HeatMap[];
  readonly reader: Reader;
}

function option(value: string, label: string, selected: string | undefined): Html {
  return html`<option value="${value}"${value === (selected ?? '') ? html` selected` : ''}>${label}</option>`;
}

function cell(map: HeatMap, kind: CellKind, sessionId: string | undefined, blocker: boolean): Html {
  const { symbol, words } = CELLS[kind];
  const content = html`<span aria-hidden="true">${symbol}</span><span class="visually-hidden">${words}${blocker ? ', raised a blocker' : ''}</span>`;
  // A blocker's cell links to it below: a keyboard stop, and the way from the map to the words.
  return html`<td class="hm hm-${kind}${blocker ? ' hm-blocker' : ''}">${blocker && sessionId ? html`<a href="#blocker-${map.standup.id}-${sessionId}">${content}</a>` : content}</td>`;
}

function heatTable(map: HeatMap, manages: boolean, reader: Reader, from: string, to: string): Html {
  const name = (id: string) => reader.names.get(id) ?? id;
  const id = `hm-${map.standup.id}`;
  const personHeads = manages
    ? html`<th scope="col" class="hm-total">Answered</th><th scope="col" class="hm-total">Late</th><th scope="col" class="hm-total">Missed</th><th scope="col" class="hm-total">Participation</th>`
    : '';
  // The title sits above the scrolling box (a caption would scroll away with the table on a phone) and names both.
  return html`<h3 id="${id}-caption">${map.standup.name}: who answered each day, ${dateLabel(from)} to ${dateLabel(to)}</h3>
<div class="table-wrap heatmap-wrap" role="region" aria-labelledby="${id}-caption" tabindex="0">
<table class="heatmap" id="${id}" aria-labelledby="${id}-caption">
<thead><tr><th scope="col">Person</th>${map.dates.map(
    (d) =>
      html`<th scope="col" class="hm-day${weekdayOf(d) >= 6 ? ' hm-weekend' : ''}"><span aria-hidden="true">${DAY_LETTERS[weekdayOf(d) - 1]}<br>${Number(d.slice(8, 10))}</span><span class="visually-hidden">${dateLabel(d)}</span></th>`,
  )}${personHeads}</tr></thead>
<tbody>
${map.rows.map(
  (
    row,
  ) => html`<tr><th scope="row">${name(row.userId)}</th>${row.cells.map((c) => cell(map, c.kind, c.session?.id, Boolean(c.session?.answeredAt && c.session.blocker)))}${
    manages
      ? html`<td class="hm-total">${row.figures.onTime + row.figures.late}</td><td class="hm-total">${row.figures.late}</td><td class="hm-total">${row.figures.missed}</td><td class="hm-total">${percent(row.figures.participation)}</td>`
      : ''
  }</tr>
`,
)}</tbody>
<tfoot><tr><th scope="row" class="hm-foot">Answered that day</th>${map.days.map(
    (d) =>
      html`<td class="hm-rate">${d.rate === null ? html`<span aria-hidden="true">–</span><span class="visually-hidden">nobody counted</span>` : html`${percent(d.rate)}<span class="visually-hidden"> (${d.answered} of ${d.counted})</span>`}</td>`,
  )}${manages ? html`<td class="hm-total" colspan="4"></td>` : ''}</tr></tfoot>
</table></div>`;
}

function blockersTable(map: HeatMap, reader: Reader, zone: string): Html {
  const name = (id: string) => reader.names.get(id) ?? id;
  if (map.blockers.length === 0) return html`<p>No blocker was raised in this period.</p>`;
  const escalation = (ref: string | null) => {
    if (!ref) return 'Not escalated';
    const number = parseReference(ref);
    return number === undefined ? ref : html`<a href="/dashboard/escalations/${formatReference(number)}">${formatReference(number)}</a>`;
  };
  return html`<div class="table-wrap"><table class="blockers">
<caption>${map.standup.name}: blockers raised (${map.blockers.length}, ${map.escalated} escalated)</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Person</th><th scope="col">Blocker</th><th scope="col">Answered</th><th scope="col">Escalated</th></tr></thead>
<tbody>
${map.blockers.map(
  (
    s,
  ) => html`<tr id="blocker-${map.standup.id}-${s.id}"><td>${dateLabel(s.date)}</td><td>${name(s.userId)}</td><td class="text">${s.blocker}</td><td><time datetime="${s.answeredAt!.toISOString()}">${formatInZone(s.answeredAt!, zone)}</time></td><td>${escalation(s.escalationRef)}</td></tr>
`,
)}</tbody>
</table></div>`;
}

function standupSection(map: HeatMap, manages: boolean, v: StandupsView, zone: string): Html {
  const s = map.standup;
  const sid = `su-${s.id}`;
  const blockersShown = map.blockers.length;
  return html`<section aria-labelledby="${sid}">
<h2 id="${sid}">${s.name}</h2>
<p class="muted">${daysLabel(s.days)} at ${s.time}${s.zoneMode === 'fixed' ? ` ${s.fixedZone} time` : ", each participant's own time"}${s.paused ? ' · paused' : ''} · ${map.rows.length} ${map.rows.length === 1 ? 'person' : 'people'}</p>
<p class="now-figures">Participation <strong>${percent(map.participation)}</strong> · On time <strong>${percent(map.onTime)}</strong> · Blockers <strong>${blockersShown}</strong> · Escalated <strong>${map.escalated}</strong></p>
${map.rows.length ? heatTable(map, manages, v.reader, v.from, v.to) : html`<p>Nobody takes part yet.</p>`}
${manages ? '' : html`<p class="muted">Per-person totals (answered, missed, participation) are shown to the stand-up's creator and admins only, as in the weekly digest.</p>`}
<h3>Blockers</h3>
${blockersTable(map, v.reader, zone)}
</section>`;
}

/** /dashboard/standups: per stand-up, people by days, the rates, and the blockers of the period. */
export function standupsPage(viewer: Viewer, v: StandupsView): Html {
  const manages = new Map(v.visible.map((x) => [x.standup.id, x.manages]));
  const exportQuery = new URLSearchParams({ from: v.from, to: v.to, ...(v.standupId ? { standup: v.standupId } : {}) }).toString();
  const intro = viewer.isAdmin
    ? 'As a workspace admin you see every stand-up of this workspace.'
    : v.visible.length
      ? 'You see the stand-ups you take part in or manage: what their channels already show. Per-person totals are shown for those you manage.'
      : 'You take part in no stand-up and manage none, so there is nothing to show here. Its creator or a workspace admin can add you.';
  return layout(
    'Stand-ups',
    html`<h1>Stand-ups</h1>
<p>${intro}</p>
<form class="filters" method="get" action="/dashboard/standups">
<label for="f-standup">Stand-up
<select id="f-standup" name="standup">${option('', 'All I can see', v.standupId)}${v.visible.map((x) => option(x.standup.id, x.standup.name, v.standupId))}</select></label>
<label for="f-from">From
<input id="f-from" name="from" type="date" value="${v.from}"></label>
<label for="f-to">Until
<input id="f-to" name="to" type="date" value="${v.to}"></label>
<button type="submit">Show</button>
</form>
${v.problem ? html`<p role="alert" class="overdue">${v.problem}</p>` : ''}
${
  v.visible.length
    ? html`<p class="exports">Export the answers of ${dateLabel(v.from)} to ${dateLabel(v.to)}${v.standupId ? '' : ' (every stand-up shown)'}: <a href="/dashboard/export/standups.csv?${exportQuery}">CSV</a> <a href="/dashboard/export/standups.json?${exportQuery}">JSON</a></p>
<p class="muted">Days are each person's own local dates (${shortDate(v.from)} to ${shortDate(v.to)}). Times are in your time zone.</p>
<ul class="hm-legend" aria-label="What the cells mean">${LEGEND.map(([kind, words]) => html`<li><span class="hm hm-${kind}" aria-hidden="true">${CELLS[kind].symbol}</span> ${words}</li>`)}<li><span class="hm hm-answered hm-blocker" aria-hidden="true">✓</span> a blocker was raised (links to it)</li></ul>`
    : ''
}
${v.maps.map((map) => standupSection(map, manages.get(map.standup.id) ?? false, v, viewer.zone))}`,
    viewer,
  );
}
