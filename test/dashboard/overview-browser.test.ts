import { DIGEST_AT, seedFixtureWeek } from '../insight/support';
import { TestBrowser, browserAvailable } from '../support/browser';
import { PUBLIC_URL, useDashboardRig } from './support';

const run = browserAvailable() ? describe : describe.skip;

run('the overview in a real browser', () => {
  const rig = useDashboardRig({ harness: (database) => seedFixtureWeek(database, DIGEST_AT, { publicUrl: PUBLIC_URL }) });

  const link = async (userId: string) => {
    const url = new URL(await rig.linkFor(userId));
    return `${rig.baseUrl}${url.pathname}${url.search}`;
  };

  test.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])(
    'on a %s: figures, four charts with their names, no console error (the policy allows everything the page needs)',
    async (name, viewport) => {
      const browser = await TestBrowser.launch({ viewport });
      try {
        const page = await browser.page();
        await page.goto(await link('carol'));
        expect(new URL(page.url()).pathname).toBe('/dashboard');
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Dashboard');
        for (const title of [
          'Escalations raised and resolved per week',
          'Median time to acknowledge per week',
          'Stand-up participation per week',
          'Handoff confirmation rate per week',
        ]) {
          await expect(page.getByRole('img', { name: title }).count()).resolves.toBe(1);
        }
        await expect(page.getByRole('row', { name: /^Raised 4 2/ }).innerText()).resolves.toMatch(/▲2 \(up 2 on the week before\)/);
        // The hidden tables take no room; the charts are laid out by the style sheet (no inline style).
        const table = page.locator('.chart .visually-hidden').first();
        await expect(table.boundingBox()).resolves.toMatchObject({ width: 1, height: 1 });
        const box = (await page.locator('svg.chart-svg').first().boundingBox())!;
        expect(box.width).toBeGreaterThan(200);
        expect(box.width).toBeLessThanOrEqual(viewport.width);
        // Nothing wider than the screen but the figures tables, which scroll inside their frame.
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect(overflow).toBeLessThanOrEqual(0);
        await browser.screenshot(page, `dashboard-overview-${name}`);
        // Keyboard: the first Tab reaches the skip link.
        await page.keyboard.press('Tab');
        await expect(page.evaluate<string | undefined>('document.activeElement?.textContent')).resolves.toBe('Skip to the content');
        expect(browser.problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
