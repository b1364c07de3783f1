import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * A real browser for the pages Steady serves: Debian's Chromium driven by playwright-core
 * (Playwright's own browser download cannot reach its host here). `.ci/run` installs the
 * `chromium` package when it is missing, so in CI a missing browser is a failure; elsewhere the
 * browser tests are skipped with a line saying how to run them.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where page screenshots are kept (CI keeps the folder as an artifact; git ignores it). */
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true')
    throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium package; set CHROMIUM_PATH if it lives elsewhere`);
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return false;
}

/** A headless browser whose pages record every console error and failed request, for a test to assert none. */
export class TestBrowser {
  private readonly seen: { readonly text: string; readonly url?: string }[] = [];
  private readonly downloads = new Set<string>();

  /** Console errors, page errors, failed requests and HTTP errors so far (a download's aborted navigation is none). */
  get problems(): string[] {
    return this.seen.filter((p) => !(p.url && this.downloads.has(p.url) && p.text.endsWith('net::ERR_ABORTED'))).map((p) => p.text);
  }

  private constructor(
    private readonly browser: Browser,
    readonly context: BrowserContext,
  ) {}

  static async launch(options: { readonly viewport?: { width: number; height: number } } = {}): Promise<TestBrowser> {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, acceptDownloads: true });
    return new TestBrowser(browser, context);
  }

  async page(): Promise<Page> {
    const page = await this.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') this.seen.push({ text: `console: ${message.text()}` });
    });
    page.on('pageerror', (err) => this.seen.push({ text: `page error: ${err.message}` }));
    // A link that downloads a file ends its navigation as "aborted": that is the download, not a failure.
    page.on('download', (download) => this.downloads.add(download.url()));
    page.on('requestfailed', (request) =>
      this.seen.push({ text: `request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`, url: request.url() }),
    );
    page.on('response', (response) => {
      if (response.status() >= 400) this.seen.push({ text: `HTTP ${response.status()}: ${response.url()}` });
    });
    return page;
  }

  /** Saves a full-page screenshot as `<name>.png` under SCREENSHOTS. */
  async screenshot(page: Page, name: string): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  }

  async close(): Promise<void> {
    await this.context.close();
    await this.browser.close();
  }
}
