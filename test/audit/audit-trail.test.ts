import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { createPolicy, makeAdmin } from '../escalation/support';
import { OPS, createRotation, resetDatabase, steadyAt } from '../integration/support';
import { createStandup } from '../standup/support';
import type { Harness } from '../support/harness';
import { DashboardRig } from '../dashboard/support';

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

const START = '2026-11-30T09:00:00Z';

async function records() {
  const rows = await database.db.selectFrom('audit_records').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    actor: r.actor_id,
    action: r.action,
    subject: r.subject,
    before: r.before,
    after: r.after,
    at: r.at.toISOString(),
  }));
}

const idOf = async (table: 'escalation_policies' | 'rotations' | 'standups', name: string) =>
  String((await database.db.selectFrom(table).select('id').where('name', '=', name).executeTakeFirstOrThrow()).id);

describe('the audit trail', () => {
  test('every kind of admin change leaves one record with who, when, what and before/after', async () => {
    const h = steadyAt(database, START);
    const erin = h.as('erin');
    await makeAdmin(h, 'erin');
    await erin.command('escalate', 'admins add <@alice>');
    await erin.command('escalate', 'admins remove <@alice>');
    await erin.command('escalate', 'settings chase 2h');
    await erin.command('escalate', 'settings chase 2h'); // the same again: nothing changed, nothing recorded
    await createPolicy(h, 'erin', 'Ops', [{ users: ['bob'], wait: '10' }]);
    await erin.command('escalate', 'policy edit Ops');
    await erin.submit({ repeat: '2' });
    await erin.command('escalate', 'policy default Ops');
    const policyId = await idOf('escalation_policies', 'Ops');
    await erin.press({ actionId: 'escalation.policy-delete', value: policyId });
    await erin.command('steady', 'digest channel <#test:C-leads>');
    h.clock.advance(60_000);
    await createRotation(h, 'erin');
    await erin.in(OPS).command('handoff', 'rotation edit Ops');
    await erin.in(OPS).submit({ lead: '45m' });
    await erin.press({ actionId: 'handoff.rotation-delete', value: await idOf('rotations', 'Ops') });
    await createStandup(h, 'erin', { name: 'Daily', participants: ['alice', 'bob'] });
    await erin.command('standup', 'edit Daily');
    await erin.submit({ time: '10:30', participants: ['alice', 'carol'] });
    await erin.command('standup', 'pause Daily');
    await erin.press({ actionId: 'standup.delete', value: await idOf('standups', 'Daily') });
    await erin.command('steady', 'retention answers 90d');

    const all = await records();
    expect(all.map((r) => `${r.actor} ${r.action} ${r.subject}`)).toEqual([
      'erin admin.added erin',
      'erin admin.added alice',
      'erin admin.removed alice',
      'erin settings.changed escalation settings',
      'erin policy.created Ops',
      'erin policy.changed Ops',
      'erin settings.changed escalation settings',
      'erin policy.removed Ops',
      'erin digest.changed weekly digest',
      'erin rotation.created Ops',
      'erin rotation.changed Ops',
      'erin rotation.removed Ops',
      'erin standup.created Daily',
      'erin standup.changed Daily',
      'erin standup.changed Daily',
      'erin standup.removed Daily',
      'erin retention.changed retention',
    ]);
    const [
      added,
      ,
      removed,
      chase,
      created,
      changed,
      defaulted,
      deleted,
      digest,
      rotation,
      rotationEdit,
      ,
      standup,
      standupEdit,
      paused,
      standupGone,
      retention,
    ] = all;
    expect(added).toMatchObject({ before: { admin: false }, after: { admin: true }, at: '2026-11-30T09:00:00.000Z' });
    expect(removed).toMatchObject({ before: { admin: true }, after: { admin: false } });
    expect(chase!.before).toBeNull();
    expect(chase!.after).toMatchObject({ chaseMinutes: 120 });
    expect(created).toMatchObject({ before: null, after: { name: 'Ops', repeat: 0, levels: [{ users: ['bob'], waitMinutes: 10 }] } });
    expect(changed).toMatchObject({ before: { repeat: 0 }, after: { repeat: 2 } });
    expect(defaulted!.before).toMatchObject({ defaultPolicyId: null, chaseMinutes: 120 });
    expect(defaulted!.after).toMatchObject({ defaultPolicyId: policyId });
    expect(deleted).toMatchObject({ before: { name: 'Ops', repeat: 2 }, after: null });
    expect(digest).toMatchObject({
      before: { channel: null, day: 1, time: '09:00' },
      after: { channel: 'test:C-leads', day: 1, time: '09:00' },
    });
    expect(rotation).toMatchObject({
      before: null,
      after: { name: 'Ops', members: ['alice', 'bob', 'carol'], reminderLeadMinutes: 30, supervisorId: 'eve' },
      at: '2026-11-30T09:01:00.000Z',
    });
    expect(rotationEdit).toMatchObject({ before: { reminderLeadMinutes: 30 }, after: { reminderLeadMinutes: 45 } });
    expect(standup).toMatchObject({ before: null, after: { name: 'Daily', participants: ['alice', 'bob'] } });
    expect((standupEdit!.before as { time: string }).time).not.toBe('10:30');
    expect(standupEdit).toMatchObject({ after: { time: '10:30' } });
    expect(paused).toMatchObject({ before: { paused: false }, after: { paused: true } });
    expect(standupGone).toMatchObject({ before: { name: 'Daily', paused: true }, after: null });
    // As the admin reads them: people and channels as mentions, the rest as JSON.
    await erin.command('steady', 'audit');
    const audit = h.repliesTo('erin').at(-1)!;
    expect(audit).toContain('@erin · standup.changed Daily\n   time: "09:30" → "10:30"\n   participants: @alice, @bob → @alice, @carol');
    expect(audit).toContain('@erin · rotation.changed Ops\n   reminderLeadMinutes: 30 → 45');
    expect(audit).toContain('@erin · digest.changed weekly digest\n   channel: (none) → the channel');
    expect(audit).toContain('@erin · standup.created Daily (created)');
    expect(retention).toMatchObject({ before: { answersDays: null, notesDays: null }, after: { answersDays: 90, notesDays: null } });
  });

  test('a change that fails leaves no record, and a record that cannot be written leaves no change', async () => {
    const h = steadyAt(database, START);
    await makeAdmin(h, 'erin');
    const before = (await records()).length;
    // The change itself fails (as a lost connection or a constraint would): its record goes with it.
    await sql`create or replace function steady_test_fail() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`.execute(
      database.db,
    );
    await sql`create trigger steady_test_fail before insert or update on escalation_settings for each row execute function steady_test_fail()`.execute(
      database.db,
    );
    await h.as('erin').command('escalate', 'settings chase 2h');
    await sql`drop trigger steady_test_fail on escalation_settings`.execute(database.db);
    expect(await records()).toHaveLength(before);
    expect(await database.db.selectFrom('escalation_settings').selectAll().execute()).toEqual([]);
    // The record fails: the change is not stored either (nothing half-stored).
    await sql`create trigger steady_test_fail before insert on audit_records for each row execute function steady_test_fail()`.execute(
      database.db,
    );
    await h.as('erin').command('escalate', 'settings chase 2h');
    await h.as('erin').command('escalate', 'admins add <@alice>');
    await sql`drop trigger steady_test_fail on audit_records`.execute(database.db);
    expect(await database.db.selectFrom('escalation_settings').selectAll().execute()).toEqual([]);
    expect((await database.db.selectFrom('workspace_admins').select('user_id').execute()).map((r) => r.user_id)).toEqual(['erin']);
    expect(await records()).toHaveLength(before);
  });

  test('/steady audit shows admins the recent changes in their own zone, newest first, capped; others are refused', async () => {
    const h = steadyAt(database, START);
    const erin = h.as('erin');
    await makeAdmin(h, 'erin');
    await erin.command('escalate', 'settings chase 2h');
    h.clock.advance(3_600_000);
    await erin.command('escalate', 'admins add <@dave>');
    await h.as('dave').command('escalate', 'settings chase 3h');

    await erin.command('steady', 'audit');
    expect(h.repliesTo('erin').at(-1)).toBe(
      [
        'Admin changes in the last 7 days, newest first:',
        'Mon, 30 Nov 2026, 11:00 CET · @dave · settings.changed escalation settings\n   chaseMinutes: 120 → 180',
        'Mon, 30 Nov 2026, 11:00 CET · @erin · admin.added @dave\n   admin: false → true',
        'Mon, 30 Nov 2026, 10:00 CET · @erin · settings.changed escalation settings\n   chaseMinutes: (none) → 120',
        'Mon, 30 Nov 2026, 10:00 CET · @erin · admin.added @erin\n   admin: false → true',
      ].join('\n'),
    );
    // Dave reads the same in his own zone (London).
    await h.as('dave').command('steady', 'audit 1d');
    expect(h.repliesTo('dave').at(-1)).toContain('Admin changes in the last day, newest first:\nMon, 30 Nov 2026, 10:00 GMT · @dave');

    // A week later they are out of the default window, but 30d still reaches them.
    h.clock.advance(8 * 86_400_000);
    await erin.command('steady', 'audit');
    expect(h.repliesTo('erin').at(-1)).toBe('No admin changes in the last 7 days.');
    await erin.command('steady', 'audit 30d');
    expect(h.repliesTo('erin').at(-1)).toContain('Admin changes in the last 30 days, newest first:');

    // Many changes: the newest 20, and how to see the rest.
    for (let i = 0; i < 23; i++) await erin.command('escalate', `settings chase ${10 + i}m`);
    await erin.command('steady', 'audit');
    const capped = h.repliesTo('erin').at(-1)!;
    expect(capped.split('\n')[0]).toBe('Admin changes in the last 7 days (the newest 20 of 23), newest first:');
    expect(capped).toContain('chaseMinutes: 31 → 32');
    expect(capped).not.toContain('chaseMinutes: 10 → 11');
    expect(capped.split('\n').at(-1)).toBe(
      "3 more not shown. The dashboard's audit export has them all once PUBLIC_URL is set (/steady dashboard). Or choose a shorter period: /steady audit 1d.",
    );

    await h.as('bob').command('steady', 'audit');
    expect(h.repliesTo('bob').at(-1)).toBe('Only workspace admins can read the audit trail. Ask one of them: @erin, @dave.');
    for (const [text, answer] of [
      ['audit week', '"week" is not a number of days. Use /steady audit for the last 7 days, or /steady audit 30d for up to 90 days.'],
      [
        'audit 365d',
        "Say from 1d to 90d. For longer, the dashboard's audit export covers up to a year. Use /steady audit for the last 7 days, or /steady audit 30d for up to 90 days.",
      ],
    ]) {
      await erin.command('steady', text!);
      expect(h.repliesTo('erin').at(-1)).toBe(answer);
    }
  });
});

