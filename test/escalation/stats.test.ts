import { computeStats, percentile } from '../../src/escalation/stats';
import { repeatGroups, similarTitles, titleTokens } from '../../src/escalation/similarity';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { TEAM, raise, resetDatabase } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await resetDatabase(database);
});

describe('/escalate stats', () => {
  test('raised, resolved, open, overdue, times to acknowledge and resolve by severity, resolved late, repeat titles', async () => {
    const h = new Harness(database, { start: '2026-11-01T09:00:00Z', people: TEAM });
    await raise(h, 'alice', { title: 'VPN outage', owner: 'bob', severity: 'SEV2' }); // ESC-1
    await h.advance('2026-11-02T09:00:00Z');
    await h.as('bob').command('escalate', 'resolve ESC-1 Router replaced');
    await h.advance('2026-11-20T09:00:00Z');
    await raise(h, 'alice', { title: 'VPN outage again!', owner: 'bob', severity: 'SEV2' }); // ESC-2
    await h.advance('2026-11-21T09:00:00Z');
    await h.as('bob').command('escalate', 'resolve ESC-2 ISP fixed it');

    await h.advance('2026-11-30T09:00:00Z');
    await raise(h, 'alice', { title: 'Badge reader broken', owner: 'bob', severity: 'SEV1' }); // ESC-3
    await raise(h, 'alice', { title: 'Fire door alarm', owner: 'bob', severity: 'SEV1' }); // ESC-4
    await raise(h, 'alice', { title: 'Printer down', owner: 'carol', severity: 'SEV2' }); // ESC-5
    await raise(h, 'alice', { title: 'The VPN outages', owner: 'dave', severity: 'SEV3' }); // ESC-6
    await h.advance('2026-11-30T09:10:00Z');
    await h.as('bob').command('escalate', 'ack ESC-3');
    await h.advance('2026-11-30T09:30:00Z');
    await h.as('bob').command('escalate', 'ack ESC-4');
    await h.advance('2026-11-30T09:40:00Z');
    await h.as('bob').command('escalate', 'resolve ESC-3 New reader');
    await h.advance('2026-11-30T11:00:00Z');
    await h.as('bob').command('escalate', 'resolve ESC-4 Sensor cleaned');
    await h.advance('2026-11-30T14:00:00Z');

    await h.as('erin').command('escalate', 'stats 7d');
    expect(h.repliesTo('erin').at(-1)).toBe(
      [
        'Escalations, last 7 days',
        'Raised 4 · Resolved 2 · Open now 2 · Overdue now 1 · Resolved late 1',
        'Time to acknowledge: median 10m, p90 30m (2 acknowledged)',
        'Time to resolve: median 40m, p90 2h (2 resolved)',
        'By severity',
        'SEV1: raised 2, resolved 2, open 0, overdue now 0, resolved late 1 · time to acknowledge: median 10m, p90 30m · time to resolve: median 40m, p90 2h',
        'SEV2: raised 1, resolved 0, open 1, overdue now 1, resolved late 0 · time to acknowledge: median n/a, p90 n/a · time to resolve: median n/a, p90 n/a',
        'SEV3: raised 1, resolved 0, open 1, overdue now 0, resolved late 0 · time to acknowledge: median n/a, p90 n/a · time to resolve: median n/a, p90 n/a',
        'Repeat titles (similar titles within 30 days)',
        '• "The VPN outages": ESC-2, ESC-6',
      ].join('\n'),
    );
    await h.as('erin').command('escalate', 'stats 30d');
    const month = h.repliesTo('erin').at(-1)!;
    expect(month).toContain('Raised 6 · Resolved 4 · Open now 2 · Overdue now 1 · Resolved late 3'); // ESC-1 and ESC-2 took a day for 4 h
    expect(month).toContain('• "The VPN outages": ESC-1, ESC-2, ESC-6');
    await h.as('erin').command('escalate', 'stats');
    expect(h.repliesTo('erin').at(-1)).toContain('Escalations, last 30 days');
    await h.as('erin').command('escalate', 'stats forever');
    expect(h.repliesTo('erin').at(-1)).toContain('Use /escalate stats 7d, 30d or 90d');
  });
});

describe('stats arithmetic', () => {
  test('percentiles are nearest-rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });

  test('similar titles: normalised words, Dice coefficient of at least 0.6', () => {
    expect([...titleTokens('The Printers are DOWN again, on floor #3!')]).toEqual(['printer', 'down', 'floor', '3']);
    expect(similarTitles('Printer down', 'Printer on floor 3 down again')).toBe(true);
    expect(similarTitles('Printer down', 'Database down')).toBe(false);
    expect(similarTitles('Café wifi slow', 'cafe WiFi slow')).toBe(true);
    expect(similarTitles('The', 'the')).toBe(false);
  });

  test('repeat groups look back 30 days from each escalation raised in the window', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 10, d, 9));
    const items = [
      { number: 1, title: 'Printer down', createdAt: day(1) },
      { number: 2, title: 'Printer down', createdAt: day(29) }, // 28 days after 1
      { number: 3, title: 'Disk full', createdAt: day(29) },
      { number: 4, title: 'printers down!', createdAt: day(30) },
    ];
    expect(repeatGroups(items, day(29), 30 * 86_400_000).map((g) => g.map((i) => i.number))).toEqual([[1, 2, 4]]);
    expect(repeatGroups(items, day(29), 20 * 86_400_000).map((g) => g.map((i) => i.number))).toEqual([[2, 4]]);
    const stats = computeStats(
      items.map((i) => ({
        ...i,
        severity: 'SEV3' as const,
        status: 'open' as const,
        dueAt: day(31),
        firstAcknowledgedAt: null,
        resolvedAt: null,
      })),
      day(29),
      day(30),
    );
    expect(stats.all).toMatchObject({ raised: 3, open: 4, overdue: 0, ackMedianMs: null });
  });
});
