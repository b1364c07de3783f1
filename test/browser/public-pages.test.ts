import { createHttpApp, listen, type RunningServer } from '../../src/http/server';
import { TestBrowser, browserAvailable } from '../support/browser';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';

/**
 * The pages anyone may open (the home page and the privacy and terms pages a Teams app links to),
 * in a real browser: they render, say what they are, load nothing that fails and log no error.
 */
const run = browserAvailable() ? describe : describe.skip;

run('public pages in Chromium', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let browser: TestBrowser;
  beforeAll(async () => {
    database = await openTestDatabase();
    server = await listen(createHttpApp({ db: database.db, log: silentLog }), '127.0.0.1', 0);
    browser = await TestBrowser.launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  test.each([
    ['/', 'home', /Steady/],
    ['/privacy', 'privacy', /Privacy/i],
    ['/terms', 'terms', /Terms/i],
  ])('%s renders with no console error', async (path, name, heading) => {
    const page = await browser.page();
    const response = await page.goto(`http://127.0.0.1:${server.port}${path}`);
    expect(response?.status()).toBe(200);
    await expect(page.locator('h1').first().textContent()).resolves.toMatch(heading);
    await browser.screenshot(page, `public-${name}`);
    await page.close();
    expect(browser.problems).toEqual([]);
  });
});
