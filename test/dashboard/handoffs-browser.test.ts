import { readFileSync } from 'node:fs';
import { TestBrowser, browserAvailable } from '../support/browser';
import { seedHandoffFortnight } from './handoffs-fixture';
import { parseCsv, useDashboardRig } from './support';

const run = browserAvailable() ? describe : describe.skip;

run('the handoffs page in a real browser', () => {
  const rig = useDashboardRig({ seed: seedHandoffFortnight });

  test('signed in through the link: the navigation leads to the handoffs, the figures read by their labels, the CSV downloads; readable on a phone; no console error', async () => {
    const browser = await TestBrowser.launch();
    try {
      const page = await browser.page();
      const link = new URL(await rig.linkFor('carol'));
      await page.goto(`${rig.baseUrl}${link.pathname}${link.search}`);
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Handoffs' }).click();
      expect(new URL(page.url()).pathname).toBe('/dashboard/handoffs');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Handoffs');
      await expect(page.getByRole('heading', { level: 2 }).allTextContents()).resolves.toEqual(['=Night shift, "B"', 'Ops']);
      const ops = page.getByRole('table', { name: 'Ops: figures for the period' });
      await expect(ops.getByRole('row', { name: /^Confirmation rate/ }).innerText()).resolves.toMatch(/80% \(4 of 5 delivered\)/);
      await expect(
        page
          .getByRole('table', { name: /^Ops: time to confirm by shift/ })
          .getByRole('row', { name: /^15:00–23:00/ })
          .innerText(),
      ).resolves.toMatch(/40m\s+1h/);
      await expect(page.getByRole('img', { name: 'Ops: time to confirm by shift' }).count()).resolves.toBe(1);
      const chart = (await page.getByRole('img', { name: 'Ops: time to confirm by shift' }).boundingBox())!;
      expect(chart.width).toBeGreaterThan(200);
      await expect(page.getByRole('table', { name: 'Ops: handoffs, newest first' }).getByRole('row').count()).resolves.toBe(7);
      await expect(page.getByLabel('Shift changes from').inputValue()).resolves.toBe('');
      await browser.screenshot(page, 'dashboard-handoffs-desktop');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
      expect(download.suggestedFilename()).toBe('steady-handoffs-2026-11-03-to-2026-11-30.csv');
      const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
      expect(rows).toHaveLength(8);

      // On a phone: nothing wider than the screen but the tables, which scroll in their own box.
      await page.setViewportSize({ width: 390, height: 844 });
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await browser.screenshot(page, 'dashboard-handoffs-phone');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
