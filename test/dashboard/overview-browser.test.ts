import { dashboardRouter } from '../../src/dashboard/router';
import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { DIGEST_AT, seedFixtureWeek } from '../insight/support';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { TestBrowser, browserAvailable } from '../support/browser';
import type { Harness } from '../support/harness';
import { PUBLIC_URL } from './support';

const run = browserAvailable() ? describe : describe.skip;

let database: TestDatabase;
let h: Harness;
let server: RunningServer;

run('the overview in a real browser', () => {
  beforeAll(async () => {
    database = await openTestDatabase();
    h = await seedFixtureWeek(database, DIGEST_AT, { publicUrl: PUBLIC_URL });
    const app = createHttpApp({ db: database.db, log: silentLog });
    app.use('/dashboard', dashboardRouter(h.steady.services));
    server = await listen(app, '127.0.0.1', 0);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const link = async (userId: string) => {
    await h.as(userId).command('steady', 'dashboard');
    const url = new URL(/\((https?:\/\/[^\s)]+)\)/.exec(h.repliesTo(userId).at(-1) ?? '')![1]!);
    return `http://127.0.0.1:${server.port}${url.pathname}${url.search}`;
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
