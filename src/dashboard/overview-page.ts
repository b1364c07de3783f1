import { formatDuration } from '../core/duration';
import { formatInZone } from '../core/zoned-time';
import { SEVERITIES } from '../escalation/model';
import type { Figures } from '../escalation/stats';
import type { HandoffStats } from '../handoff/stats';
import type { Compared, DigestFigures, StandupDigest } from '../insight/digest-figures';
import { dateLabel } from '../standup/schedule';
import { chartFigure, type Chart, type ChartUnit, type Series } from './charts';
import { html, type Html } from './html';
import type { Overview } from './overview-data';
import { layout, type Viewer } from './pages';
import type { Reader } from './rich-html';

const WORDS: Readonly<Record<ChartUnit, (n: number) => string>> = {
  count: String,
  duration: formatDuration,
  percent: (pts) => `${pts} ${pts === 1 ? 'point' : 'points'}`,
};

/** As the digest shows a figure: a count, a duration or n/a, a percentage or n/a. */
export function shown(unit: ChartUnit, value: number | null): string {
  if (value === null) return 'n/a';
  if (unit === 'percent') return `${Math.round(value * 100)}%`;
  return unit === 'duration' ? formatDuration(value) : String(value);
}

/**
 * The digest's arrow for this week against the one before, with its meaning in words:
 * "▲3 (up 3 on the week before)", "▼20 pts (down 20 points on the week before)", "= (the same as
 * the week before)"; nothing when either week has no value. Rates compare in whole points, as the
 * digest's do; a change too small to show is "the same", as there.
 */
export function deltaWords(unit: ChartUnit, c: Compared<number | null>): { arrow: string; words: string } | null {
  if (c.now === null || c.before === null) return null;
  const rate = unit === 'percent';
  const diff = rate ? Math.round(c.now * 100) - Math.round(c.before * 100) : c.now - c.before;
  const size = Math.abs(diff);
  const short = rate ? `${size} pts` : unit === 'duration' ? formatDuration(size) : String(size);
  if (size < 1e-9 || short === (rate ? '0 pts' : unit === 'duration' ? formatDuration(0) : '0'))
    return { arrow: '=', words: 'the same as the week before' };
  return { arrow: `${diff > 0 ? '▲' : '▼'}${short}`, words: `${diff > 0 ? 'up' : 'down'} ${WORDS[unit](size)} on the week before` };
}

function delta(unit: ChartUnit, c: Compared<number | null>): Html {
  const d = deltaWords(unit, c);
  if (!d) return html``;
  return html` <span class="delta"><span aria-hidden="true">${d.arrow}</span> (${d.words})</span>`;
}

/** "4 ▲2 (up 2 on the week before)" */
function figure(unit: ChartUnit, c: Compared<number | null>): Html {
  return html`${shown(unit, c.now)}${delta(unit, c)}`;
}

const pick = <T, K>(c: Compared<T>, f: (t: T) => K): Compared<K> => ({ now: f(c.now), before: f(c.before) });

type Row<T> = readonly [label: string, unit: ChartUnit, value: (t: T) => number | null];

const ESCALATION_ROWS: readonly Row<Figures>[] = [
  ['Raised', 'count', (f) => f.raised],
  ['Resolved', 'count', (f) => f.resolved],
  ['Resolved late', 'count', (f) => f.resolvedLate],
  ['Acknowledged', 'count', (f) => f.acknowledged],
  ['Median time to acknowledge', 'duration', (f) => f.ackMedianMs],
  ['p90 time to acknowledge', 'duration', (f) => f.ackP90Ms],
  ['Median time to resolve', 'duration', (f) => f.resolveMedianMs],
  ['p90 time to resolve', 'duration', (f) => f.resolveP90Ms],
];

const STANDUP_COLUMNS: readonly Row<StandupDigest['figures']['now']>[] = [
  ['Participation', 'percent', (f) => f.participation],
  ['On time', 'percent', (f) => f.onTime],
  ['Blockers', 'count', (f) => f.blockers],
  ['Escalated', 'count', (f) => f.escalated],
];

const HANDOFF_COLUMNS: readonly Row<HandoffStats>[] = [
  ['Confirmation rate', 'percent', (h) => h.confirmationRate],
  ['Median time to confirm', 'duration', (h) => h.medianTimeToConfirmMs],
  ['Chased', 'count', (h) => h.chased],
  ['Raised to the supervisor', 'count', (h) => h.raisedToSupervisor],
];

/** A figure per row: this week, the week before, the change. */
function comparedTable<T>(caption: string, c: Compared<T>, rows: readonly Row<T>[]): Html {
  return html`<div class="table-wrap"><table class="figures">
<caption>${caption}</caption>
<thead><tr><th scope="col">Figure</th><th scope="col">The last 7 days</th><th scope="col">The 7 days before</th><th scope="col">Change</th></tr></thead>
<tbody>
${rows.map(([label, unit, value]) => {
  const d = deltaWords(unit, pick(c, value));
  return html`<tr><th scope="row">${label}</th><td>${shown(unit, value(c.now))}</td><td>${shown(unit, value(c.before))}</td><td>${d ? html`<span aria-hidden="true">${d.arrow}</span> (${d.words})` : 'no comparison'}</td></tr>
`;
})}</tbody>
</table></div>`;
}

