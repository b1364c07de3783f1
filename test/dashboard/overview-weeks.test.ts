import { sql } from 'kysely';
import { loadOverview } from '../../src/dashboard/overview-data';
import { trendCharts } from '../../src/dashboard/overview-page';
import { insertEscalation } from '../../src/storage/escalation/escalations-repository';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { WORKSPACE } from '../support/harness';

const NOW = new Date('2026-11-30T08:00:00Z');
const ZONE = 'Europe/Berlin';
/** Ten a week for twelve weeks: enough for every week to count its own, cheap enough for each test run. */
const COUNT = 120;

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
  // The escalations spread evenly over the twelve weeks: two in three resolved an hour after they were
  // acknowledged (20 minutes after raising), the rest acknowledged and still open.
  await database.db.transaction().execute(async (trx) => {
    for (let n = 1; n <= COUNT; n++) {
      await insertEscalation(trx, {
        workspaceId: WORKSPACE,
        number: n,
        title: `Thing ${n % 40} broke`,
        impact: 'Some',
        options: null,
        recommendation: null,
        severity: (['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const)[n % 4]!,
        ownerId: `u${n % 7}`,
        raiserId: 'alice',
        createdBy: 'alice',
        conversation: 'test:C-ops',
        dueAt: NOW,
        policy: null,
        source: null,
        now: NOW,
      });
    }
  });
  const step = (84 * 86_400_000) / COUNT;
  await sql`
    update escalations set
      created_at = ${NOW}::timestamptz - make_interval(secs => (${COUNT} - number + 1) * ${step / 1000}),
      first_acknowledged_at = ${NOW}::timestamptz - make_interval(secs => (${COUNT} - number + 1) * ${step / 1000}) + interval '20 minutes',
      acknowledged_at = ${NOW}::timestamptz - make_interval(secs => (${COUNT} - number + 1) * ${step / 1000}) + interval '20 minutes',
      due_at = ${NOW}::timestamptz - make_interval(secs => (${COUNT} - number + 1) * ${step / 1000}) + interval '4 hours',
      resolved_at = case when number % 3 = 0 then null else ${NOW}::timestamptz - make_interval(secs => (${COUNT} - number + 1) * ${step / 1000}) + interval '80 minutes' end,
      status = case when number % 3 = 0 then 'acknowledged' else 'resolved' end,
      resolution = case when number % 3 = 0 then null else 'Fixed' end
    where workspace_id = ${WORKSPACE}`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
});

describe('twelve weeks of a busy workspace', () => {
  test('the overview (12 × the digest figures) counts each week its own escalations, and times to acknowledge', async () => {
    const overview = await loadOverview(database.db, WORKSPACE, NOW, ZONE);
    const [raised, resolved] = trendCharts(overview.weeks)[0]!.series;
    expect(raised!.values.reduce((a, b) => a! + b!, 0)).toBe(COUNT);
    expect(raised!.values.every((v) => v !== null && Math.abs(v - COUNT / 12) <= 1)).toBe(true);
    expect(resolved!.values.reduce((a, b) => a! + b!, 0)).toBe(COUNT * (2 / 3));
    expect(trendCharts(overview.weeks)[1]!.series[0]!.values.every((v) => v === 20 * 60_000)).toBe(true);
  });
});