describe('the audit export', () => {
  test('admins download the period as CSV (formula-guarded) or JSON; others get a 403', async () => {
    const rig = await DashboardRig.start(database);
    try {
      const h: Harness = rig.h;
      await makeAdmin(h, 'erin');
      await createPolicy(h, 'erin', '=HYPERLINK("x")', [{ users: ['bob'] }]);
      const admin = await rig.session('erin');
      const csvRes = await rig.get('/dashboard/export/audit.csv?from=2026-11-01&to=2026-11-30', admin);
      expect(csvRes.status).toBe(200);
      expect(csvRes.headers.get('content-disposition')).toContain('steady-audit-2026-11-01-to-2026-11-30.csv');
      const lines = (await csvRes.text()).split('\r\n');
      expect(lines[0]).toBe('at,actor_id,actor,action,subject,before,after');
      expect(lines[1]).toBe('2026-11-30T08:00:00.000Z,erin,Erin,admin.added,erin,"{""admin"":false}","{""admin"":true}"');
      expect(lines[2]).toMatch(/^2026-11-30T08:00:00\.000Z,erin,Erin,policy\.created,"'=HYPERLINK\(""x""\)",,"\{""name"":""'?=HYPERLINK/);

      const json: any = await (await rig.get('/dashboard/export/audit.json', admin)).json();
      expect(json.period).toEqual({ from: '2026-11-01', to: '2026-11-30', timeZone: 'Europe/Berlin' });
      const today: any = await (await rig.get('/dashboard/export/audit.json?from=2026-11-30', admin)).json();
      expect(today.changes.map((c: any) => c.action)).toEqual(['admin.added', 'policy.created']);
      expect(today.changes[1]).toMatchObject({
        actorId: 'erin',
        actor: 'Erin',
        subject: '=HYPERLINK("x")',
        before: null,
        after: { name: '=HYPERLINK("x")', repeat: 0 },
      });

      const member = await rig.session('bob');
      const refused = await rig.get('/dashboard/export/audit.csv', member);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Only workspace admins can export the audit trail.');
      const bad = await rig.get('/dashboard/export/audit.csv?from=30-11-2026', admin);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('&quot;from&quot; must be a date written YYYY-MM-DD');
    } finally {
      await rig.close();
    }
  });
});
