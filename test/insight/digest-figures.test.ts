import { digestFigures, digestPeriods } from '../../src/insight/digest-figures';
import { digestMessage } from '../../src/insight/digest-message';
import { resetDatabase } from '../integration/support';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { visibleText } from '../support/visible-text';
import { DIGEST_AT, WORKSPACE, ZONE, seedFixtureWeek } from './support';

const MIN = 60_000;
const HOUR = 60 * MIN;

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

describe('digest figures from a fixture week', () => {
  test('escalations, decisions, stand-ups and handoffs: this week against the week before, computed by hand', async () => {
    await seedFixtureWeek(database);
    const f = await digestFigures(database.db, WORKSPACE, new Date(DIGEST_AT), ZONE);

    expect(f.current.from.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(f.previous.from.toISOString()).toBe('2026-11-16T08:00:00.000Z');
    expect([f.current.firstDate, f.current.lastDate]).toEqual(['2026-11-23', '2026-11-29']);

    // This week: ESC-2..5 raised; ESC-2, 3 and 6 resolved (2 and 6 late); 4 and 5 open, 4 overdue.
    // Acknowledged in 10m, 30m, 5m: median (rank 2 of 3) 10m, p90 (rank 3) 30m.
    // Resolved in 40m, 2h, 7d: median 2h, p90 7d. The week before: ESC-1 and 6 raised, ESC-1 resolved in 2h,
    // acknowledged in 20m and 30m (median 20m, p90 30m).
    const { now, before } = f.escalations.all;
    expect(now).toEqual({
      raised: 4,
      resolved: 3,
      open: 2,
      overdue: 1,
      resolvedLate: 2,
      acknowledged: 3,
      ackMedianMs: 10 * MIN,
      ackP90Ms: 30 * MIN,
      resolveMedianMs: 2 * HOUR,
      resolveP90Ms: 7 * 24 * HOUR,
    });
    expect(before).toMatchObject({
      raised: 2,
      resolved: 1,
      resolvedLate: 0,
      acknowledged: 2,
      ackMedianMs: 20 * MIN,
      ackP90Ms: 30 * MIN,
      resolveMedianMs: 2 * HOUR,
      resolveP90Ms: 2 * HOUR,
    });
    expect(f.escalations.bySeverity.SEV1.now).toMatchObject({
      raised: 2,
      resolved: 2,
      resolvedLate: 1,
      ackMedianMs: 10 * MIN,
      ackP90Ms: 30 * MIN,
      resolveMedianMs: 40 * MIN,
      resolveP90Ms: 2 * HOUR,
    });
    expect(f.escalations.bySeverity.SEV2.now).toMatchObject({
      raised: 1,
      resolved: 1,
      resolvedLate: 1,
      ackMedianMs: 5 * MIN,
      resolveMedianMs: 7 * 24 * HOUR,
    });
    expect(f.escalations.bySeverity.SEV2.before).toMatchObject({ raised: 2, resolved: 1, ackMedianMs: 20 * MIN, ackP90Ms: 30 * MIN });
    expect(f.escalations.repeats).toEqual([
      [
        { number: 1, title: 'VPN outage' },
        { number: 5, title: 'The VPN outages' },
      ],
    ]);
    expect(f.escalations.decisions.map((d) => [d.number, d.title, d.decision, d.ownerId])).toEqual([
      [2, 'Badge reader broken', 'New reader', 'bob'],
      [3, 'Fire door alarm', 'Sensor cleaned', 'bob'],
      [6, 'Laptop stolen', 'Replaced and wiped', 'carol'],
    ]);

    // Daily this week: 4 on time, 1 late, 3 missed, 1 skipped: participation 5/8, on time 4/8;
    // the week before: 5 on time, 1 missed: 5/6 both. Two blockers, one escalated; bob missed 2 days.
    const [daily] = f.standups;
    expect(daily!.standup.name).toBe('Daily');
    expect(daily!.figures.now).toEqual({ participation: 5 / 8, onTime: 4 / 8, blockers: 2, escalated: 1 });
    expect(daily!.figures.before).toEqual({ participation: 5 / 6, onTime: 5 / 6, blockers: 0, escalated: 0 });
    expect(daily!.mostMissed).toEqual({ userIds: ['bob'], days: 2 });

    // Handoffs this week: 4 shift changes, 2 notes on time, 1 late, 1 missing; 3 delivered, 2 confirmed
    // (after 10m and 30m: median 20m); 2 chased; 2 raised to the supervisor. The week before: 2 of 2, confirmed in 30m and 10m.
    expect(f.handoffs.all.now).toEqual({
      handoffs: 4,
      notesOnTime: 2,
      notesLate: 1,
      notesMissing: 1,
      delivered: 3,
      confirmed: 2,
      confirmationRate: 2 / 3,
      medianTimeToConfirmMs: 20 * MIN,
      chased: 2,
      raisedToSupervisor: 2,
    });
    expect(f.handoffs.all.before).toMatchObject({
      handoffs: 2,
      notesOnTime: 2,
      confirmationRate: 1,
      medianTimeToConfirmMs: 20 * MIN,
      chased: 0,
      raisedToSupervisor: 0,
    });
  });

  test('the message: arrows and deltas against the week before, the decisions, and missed days only where allowed', async () => {
    await seedFixtureWeek(database);
    const f = await digestFigures(database.db, WORKSPACE, new Date(DIGEST_AT), ZONE);
    const channel = visibleText(digestMessage(f, { showMissedFor: new Set() }));
    expect(channel.split('\n')).toEqual([
      'Weekly digest: Mon, 23 Nov 2026 to Sun, 29 Nov 2026',
      'The 7 days to Mon, 30 Nov 2026, 09:00 CET against the 7 days before: ▲ up, ▼ down, = the same.',
      'Escalations',
      'Raised 4 ▲2 · Resolved 3 ▲2 · Resolved late 2 ▲2 · Open now 2 · Overdue now 1',
      'Time to acknowledge: median 10m ▼10m, p90 30m = (3 acknowledged)',
      'Time to resolve: median 2h =, p90 7d ▲6d 22h (3 resolved)',
      'By severity',
      'SEV1: raised 2 ▲2, resolved 2 ▲2, resolved late 1 ▲1 · acknowledge median 10m, p90 30m · resolve median 40m, p90 2h',
      'SEV2: raised 1 ▼1, resolved 1 =, resolved late 1 ▲1 · acknowledge median 5m ▼15m, p90 5m ▼25m · resolve median 7d ▲6d 22h, p90 7d ▲6d 22h',
      'SEV3: raised 1 ▲1, resolved 0 =, resolved late 0 = · acknowledge median n/a, p90 n/a · resolve median n/a, p90 n/a',
      'Repeat titles (similar titles within 30 days)',
      '• "The VPN outages": ESC-1, ESC-5',
      'Decisions made (3)',
      '• ESC-2 Badge reader broken: New reader (owner @bob)',
      '• ESC-3 Fire door alarm: Sensor cleaned (owner @bob)',
      '• ESC-6 Laptop stolen: Replaced and wiped (owner @carol)',
      '---',
      'Stand-ups',
      'Daily: participation 63% ▼20 pts · on time 50% ▼33 pts · blockers 2 ▲2, escalated 1 ▲1',
      '---',
      'Handoffs',
      'Notes on time 2 of 4 = · confirmation rate 67% ▼33 pts · median time to confirm 20m = · chased 2 ▲2 · raised to the supervisor 2 ▲2',
      'Escalations, stand-ups and handoffs are counted as /escalate stats, /standup report and /handoff stats count them.',
    ]);
    expect(channel).not.toContain('Missed most days');
    const daily = f.standups[0]!.standup.id;
    const admin = visibleText(digestMessage(f, { showMissedFor: new Set([daily]), preview: true }));
    expect(admin).toContain(
      "Daily: participation 63% ▼20 pts · on time 50% ▼33 pts · blockers 2 ▲2, escalated 1 ▲1\n    Missed most days (2): @bob (shown to the stand-up's admins only)",
    );
    expect(admin.split('\n')[0]).toBe('Weekly digest: Mon, 23 Nov 2026 to Sun, 29 Nov 2026 (preview)');
  });
});

describe('a long week', () => {
  test('fifteen decisions are listed, in sections of five, and the rest counted; long decisions and tied names are cut short', async () => {
    await seedFixtureWeek(database);
    const f = await digestFigures(database.db, WORKSPACE, new Date(DIGEST_AT), ZONE);
    const decisions = Array.from({ length: 17 }, (_, i) => ({
      number: 100 + i,
      title: `Thing ${i}`,
      decision: 'x'.repeat(400),
      ownerId: 'bob',
      resolvedAt: new Date(DIGEST_AT),
    }));
    const daily = { ...f.standups[0]!, mostMissed: { userIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], days: 1 } };
    const msg = digestMessage(
      { ...f, escalations: { ...f.escalations, decisions }, standups: [daily] },
      { showMissedFor: new Set([daily.standup.id]) },
    );
    const text = visibleText(msg);
    expect(text).toContain('Decisions made (17)');
    expect(text.match(/^• ESC-1\d\d /gm)).toHaveLength(15);
    expect(text).toContain(`• ESC-100 Thing 0: ${'x'.repeat(279)}… (owner @bob)`);
    expect(text).toContain('And 2 more.');
    expect(text).toContain("Missed most days (1): @a, @b, @c, @d, @e and 2 more (shown to the stand-up's admins only)");
    expect(msg.blocks.filter((b) => b.type === 'section' && visibleText({ blocks: [b] }).includes('• ESC-1'))).toHaveLength(3);
  });
});

describe('digest periods', () => {
  test('a week is seven local days: across the October change it is 169 hours, across March 167', () => {
    const autumn = digestPeriods(new Date('2026-10-26T08:00:00Z'), 'Europe/Berlin'); // Mon 26 Oct 09:00 CET
    expect(autumn.current.from.toISOString()).toBe('2026-10-19T07:00:00.000Z'); // Mon 19 Oct 09:00 CEST
    expect((autumn.current.to.getTime() - autumn.current.from.getTime()) / HOUR).toBe(169);
    const spring = digestPeriods(new Date('2026-03-30T07:00:00Z'), 'Europe/Berlin'); // Mon 30 Mar 09:00 CEST
    expect(spring.current.from.toISOString()).toBe('2026-03-23T08:00:00.000Z');
    expect((spring.current.to.getTime() - spring.current.from.getTime()) / HOUR).toBe(167);
    expect(spring.previous.from.toISOString()).toBe('2026-03-16T08:00:00.000Z');
  });
});
