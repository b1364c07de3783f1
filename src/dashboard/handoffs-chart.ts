import { formatDuration } from '../core/duration';
import { SERIES_COLOURS, axisMax } from './charts';
import type { ShiftFigures } from './handoffs-data';
import { html, type Html } from './html';

const WIDTH = 340;
const LABEL = 84;
const RIGHT = 250;
const ROW = 40;
const BAR = 12;

const value = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(ms));

/** "07:00–15:00: median 20m, p90 30m. 15:00–23:00: …" — every value the bars show. */
export function shiftChartDescription(shifts: readonly ShiftFigures[]): string {
  return shifts.map((s) => `${s.shift}: median ${value(s.medianMs)}, p90 ${value(s.p90Ms)}.`).join(' ');
}

/**
 * Time to confirm by shift as horizontal bars drawn on the server (no script, no inline style):
 * per shift a median bar and a p90 bar, each with its value written after it, so nothing is told
 * by colour alone. An image with a title and a description of every value; the table beside it
 * holds the same figures. Nothing is drawn when no handoff was confirmed.
 */
export function shiftChart(id: string, title: string, shifts: readonly ShiftFigures[]): Html {
  if (!shifts.some((s) => s.medianMs !== null)) return html``;
  const max = axisMax(
    'duration',
    shifts.flatMap((s) => [s.medianMs, s.p90Ms]),
  );
  const width = (ms: number) => Math.max(1, Math.round(((RIGHT - LABEL) * ms) / max));
  const height = shifts.length * ROW + 8;
  const bar = (y: number, ms: number | null, name: string, colour: string) =>
    ms === null
      ? html`<text x="${LABEL}" y="${y + BAR - 2}" fill="#4a5560" font-size="11">${name} n/a</text>`
      : html`<rect x="${LABEL}" y="${y}" width="${width(ms)}" height="${BAR}" fill="${colour}"/><text x="${LABEL + width(ms) + 4}" y="${y + BAR - 2}" fill="#1b1f24" font-size="11">${name} ${value(ms)}</text>`;
  return html`<svg class="chart-svg" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${shiftChartDescription(shifts)}</desc>
${shifts.map((s, i) => {
  const y = 4 + i * ROW;
  return html`<g class="shift"><text x="0" y="${y + BAR + 4}" fill="#1b1f24" font-size="11">${s.shift}</text>${bar(y, s.medianMs, 'median', SERIES_COLOURS[0])}${bar(y + BAR + 4, s.p90Ms, 'p90', SERIES_COLOURS[1])}</g>`;
})}
</svg>`;
}