/** Many things (severities, stand-ups, rotations) across, each cell a figure with its change. */
function rowsTable<T>(
  caption: string,
  head: string,
  items: readonly { name: string; figures: Compared<T>; extra?: Html }[],
  columns: readonly Row<T>[],
  extraHead?: string,
): Html {
  return html`<div class="table-wrap"><table class="figures">
<caption>${caption}</caption>
<thead><tr><th scope="col">${head}</th>${columns.map(([label]) => html`<th scope="col">${label}</th>`)}${extraHead ? html`<th scope="col">${extraHead}</th>` : ''}</tr></thead>
<tbody>
${items.map(
  (
    item,
  ) => html`<tr><th scope="row">${item.name}</th>${columns.map(([, unit, value]) => html`<td>${figure(unit, pick(item.figures, value))}</td>`)}${extraHead ? html`<td>${item.extra ?? ''}</td>` : ''}</tr>
`,
)}</tbody>
</table></div>`;
}

const active = (f: Figures) => f.raised + f.resolved + f.acknowledged + f.open > 0;

function escalationsSection(f: DigestFigures, reader: Reader): Html {
  const e = f.escalations;
  const severities = SEVERITIES.filter((s) => active(e.bySeverity[s].now) || active(e.bySeverity[s].before));
  const name = (id: string) => reader.names.get(id) ?? id;
  return html`<section aria-labelledby="h-escalations">
<h2 id="h-escalations">Escalations</h2>
<p class="now-figures">Open now: <strong>${e.all.now.open}</strong> · Overdue now: <strong>${e.all.now.overdue}</strong></p>
${comparedTable('Escalations: the last 7 days against the 7 days before', e.all, ESCALATION_ROWS)}
${
  severities.length
    ? rowsTable(
        'By severity',
        'Severity',
        severities.map((s) => ({ name: s, figures: e.bySeverity[s] })),
        ESCALATION_ROWS.filter(([label]) => label !== 'Acknowledged'),
      )
    : ''
}
${
  e.repeats.length
    ? html`<h3>Repeat titles</h3><p class="muted">Similar titles within 30 days.</p><ul>${e.repeats.slice(0, 10).map((g) => html`<li>“${g[g.length - 1]!.title}”: ${g.map((x, i) => html`${i ? ', ' : ''}<a href="/dashboard/escalations/ESC-${x.number}">ESC-${x.number}</a>`)}</li>`)}</ul>`
    : ''
}
<h3>Decisions made (${e.decisions.length})</h3>
${
  e.decisions.length
    ? html`<ul class="decisions">${e.decisions.map((d) => html`<li><a href="/dashboard/escalations/ESC-${d.number}">ESC-${d.number}</a> ${d.title}: <span class="text">${d.decision}</span> (owner ${name(d.ownerId)})</li>`)}</ul>`
    : html`<p>No escalation was resolved in the last 7 days.</p>`
}
</section>`;
}

function standupsSection(f: DigestFigures, showMissedFor: ReadonlySet<string>, reader: Reader): Html {
  const name = (id: string) => reader.names.get(id) ?? id;
  const missed = (s: StandupDigest): Html => {
    if (!showMissedFor.has(s.standup.id)) return html`<span class="muted">Shown to the stand-up's admins only</span>`;
    if (!s.mostMissed) return html`Nobody missed a day`;
    return html`${s.mostMissed.userIds.map(name).join(', ')} (${s.mostMissed.days} ${s.mostMissed.days === 1 ? 'day' : 'days'})`;
  };
  return html`<section aria-labelledby="h-standups">
<h2 id="h-standups">Stand-ups</h2>
${
  f.standups.length
    ? rowsTable(
        'Stand-ups: the last 7 days, with the change on the 7 days before',
        'Stand-up',
        f.standups.map((s) => ({ name: s.standup.name, figures: s.figures, extra: missed(s) })),
        STANDUP_COLUMNS,
        'Missed most days',
      )
    : html`<p>No stand-ups yet.</p>`
}
</section>`;
}

