import {
  axisMax,
  axisTicks,
  chartDescription,
  chartFigure,
  chartSvg,
  chartTable,
  labelledWeeks,
  linePath,
  plotPoints,
  type Chart,
} from '../../src/dashboard/charts';
import { pageText } from './support';

const chart = (over: Partial<Chart> = {}): Chart => ({
  id: 'c1',
  title: 'Escalations raised per week',
  unit: 'count',
  yLabel: 'Escalations',
  xLabel: 'Week from',
  labels: ['2 Nov', '9 Nov', '16 Nov', '23 Nov'],
  longLabels: ['Mon, 2 Nov 2026', 'Mon, 9 Nov 2026', 'Mon, 16 Nov 2026', 'Mon, 23 Nov 2026'],
  series: [{ name: 'Raised', values: [0, 5, null, 10] }],
  ...over,
});

const circles = (svg: string) => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
const paths = (svg: string) => [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]);

describe('the value axis', () => {
  test('counts reach a round top (1, 2, 5 times a power of ten, at least 1), rates 100%, durations a round duration', () => {
    expect(axisMax('count', [])).toBe(1);
    expect(axisMax('count', [0, 0, null])).toBe(1);
    expect(axisMax('count', [1])).toBe(1);
    expect(axisMax('count', [3, null])).toBe(5);
    expect(axisMax('count', [12, 4])).toBe(20);
    expect(axisMax('count', [100])).toBe(100);
    expect(axisMax('percent', [0.2, null])).toBe(1);
    expect(axisMax('duration', [null])).toBe(60_000);
    expect(axisMax('duration', [25 * 60_000])).toBe(30 * 60_000);
    expect(axisMax('duration', [7 * 86_400_000])).toBe(7 * 86_400_000);
  });

  test('ticks at 0, the middle and the top, without half a count', () => {
    expect(axisTicks('count', 1)).toEqual([0, 1]);
    expect(axisTicks('count', 5)).toEqual([0, 5]);
    expect(axisTicks('count', 20)).toEqual([0, 10, 20]);
    expect(axisTicks('percent', 1)).toEqual([0, 0.5, 1]);
  });
});

describe('points and lines', () => {
  test('weeks spread evenly from left to right, values from the bottom (140) to the top (12); an empty week is a gap', () => {
    const points = plotPoints([0, 5, null, 10], 10);
    expect(points).toEqual([{ x: 48, y: 140 }, { x: 136, y: 76 }, null, { x: 312, y: 12 }]);
    expect(linePath(points)).toBe('M48 140 L136 76 M312 12');
  });

  test('twelve weeks are 24 apart; a single week sits in the middle', () => {
    expect(plotPoints(Array(12).fill(1), 1).map((p) => p!.x)).toEqual([48, 72, 96, 120, 144, 168, 192, 216, 240, 264, 288, 312]);
    expect(plotPoints([3], 5)).toEqual([{ x: 180, y: 63.2 }]);
  });

  test('no values, no line', () => {
    expect(linePath(plotPoints([null, null], 1))).toBe('');
    expect(linePath([])).toBe('');
  });

  test('week labels: all of a few weeks, every third of twelve ending with the latest', () => {
    expect(labelledWeeks(1)).toEqual([0]);
    expect(labelledWeeks(4)).toEqual([0, 1, 2, 3]);
    expect(labelledWeeks(12)).toEqual([2, 5, 8, 11]);
  });
});

