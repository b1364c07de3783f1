import { formatDuration } from '../core/duration';
import { html, type Html } from './html';

/**
 * Small line charts drawn on the server as SVG: no script, no inline style (the dashboard's policy
 * forbids both), colours as SVG presentation attributes and the legend's swatches as classes of the
 * style sheet. Each chart is an image with a title and a description that states every value, axis
 * labels, and a visually hidden table of the same values beside it for screen readers.
 */

export type ChartUnit = 'count' | 'percent' | 'duration';

export interface Series {
  readonly name: string;
  /** One per label, oldest first; null where there is no value (a gap in the line). */
  readonly values: readonly (number | null)[];
}

export interface Chart {
  /** Unique on the page: the title's and description's ids start with it. */
  readonly id: string;
  readonly title: string;
  readonly unit: ChartUnit;
  readonly yLabel: string;
  readonly xLabel: string;
  /** Short labels under the axis ("23 Nov") and long ones for the description and table. */
  readonly labels: readonly string[];
  readonly longLabels: readonly string[];
  readonly series: readonly Series[];
}

export const WIDTH = 340;
export const HEIGHT = 190;
/** The plot area inside the axes (room on the right for the latest week's label). */
export const PLOT = { left: 48, right: 312, top: 12, bottom: 140 } as const;

/** Colours with at least 3:1 contrast on white; the second and later series are also dashed. */
export const SERIES_COLOURS = ['#0b5cad', '#b34700', '#2e7d32', '#6a1b9a', '#a4161a', '#37474f'] as const;
const DASHES = [null, '6 3', '2 3', '8 3 2 3', '4 4', '1 2'] as const;

const DURATION_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 10080, 20160, 43200, 86400].map((m) => m * 60_000);

/** The top of the value axis: 100% for rates, a round count (at least 1), a round duration (at least 1m). */
export function axisMax(unit: ChartUnit, values: readonly (number | null)[]): number {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  if (unit === 'percent') return 1;
  if (unit === 'duration')
    return DURATION_STEPS_MS.find((s) => s >= max) ?? Math.ceil(max / DURATION_STEPS_MS.at(-1)!) * DURATION_STEPS_MS.at(-1)!;
  if (max <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= max)!;
}

/** The value axis's ticks: 0, the middle (unless it would be a fraction of a count) and the top. */
export function axisTicks(unit: ChartUnit, max: number): number[] {
  return unit === 'count' && max % 2 !== 0 ? [0, max] : [0, max / 2, max];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Where each week's point is drawn, oldest on the left; a lone week sits in the middle. Null stays null. */
export function plotPoints(values: readonly (number | null)[], max: number): ({ x: number; y: number } | null)[] {
  const width = PLOT.right - PLOT.left;
  const height = PLOT.bottom - PLOT.top;
  return values.map((v, i) => {
    if (v === null) return null;
    const x = values.length === 1 ? PLOT.left + width / 2 : PLOT.left + (i * width) / (values.length - 1);
    return { x: round1(x), y: round1(PLOT.bottom - (Math.min(v, max) / max) * height) };
  });
}

/** "M48 140 L72 100", a new "M" after each gap. Empty when there is no point. */
export function linePath(points: readonly ({ x: number; y: number } | null)[]): string {
  const parts: string[] = [];
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    parts.push(`${pen ? 'L' : 'M'}${p.x} ${p.y}`);
    pen = true;
  }
  return parts.join(' ');
}

export function formatValue(unit: ChartUnit, value: number | null): string {
  if (value === null) return 'no value';
  if (unit === 'percent') return `${Math.round(value * 100)}%`;
  if (unit === 'duration') return formatDuration(value);
  return String(value);
}

/** Every value in words: "Raised, by week from: Mon, 23 Nov 2026: 2; Mon, 30 Nov 2026: 3. Resolved, …". */
export function chartDescription(chart: Chart): string {
  if (chart.series.length === 0) return `${chart.title}: nothing to show yet.`;
  return chart.series
    .map(
      (s) =>
        `${s.name}, by ${chart.xLabel.toLowerCase()}: ${s.values.map((v, i) => `${chart.longLabels[i]}: ${formatValue(chart.unit, v)}`).join('; ')}.`,
    )
    .join(' ');
}

