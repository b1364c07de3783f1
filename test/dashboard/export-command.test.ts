import { exportNext, parseExportRequest } from '../../src/dashboard/export-command';
import { PUBLIC_URL, pageText, parseCsv, raisePrinterDown, sessionCookie, useDashboardRig } from './support';

const rig = useDashboardRig({ seed: raisePrinterDown });

/** `/steady export …` as this person: the reply and the link in it. */
async function exportLink(who: string, args: string): Promise<{ reply: string; link: string | undefined }> {
  await rig.h.as(who).command('steady', `export ${args}`);
  const reply = rig.h.repliesTo(who).at(-1) ?? '';
  return { reply, link: /\((https?:\/\/[^\s)]+)\)/.exec(reply)?.[1] };
}

describe('/steady export', () => {
  test('answers privately with a sign-in link that lands on the export for the period in the person’s days', async () => {
    const { reply, link } = await exportLink('alice', 'escalations csv 7d');
    expect(reply).toContain(
      'Your export of escalations with their timelines (CSV, Tue, 24 Nov 2026 to Mon, 30 Nov 2026, your days in Europe/Berlin): download escalations.csv',
    );
    expect(reply).toContain('it signs you in to the dashboard for 12 hours (until Mon, 30 Nov 2026, 21:00 CET)');
    expect(link!.startsWith(`${PUBLIC_URL}/dashboard/signin?token=`)).toBe(true);
    expect(new URL(link!).searchParams.get('next')).toBe('/dashboard/export/escalations.csv?from=2026-11-24&to=2026-11-30');
    expect(rig.h.platform.sent.filter((s) => s.text.includes('signin?token='))).toEqual([]);

    const signIn = await rig.get(link!);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/dashboard/export/escalations.csv?from=2026-11-24&to=2026-11-30');
    const file = await rig.get(signIn.headers.get('location')!, sessionCookie(signIn));
    expect(file.headers.get('content-disposition')).toBe('attachment; filename=steady-escalations-2026-11-24-to-2026-11-30.csv');
    const [header, row] = parseCsv(await file.text());
    expect(row![header!.indexOf('title')]).toBe('Printer down');
  });

  test('each kind, either format, a date or two dates; csv and the last 30 days when left out', async () => {
    const next = async (args: string) => new URL((await exportLink('bob', args)).link!).searchParams.get('next');
    expect(await next('handoffs json 2026-11-01..2026-11-15')).toBe('/dashboard/export/handoffs.json?from=2026-11-01&to=2026-11-15');
    expect(await next('standups 2026-11-02 json')).toBe('/dashboard/export/standups.json?from=2026-11-02&to=2026-11-02');
    expect(await next('Handoffs')).toBe('/dashboard/export/handoffs.csv?from=2026-11-01&to=2026-11-30');
  });

  test('bad input is refused with how to fix it, and no link is made', async () => {
    const before = await rig.database.db.selectFrom('dashboard_links').select('token_hash').execute();
    const cases: [string, string][] = [
      ['', 'Which export? Use /steady export <escalations|standups|handoffs> [csv|json] [period], such as /steady export handoffs csv 7d.'],
      ['invoices', 'There is no "invoices" export. Use /steady export'],
      ['escalations xml', '"xml" is neither a format (csv or json) nor a period.'],
      ['escalations 2026-11', '"2026-11" is not a period I understand: write dates as YYYY-MM-DD'],
      ['escalations 0d', '"0d" is not a period I can export: say between 1d and 366d.'],
      ['escalations 400d', 'say between 1d and 366d.'],
      ['escalations 2026-11-31', 'write dates as YYYY-MM-DD, such as 2026-11-30.'],
      ['escalations 2026-11-30..2026-11-01', 'In "2026-11-30..2026-11-01" the first date must be on or before the second.'],
      ['escalations 2024-01-01..2026-01-01', '"2024-01-01..2026-01-01" is longer than 366 days: choose a shorter period.'],
      ['escalations csv json', 'Name one format, csv or json.'],
      ['escalations 7d 30d', '"30d" is one word too many.'],
    ];
    for (const [args, sentence] of cases) {
      await rig.h.as('carol').command('steady', `export ${args}`);
      expect([args, rig.h.repliesTo('carol').at(-1)]).toEqual([args, expect.stringContaining(sentence)]);
    }
    expect(await rig.database.db.selectFrom('dashboard_links').select('token_hash').execute()).toEqual(before);
  });

  test('the parser reads the person’s own today', () => {
    expect(parseExportRequest('handoffs 1d', '2026-03-29')).toEqual({
      ok: true,
      value: { kind: 'handoffs', format: 'csv', period: { from: '2026-03-29', to: '2026-03-29' } },
    });
  });

  test('/steady help lists it', async () => {
    await rig.h.as('alice').command('steady', 'help');
    expect(rig.h.repliesTo('alice').at(-1)).toContain(
      '/steady export <escalations|standups|handoffs> [csv|json] [7d|2026-11-01..2026-11-30]: a private link that downloads that export (CSV and the last 30 days unless you say)',
    );
  });
});

describe('where a sign-in link may send the browser', () => {
  test('only to an export of this dashboard: another site, another page or a trick is ignored and the browser goes to /dashboard', async () => {
    const link = await rig.linkFor('dave');
    for (const next of [
      'https://evil.example.com/dashboard/export/escalations.csv',
      '//evil.example.com/dashboard/export/escalations.csv',
      '/\\evil.example.com',
      '/dashboard/escalations',
      '/dashboard/export/escalations.csv?from=2026-11-01&to=2026-11-30&x=//evil',
      '/dashboard/export/../../elsewhere',
      'javascript:alert(1)',
    ]) {
      expect([next, exportNext(next)]).toEqual([next, undefined]);
    }
    const foreign = await rig.get(`${link}&next=${encodeURIComponent('https://evil.example.com/')}`);
    expect(foreign.status).toBe(303);
    expect(foreign.headers.get('location')).toBe('/dashboard');
    const absolute = await rig.get(
      `${await rig.linkFor('dave')}&next=${encodeURIComponent('//evil.example.com/dashboard/export/escalations.csv')}`,
    );
    expect(absolute.headers.get('location')).toBe('/dashboard');
    // An export path is kept, and the page it lands on is the export, behind the cookie the link set.
    const kept = await rig.get(`${await rig.linkFor('dave')}&next=${encodeURIComponent('/dashboard/export/handoffs.json')}`);
    expect(kept.headers.get('location')).toBe('/dashboard/export/handoffs.json');
    expect(pageText(await (await rig.get('/dashboard/export/handoffs.json', sessionCookie(kept))).text())).toContain('"handoffs": []');
  });
});
