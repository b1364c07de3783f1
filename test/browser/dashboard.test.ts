import { readFileSync } from 'node:fs';
import { TestBrowser, browserAvailable } from '../support/browser';
import { parseCsv, raiseResolvedAndOpen, useDashboardRig } from '../dashboard/support';

/**
 * The dashboard as a person uses it, in Chromium: the link from `/steady dashboard` signs them in,
 * the start page and the escalations list render, a filter narrows the list, an escalation's page
 * tells its story, the CSV downloads; an expired or forged link is refused with a page that says
 * how to get a new one. No page logs an error or loads anything that fails. A screenshot of each
 * page is kept (test-artifacts/screenshots).
 */
const run = browserAvailable() ? describe : describe.skip;

run('the dashboard in Chromium', () => {
  // Plain http, as on a laptop: the session cookie is then not marked Secure.
  const rig = useDashboardRig({
    publicUrl: 'http://steady.test',
    seed: (rig) => raiseResolvedAndOpen(rig, { title: 'Printer down', resolution: 'Bought a new printer' }),
  });
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await TestBrowser.launch({ viewport: { width: 390, height: 844 } });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A link as chat shows it, opened on this server. */
  const local = (link: string) => {
    const url = new URL(link);
    return `${rig.baseUrl}${url.pathname}${url.search}`;
  };

  test('signing in through the link, the escalations, a filter, a timeline and the CSV', async () => {
    const page = await browser.page();
    await page.goto(local(await rig.linkFor('alice')));
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(page.url()).not.toContain('token=');
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    await browser.screenshot(page, 'dashboard-start');

    await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Escalations' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Escalations');
    const listed = () => page.locator('td a[href^="/dashboard/escalations/ESC-"]').allTextContents();
    expect(await listed()).toEqual(['ESC-2', 'ESC-1']);
    await browser.screenshot(page, 'dashboard-escalations');

    await page.getByLabel('Severity').selectOption('SEV1');
    await page.getByRole('button', { name: 'Show' }).click();
    expect(new URL(page.url()).searchParams.get('severity')).toBe('SEV1');
    expect(await listed()).toEqual(['ESC-1']);

    await page.getByRole('link', { name: 'ESC-1' }).click();
    const story = await page.locator('main').innerText();
    expect(story).toContain('Printer down');
    expect(story).toContain('Bought a new printer');
    expect(story).toMatch(/acknowledged/i);
    await browser.screenshot(page, 'dashboard-escalation');

    await page.goBack();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('p.exports').getByRole('link', { name: 'CSV' }).click(),
    ]);
    const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
    expect(rows[0]).toContain('reference');
    expect(rows.slice(1).map((r) => r[rows[0]!.indexOf('reference')])).toContain('ESC-1');
    await page.close();
    expect(browser.problems).toEqual([]);
  });

  test('an expired link and a forged one are refused with a page that says how to get a new one', async () => {
    const context = await TestBrowser.launch();
    try {
      const page = await context.page();
      const link = await rig.linkFor('bob');
      rig.h.clock.advance(12 * 3_600_000 + 60_000);
      const expired = await page.goto(local(link));
      expect(expired?.status()).toBe(401);
      expect(await page.locator('main').innerText()).toContain('/steady dashboard');
      await context.screenshot(page, 'dashboard-refused');

      const forged = new URL(local(link));
      forged.searchParams.set('token', 'A'.repeat(43));
      expect((await page.goto(forged.toString()))?.status()).toBe(401);
      expect((await page.goto(`${rig.baseUrl}/dashboard/escalations`))?.status()).toBe(401);
      // The refusals are the only problems: three 401s, nothing else failed or logged an error.
      expect(context.problems.filter((p) => !/^HTTP 401: |status of 401/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
