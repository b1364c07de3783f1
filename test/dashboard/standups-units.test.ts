import { pagePeriod } from '../../src/dashboard/standups-routes';
import { CELLS } from '../../src/dashboard/standups-page';
import { DASHBOARD_CSS } from '../../src/dashboard/style';

/** WCAG 2's contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the heat map cells', () => {
  test('every kind has its own symbol and words (not colour alone), and its colours contrast at least 4.5:1', () => {
    const kinds = Object.keys(CELLS);
    expect(new Set(Object.values(CELLS).map((c) => c.symbol)).size).toBe(kinds.length);
    expect(new Set(Object.values(CELLS).map((c) => c.words)).size).toBe(kinds.length);
    for (const kind of kinds) {
      const rule = new RegExp(`\\.hm-${kind} \\{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6});`).exec(DASHBOARD_CSS);
      expect([kind, Boolean(rule)]).toEqual([kind, true]);
      expect([kind, contrast(rule![1]!, rule![2]!) >= 4.5]).toEqual([kind, true]);
    }
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
  });
});

describe("the page's period", () => {
  test('the last 28 days by default, at most 92, and from on or before to', () => {
    expect(pagePeriod({}, '2026-12-04')).toEqual({ from: '2026-11-07', to: '2026-12-04' });
    expect(pagePeriod({ to: '2026-03-31' }, '2026-12-04')).toEqual({ from: '2026-03-04', to: '2026-03-31' });
    expect(pagePeriod({ from: '2026-12-20' }, '2026-12-04')).toEqual({ from: '2026-12-20', to: '2026-12-20' });
    expect(pagePeriod({ from: '2026-09-04', to: '2026-12-04' }, '2026-12-04')).toEqual({ from: '2026-09-04', to: '2026-12-04' });
    expect(pagePeriod({ from: '2026-09-03', to: '2026-12-04' }, '2026-12-04')).toMatch(/^the page shows at most 92 days/);
    expect(pagePeriod({ from: '2026-12-05', to: '2026-12-04' }, '2026-12-04')).toBe('"from" must be on or before "to"');
  });
});