function handoffsSection(f: DigestFigures): Html {
  const h = f.handoffs;
  const notes = (c: Compared<HandoffStats>) =>
    html`${c.now.notesOnTime} of ${c.now.handoffs}${delta(
      'count',
      pick(c, (x) => x.notesOnTime),
    )}`;
  const items = [
    { name: 'All rotations', figures: h.all, extra: notes(h.all) },
    ...(h.rotations.length > 1 ? h.rotations.map((r) => ({ name: r.name, figures: r.figures, extra: notes(r.figures) })) : []),
  ];
  return html`<section aria-labelledby="h-handoffs">
<h2 id="h-handoffs">Handoffs</h2>
${
  h.all.now.handoffs + h.all.before.handoffs === 0
    ? html`<p>No shift changes in the last 7 days or the 7 before.</p>`
    : rowsTable('Handoffs: the last 7 days, with the change on the 7 days before', 'Rotation', items, HANDOFF_COLUMNS, 'Notes on time')
}
</section>`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "23 Nov" for "2026-11-23". */
export function shortDate(date: string): string {
  return `${Number(date.slice(8, 10))} ${MONTHS[Number(date.slice(5, 7)) - 1]}`;
}

/** The four trend charts, each value one week's digest figure. */
export function trendCharts(weeks: readonly DigestFigures[]): Chart[] {
  const base = {
    xLabel: 'Week from',
    labels: weeks.map((w) => shortDate(w.current.firstDate)),
    longLabels: weeks.map((w) => dateLabel(w.current.firstDate)),
  };
  const series = (name: string, value: (w: DigestFigures) => number | null): Series => ({ name, values: weeks.map(value) });
  const latest = weeks.at(-1)?.standups ?? [];
  return [
    {
      ...base,
      id: 'chart-escalations',
      title: 'Escalations raised and resolved per week',
      unit: 'count',
      yLabel: 'Escalations',
      series: [series('Raised', (w) => w.escalations.all.now.raised), series('Resolved', (w) => w.escalations.all.now.resolved)],
    },
    {
      ...base,
      id: 'chart-acknowledge',
      title: 'Median time to acknowledge per week',
      unit: 'duration',
      yLabel: 'Time',
      series: [series('Median time to acknowledge', (w) => w.escalations.all.now.ackMedianMs)],
    },
    {
      ...base,
      id: 'chart-participation',
      title: 'Stand-up participation per week',
      unit: 'percent',
      yLabel: 'Participation',
      series: latest.map((s) =>
        series(s.standup.name, (w) => w.standups.find((x) => x.standup.id === s.standup.id)?.figures.now.participation ?? null),
      ),
    },
    {
      ...base,
      id: 'chart-confirmation',
      title: 'Handoff confirmation rate per week',
      unit: 'percent',
      yLabel: 'Confirmed',
      series: [series('Confirmation rate', (w) => w.handoffs.all.now.confirmationRate)],
    },
  ];
}

export interface OverviewView {
  readonly overview: Overview;
  /** The stand-ups (by id) whose missed days this reader may see: those they may manage, as in the digest's preview. */
  readonly showMissedFor: ReadonlySet<string>;
  readonly reader: Reader;
}

/** /dashboard: the digest's figures for the last 7 days against the 7 before, and 12 weeks of trends. */
export function overviewPage(viewer: Viewer, v: OverviewView): Html {
  const f = v.overview.figures;
  const charts = trendCharts(v.overview.weeks);
  return layout(
    'Overview',
    html`<h1>Dashboard</h1>
<p>${viewer.isAdmin ? 'As a workspace admin you see every escalation of this workspace.' : 'You see what chat shows you: every escalation of this workspace, as /escalate show does.'}</p>
<p class="muted">The weekly digest's figures for the 7 days to <time datetime="${f.current.to.toISOString()}">${formatInZone(f.current.to, f.zone)}</time> (${dateLabel(f.current.firstDate)} to ${dateLabel(f.current.lastDate)}) against the 7 days before: ▲ up, ▼ down, = the same. They are counted as /escalate stats, /standup report and /handoff stats count them.</p>
${escalationsSection(f, v.reader)}
${standupsSection(f, v.showMissedFor, v.reader)}
${handoffsSection(f)}
<section aria-labelledby="h-trends">
<h2 id="h-trends">The last ${v.overview.weeks.length} weeks</h2>
<p class="muted">Each week is counted as the weekly digest counts it; the last is the 7 days to now.</p>
<div class="charts">
${charts.map((c) => (c.series.length ? chartFigure(c) : html`<figure class="chart"><figcaption><h3>${c.title}</h3></figcaption><p>No stand-ups yet.</p></figure>`))}
</div>
</section>
<h2>Escalations one by one</h2>
<p><a href="/dashboard/escalations">Escalations</a>: filter by status, severity, owner and period, and open each one's timeline.</p>
<p><a href="/dashboard/escalations?status=active">Open now</a> · <a href="/dashboard/escalations?status=resolved">Resolved</a></p>
<h2>Exports</h2>
<p class="exports">Escalations with their timelines, the last 30 days: <a href="/dashboard/export/escalations.csv">CSV</a> <a href="/dashboard/export/escalations.json">JSON</a>. Choose another period on the <a href="/dashboard/escalations">escalations page</a>.</p>`,
    viewer,
  );
}
