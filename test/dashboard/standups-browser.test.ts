import { readFileSync } from 'node:fs';
import { TestBrowser, browserAvailable } from '../support/browser';
import { FROM, TO, seedStandupFortnight } from './standups-fixture';
import { parseCsv, useDashboardRig } from './support';

const run = browserAvailable() ? describe : describe.skip;

run('the stand-ups page in a real browser', () => {
  const rig = useDashboardRig({ publicUrl: 'http://steady.test', seed: seedStandupFortnight });

  test('on a phone: signed in through the link, the heat map scrolls in its own box, cells read as words, the CSV downloads; no console error', async () => {
    const browser = await TestBrowser.launch({ viewport: { width: 390, height: 844 } });
    try {
      const page = await browser.page();
      const link = new URL(await rig.linkFor('carol'));
      await page.goto(`${rig.baseUrl}${link.pathname}${link.search}`);
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Stand-ups' }).click();
      await expect(page.locator('h1').textContent()).resolves.toBe('Stand-ups');
      await page.getByLabel('From').fill(FROM);
      await page.getByLabel('Until').fill(TO);
      await page.getByRole('button', { name: 'Show' }).click();
      expect(new URL(page.url()).searchParams.get('from')).toBe(FROM);

      const map = page.getByRole('table', { name: /^Daily: who answered each day/ });
      await expect(map.count()).resolves.toBe(1);
      // A cell reads as the person, the day and the outcome in words; the symbol is hidden from screen readers.
      const bob = map.getByRole('row', { name: /^Bob/ });
      await expect(bob.getByRole('cell', { name: 'missed: could not be reached', exact: true }).count()).resolves.toBe(1);
      await expect(bob.getByRole('cell').nth(6).locator('[aria-hidden="true"]').textContent()).resolves.toBe('!');
      await expect(bob.getByRole('cell', { name: 'answered on time, raised a blocker', exact: true }).count()).resolves.toBe(1);
      await expect(
        map
          .getByRole('row', { name: /^Alice/ })
          .getByRole('cell')
          .last()
          .textContent(),
      ).resolves.toBe('75%');

      // The map is wider than the phone: it scrolls inside its own box, the page does not.
      const region = page.getByRole('region', { name: /^Daily: who answered each day/ });
      const sizes = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(sizes.scroll).toBeGreaterThan(sizes.client);
      await expect(
        page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      ).resolves.toBeLessThanOrEqual(0);
      await browser.screenshot(page, 'dashboard-standups-phone');
      // The box is a keyboard stop (so it can be scrolled with the arrow keys), and a blocker's cell is a link to it.
      await region.focus();
      await expect(page.evaluate<string | undefined>('document.activeElement?.getAttribute("role") ?? undefined')).resolves.toBe('region');
      await page.keyboard.press('Tab');
      await expect(page.evaluate<string | undefined>('document.activeElement?.getAttribute("href") ?? undefined')).resolves.toMatch(
        /^#blocker-/,
      );

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('p.exports').getByRole('link', { name: 'CSV' }).click(),
      ]);
      const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
      expect(rows[0]!.slice(0, 6)).toEqual(['standup', 'person', 'person_id', 'date', 'question', 'answer']);
      expect(rows.slice(1).map((r) => r[0])).toEqual(Array(13).fill('Daily'));

      await page.setViewportSize({ width: 1280, height: 800 });
      await browser.screenshot(page, 'dashboard-standups');
      expect(browser.problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
