import { issueLink } from '../../src/dashboard/links';
import { trendEnds } from '../../src/dashboard/overview-data';
import { SECURITY_HEADERS } from '../../src/dashboard/router';
import { digestFigures } from '../../src/insight/digest-figures';
import { dateLabel } from '../../src/standup/schedule';
import { makeAdmin } from '../escalation/support';
import { DIGEST_AT, WORKSPACE, ZONE, seedFixtureWeek } from '../insight/support';
import { resetDatabase } from '../integration/support';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { DashboardRig, PUBLIC_URL, otherWorkspaceEscalation, pageText } from './support';

let database: TestDatabase;
let rig: DashboardRig;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});
afterEach(async () => {
  await rig?.close();
});

async function overview(cookie: string): Promise<{ res: Response; markup: string; text: string }> {
  const res = await rig.get('/dashboard', cookie);
  const markup = await res.text();
  return { res, markup, text: pageText(markup) };
}

/** A chart's hidden table: the series' names and, per week, its long label and values as shown. */
function chartTable(markup: string, id: string): { series: string[]; rows: string[][] } {
  const svgAt = markup.indexOf(`aria-labelledby="${id}-title ${id}-desc"`);
  expect(svgAt).toBeGreaterThan(0);
  const table = markup.slice(markup.indexOf('<div class="visually-hidden"><table>', svgAt), markup.indexOf('</table>', svgAt));
  const cells = (row: string) => [...row.matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((m) => m[1]!);
  const [head, ...rows] = [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => cells(m[1]!));
  return { series: head!.slice(1), rows };
}

describe('the overview of the fixture week', () => {
  beforeEach(async () => {
    await resetDatabase(database);
    rig = await DashboardRig.start(database, { harness: (database) => seedFixtureWeek(database, DIGEST_AT, { publicUrl: PUBLIC_URL }) });
  });

  test("the digest's figures for the last 7 days against the 7 before, with the change in words", async () => {
    const { res, markup, text } = await overview(await rig.session('alice'));
    expect(res.status).toBe(200);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    expect(markup).not.toMatch(/<script|\sstyle=|\son\w+=/i);

    expect(text).toContain(
      "The weekly digest's figures for the 7 days to Mon, 30 Nov 2026, 09:00 CET (Mon, 23 Nov 2026 to Sun, 29 Nov 2026) against the 7 days before",
    );
    // Escalations, as the digest worked them out by hand (test/insight/digest-figures.test.ts).
    expect(text).toContain('Open now: 2 · Overdue now: 1');
    expect(text).toContain('Raised 4 2 ▲2 (up 2 on the week before)');
    expect(text).toContain('Resolved 3 1 ▲2 (up 2 on the week before)');
    expect(text).toContain('Resolved late 2 0 ▲2 (up 2 on the week before)');
    expect(text).toContain('Median time to acknowledge 10m 20m ▼10m (down 10m on the week before)');
    expect(text).toContain('p90 time to acknowledge 30m 30m = (the same as the week before)');
    expect(text).toContain('p90 time to resolve 7d 2h ▲6d 22h (up 6d 22h on the week before)');
    expect(text).toContain('SEV2 1 ▼1 (down 1 on the week before) 1 = (the same as the week before) 1 ▲1 (up 1 on the week before)');
    expect(text).toContain('“The VPN outages”: ESC-1, ESC-5');
    expect(text).toContain(
      'Decisions made (3) ESC-2 Badge reader broken: New reader (owner Bob) ESC-3 Fire door alarm: Sensor cleaned (owner Bob) ESC-6 Laptop stolen: Replaced and wiped (owner Carol)',
    );
    // Stand-ups and handoffs.
    expect(text).toContain(
      "Daily 63% ▼20 pts (down 20 points on the week before) 50% ▼33 pts (down 33 points on the week before) 2 ▲2 (up 2 on the week before) 1 ▲1 (up 1 on the week before) Shown to the stand-up's admins only",
    );
    expect(text).toContain(
      'All rotations 67% ▼33 pts (down 33 points on the week before) 20m = (the same as the week before) 2 ▲2 (up 2 on the week before) 2 ▲2 (up 2 on the week before) 2 of 4 = (the same as the week before)',
    );
    // The start page's links stay.
    expect(markup).toContain('href="/dashboard/escalations?status=active"');
    expect(markup).toContain('href="/dashboard/export/escalations.csv"');
  });

  test('who missed most days only for the stand-ups the reader may manage: the creator and workspace admins, not others', async () => {
    expect((await overview(await rig.session('carol'))).text).toContain('Daily 63%');
    expect((await overview(await rig.session('carol'))).text).toMatch(/1 ▲1 \(up 1 on the week before\) Bob \(2 days\)/);
    expect((await overview(await rig.session('bob'))).text).not.toContain('Bob (2 days)');
    await makeAdmin(rig.h, 'dave');
    expect((await overview(await rig.session('dave'))).text).toContain('Bob (2 days)');
  });

  test("each chart's values are that week's digest figures, for twelve weeks ending now", async () => {
    const { markup } = await overview(await rig.session('alice'));
    const weeks = await Promise.all(trendEnds(new Date(DIGEST_AT), ZONE).map((end) => digestFigures(database.db, WORKSPACE, end, ZONE)));
    expect(weeks).toHaveLength(12);
    const pct = (x: number | null) => (x === null ? 'no value' : `${Math.round(x * 100)}%`);

    const escalations = chartTable(markup, 'chart-escalations');
    expect(escalations.series).toEqual(['Raised', 'Resolved']);
    expect(escalations.rows).toEqual(
      weeks.map((w) => [dateLabel(w.current.firstDate), String(w.escalations.all.now.raised), String(w.escalations.all.now.resolved)]),
    );
    // By hand: the oldest week starts on Monday 7 September (ICU writes "Sept"); the fixture's two weeks are the last two.
    expect(escalations.rows[0]![0]).toBe('Mon, 7 Sept 2026');
    expect(escalations.rows.slice(-3)).toEqual([
      ['Mon, 9 Nov 2026', '0', '0'],
      ['Mon, 16 Nov 2026', '2', '1'],
      ['Mon, 23 Nov 2026', '4', '3'],
    ]);
    expect(
      chartTable(markup, 'chart-acknowledge')
        .rows.slice(-3)
        .map((r) => r[1]),
    ).toEqual(['no value', '20m', '10m']);
    const participation = chartTable(markup, 'chart-participation');
    expect(participation.series).toEqual(['Daily']);
    expect(participation.rows.map((r) => r[1])).toEqual(weeks.map((w) => pct(w.standups[0]!.figures.now.participation)));
    expect(participation.rows.slice(-2).map((r) => r[1])).toEqual(['83%', '63%']);
    const confirmation = chartTable(markup, 'chart-confirmation');
    expect(confirmation.rows.map((r) => r[1])).toEqual(weeks.map((w) => pct(w.handoffs.all.now.confirmationRate)));
    expect(confirmation.rows.slice(-2).map((r) => r[1])).toEqual(['100%', '67%']);
    // The image states the same values.
    expect(markup).toContain('Raised, by week from: Mon, 7 Sept 2026: 0;');
    expect(markup).toContain('Mon, 23 Nov 2026: 63%.</desc>');
  });
});

describe('twelve weeks across a DST change', () => {
  test('each week ends at the same local time: 169 hours across the October change', () => {
    const ends = trendEnds(new Date(DIGEST_AT), ZONE);
    expect(ends.at(-1)!.toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(ends[0]!.toISOString()).toBe('2026-09-14T07:00:00.000Z');
    const hours = ends.slice(1).map((e, i) => (e.getTime() - ends[i]!.getTime()) / 3_600_000);
    expect(hours.filter((x) => x === 169)).toHaveLength(1);
    expect(hours.filter((x) => x === 168)).toHaveLength(10);
  });
});

describe('an empty workspace, and another workspace', () => {
  beforeEach(async () => {
    await resetDatabase(database);
    rig = await DashboardRig.start(database);
  });

  test('renders without errors: nothing yet, zero lines on the charts', async () => {
    const { res, markup, text } = await overview(await rig.session('alice'));
    expect(res.status).toBe(200);
    expect(text).toContain('Open now: 0 · Overdue now: 0');
    expect(text).toContain('Raised 0 0 = (the same as the week before)');
    expect(text).toContain('Median time to acknowledge n/a n/a no comparison');
    expect(text).toContain('No escalation was resolved in the last 7 days.');
    expect(text).toContain('No stand-ups yet.');
    expect(text).toContain('No shift changes in the last 7 days or the 7 before.');
    expect(chartTable(markup, 'chart-escalations').rows.map((r) => r.slice(1))).toEqual(Array(12).fill(['0', '0']));
    expect(chartTable(markup, 'chart-confirmation').rows.map((r) => r[1])).toEqual(Array(12).fill('no value'));
    expect(markup).not.toContain('aria-labelledby="chart-participation-title');
  });

  test("another workspace's session sees its own figures only, and this workspace's people not the other's", async () => {
    const now = rig.h.clock.now();
    await otherWorkspaceEscalation(database.db, { raisedAt: new Date(now.getTime() - 3_600_000), dueAt: new Date(now.getTime() - 60_000) });
    const { token } = await issueLink(database.db, { workspaceId: 'test:W2', userId: 'zed' }, now);
    const theirs = (await overview(await rig.signIn(`/dashboard/signin?token=${token}`))).text;
    expect(theirs).toContain('Open now: 1 · Overdue now: 1');
    expect(theirs).toContain('Raised 1 0 ▲1 (up 1 on the week before)');
    const ours = (await overview(await rig.session('alice'))).text;
    expect(ours).toContain('Open now: 0 · Overdue now: 0');
    expect(ours).toContain('Raised 0 0 = (the same as the week before)');
  });
});