/** Under the axis: every week when they fit, otherwise every third, always the latest. */
export function labelledWeeks(count: number): number[] {
  const every = count > 6 ? 3 : 1;
  return Array.from({ length: count }, (_, i) => i).filter((i) => (count - 1 - i) % every === 0);
}

export function chartSvg(chart: Chart): Html {
  const values = chart.series.flatMap((s) => s.values);
  const max = axisMax(chart.unit, values);
  const ticks = axisTicks(chart.unit, max);
  const y = (v: number) => round1(PLOT.bottom - (v / max) * (PLOT.bottom - PLOT.top));
  const xs = plotPoints(
    chart.labels.map(() => 0),
    max,
  ).map((p) => p!.x);
  const t = `${chart.id}-title`;
  const d = `${chart.id}-desc`;
  return html`<svg class="chart-svg" role="img" aria-labelledby="${t} ${d}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">
<title id="${t}">${chart.title}</title>
<desc id="${d}">${chartDescription(chart)}</desc>
<g class="grid" stroke="#c9d1d9" stroke-width="1">${ticks.map((v) => html`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y(v)}" y2="${y(v)}"/>`)}</g>
<g class="ticks" fill="#4a5560" font-size="10" text-anchor="end">${ticks.map((v) => html`<text x="${PLOT.left - 4}" y="${y(v) + 3}">${formatValue(chart.unit, v)}</text>`)}</g>
<g class="weeks" fill="#4a5560" font-size="10" text-anchor="middle">${labelledWeeks(chart.labels.length).map((i) => html`<text x="${xs[i]!}" y="${PLOT.bottom + 14}">${chart.labels[i]!}</text>`)}</g>
<text class="axis-label" x="${round1((PLOT.left + PLOT.right) / 2)}" y="${HEIGHT - 8}" fill="#1b1f24" font-size="11" text-anchor="middle">${chart.xLabel}</text>
<text class="axis-label" x="12" y="${round1((PLOT.top + PLOT.bottom) / 2)}" fill="#1b1f24" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${round1((PLOT.top + PLOT.bottom) / 2)})">${chart.yLabel}</text>
${chart.series.map((s, i) => {
  const points = plotPoints(s.values, max);
  const colour = SERIES_COLOURS[i % SERIES_COLOURS.length]!;
  const dash = DASHES[i % DASHES.length];
  const path = linePath(points);
  return html`<g class="series">${path ? html`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash ? html` stroke-dasharray="${dash}"` : ''}/>` : ''}${points.map((p) => (p ? html`<circle cx="${p.x}" cy="${p.y}" r="3" fill="${colour}"/>` : ''))}</g>`;
})}
</svg>`;
}

/** The same values as a table, for screen readers (in a box the style sheet's .visually-hidden hides on screen: a table itself cannot be made 1px wide). */
export function chartTable(chart: Chart): Html {
  return html`<div class="visually-hidden"><table>
<caption>${chart.title}</caption>
<thead><tr><th scope="col">${chart.xLabel}</th>${chart.series.map((s) => html`<th scope="col">${s.name}</th>`)}</tr></thead>
<tbody>
${chart.longLabels.map(
  (
    label,
    i,
  ) => html`<tr><th scope="row">${label}</th>${chart.series.map((s) => html`<td>${formatValue(chart.unit, s.values[i] ?? null)}</td>`)}</tr>
`,
)}</tbody>
</table></div>`;
}

/** A chart with its heading, legend (when it has more than one line) and table. */
export function chartFigure(chart: Chart): Html {
  return html`<figure class="chart">
<figcaption><h3>${chart.title}</h3></figcaption>
${chartSvg(chart)}
${
  chart.series.length > 1
    ? html`<ul class="legend" aria-hidden="true">${chart.series.map((s, i) => html`<li><span class="swatch swatch-${i % SERIES_COLOURS.length}"></span>${s.name}</li>`)}</ul>`
    : ''
}
${chartTable(chart)}
</figure>`;
}