describe('a chart', () => {
  test('an image with a title and a description that states every value, axis labels and week labels', () => {
    const svg = chartSvg(chart()).text;
    expect(svg).toMatch(/^<svg class="chart-svg" role="img" aria-labelledby="c1-title c1-desc" viewBox="0 0 340 190"/);
    expect(svg).toContain('<title id="c1-title">Escalations raised per week</title>');
    expect(svg).toContain(
      '<desc id="c1-desc">Raised, by week from: Mon, 2 Nov 2026: 0; Mon, 9 Nov 2026: 5; Mon, 16 Nov 2026: no value; Mon, 23 Nov 2026: 10.</desc>',
    );
    expect(circles(svg)).toEqual([
      [48, 140],
      [136, 76],
      [312, 12],
    ]);
    expect(paths(svg)).toEqual(['M48 140 L136 76 M312 12']);
    // Ticks 0, 5, 10 with their lines; the four weeks labelled under the axis; both axis labels.
    expect([...svg.matchAll(/<text x="44" y="([\d.]+)">(\d+)<\/text>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['143', '0'],
      ['79', '5'],
      ['15', '10'],
    ]);
    expect([...svg.matchAll(/<text x="([\d.]+)" y="154">([^<]+)<\/text>/g)].map((m) => [m[1], m[2]])).toEqual([
      ['48', '2 Nov'],
      ['136', '9 Nov'],
      ['224', '16 Nov'],
      ['312', '23 Nov'],
    ]);
    expect(svg).toContain('>Week from</text>');
    expect(svg).toContain('transform="rotate(-90 12 76)">Escalations</text>');
    expect(svg).not.toMatch(/\sstyle=|<script/);
  });

  test('an all-zero series lies on the bottom line, on a 0 to 1 axis', () => {
    const svg = chartSvg(chart({ series: [{ name: 'Raised', values: [0, 0, 0, 0] }] })).text;
    expect(circles(svg).map(([, y]) => y)).toEqual([140, 140, 140, 140]);
    expect(paths(svg)).toEqual(['M48 140 L136 140 L224 140 L312 140']);
    expect(svg).toContain('>1</text>');
  });

  test('a series with no value at all draws nothing and says so', () => {
    const c = chart({ unit: 'duration', series: [{ name: 'Median time to acknowledge', values: [null, null, null, null] }] });
    const svg = chartSvg(c).text;
    expect(circles(svg)).toEqual([]);
    expect(paths(svg)).toEqual([]);
    expect(chartDescription(c)).toBe(
      'Median time to acknowledge, by week from: Mon, 2 Nov 2026: no value; Mon, 9 Nov 2026: no value; Mon, 16 Nov 2026: no value; Mon, 23 Nov 2026: no value.',
    );
  });

  test('a single week: one point in the middle', () => {
    const svg = chartSvg(
      chart({ labels: ['23 Nov'], longLabels: ['Mon, 23 Nov 2026'], unit: 'percent', series: [{ name: 'Daily', values: [0.5] }] }),
    ).text;
    expect(circles(svg)).toEqual([[180, 76]]);
    expect(paths(svg)).toEqual(['M180 76']);
    expect(svg).toContain('Daily, by week from: Mon, 23 Nov 2026: 50%.');
    expect(svg).toContain('>100%</text>');
  });

  test('two series: distinct colours, the second dashed, and a legend', () => {
    const c = chart({
      series: [
        { name: 'Raised', values: [1, 2, 3, 4] },
        { name: 'Resolved', values: [0, 1, 1, 2] },
      ],
    });
    const svg = chartSvg(c).text;
    expect(svg).toContain('stroke="#0b5cad" stroke-width="2"/>');
    expect(svg).toContain('stroke="#b34700" stroke-width="2" stroke-dasharray="6 3"/>');
    expect(pageText(chartFigure(c).text)).toContain('Raised Resolved');
  });

  test('the hidden table holds the same values, a row per week', () => {
    const c = chart({
      series: [
        { name: 'Raised', values: [0, 5, null, 10] },
        { name: 'Resolved', values: [1, 1, 1, 1] },
      ],
    });
    const table = chartTable(c).text;
    expect(table).toMatch(/^<div class="visually-hidden"><table>/);
    expect(pageText(table)).toBe(
      'Escalations raised per week Week from Raised Resolved Mon, 2 Nov 2026 0 1 Mon, 9 Nov 2026 5 1 Mon, 16 Nov 2026 no value 1 Mon, 23 Nov 2026 10 1',
    );
  });

  test('names are escaped', () => {
    const svg = chartSvg(chart({ series: [{ name: '<b>Ops & co</b>', values: [1, 1, 1, 1] }] })).text;
    expect(svg).toContain('&lt;b&gt;Ops &amp; co&lt;/b&gt;, by week from');
    expect(svg).not.toContain('<b>');
  });
});
