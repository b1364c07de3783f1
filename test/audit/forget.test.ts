import { sql } from 'kysely';
import { toJson } from '../../db/tables/json';
import { FORMER_MEMBER_ID } from '../../src/core/former-member';
import { raise } from '../escalation/support';
import { OPS, createRotation, resetDatabase, steadyAt, WORKSPACE } from '../integration/support';
import { createStandup } from '../standup/support';
import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { runConsole } from '../support/console-script';

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
const db = () => database.db;

/** A stand-up session of `userId` on `date` with one answer, as the stand-up stores it once answered. */
async function answered(standupId: string, userId: string, date: string, answer: string): Promise<void> {
  const at = new Date(`${date}T08:00:00Z`);
  await db()
    .insertInto('standup_sessions')
    .values({
      standup_id: standupId,
      workspace_id: WORKSPACE,
      user_id: userId,
      date,
      zone: 'Europe/Berlin',
      questions: toJson([]),
      prompt_at: at,
      cutoff_at: new Date(at.getTime() + 4 * 3_600_000),
      prompted_at: at,
      answers: toJson({ q1: answer }),
      answered_at: at,
      answer_version: 1,
      reply_version: 0,
      late: false,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

/** A delivered handoff whose note `writer` wrote at `at`. */
async function handoffNote(writer: string, incoming: string, at: string, text: string): Promise<void> {
  const version = await db().selectFrom('rotation_versions').select(['id', 'rotation_id']).orderBy('id').executeTakeFirstOrThrow();
  const start = new Date(at);
  await db()
    .insertInto('handoffs')
    .values({
      rotation_id: String(version.rotation_id),
      workspace_id: WORKSPACE,
      version_id: String(version.id),
      outgoing_start: new Date(start.getTime() - 8 * 3_600_000),
      outgoing_end: start,
      incoming_start: start,
      incoming_end: new Date(start.getTime() + 8 * 3_600_000),
      outgoing_id: writer,
      incoming_id: incoming,
      note: toJson({
        status: 'watch',
        sections: [{ label: 'Notes', text }],
        escalations: [],
        blockers: [{ userId: writer, text: 'waiting on IT', standupName: 'Daily' }],
        transfer: false,
      }),
      note_written_at: start,
      note_written_by: writer,
      created_at: start,
    })
    .execute();
}

const standupId = async () => String((await db().selectFrom('standups').select('id').executeTakeFirstOrThrow()).id);

/** Every stored text that still names bob in the tables that are kept. */
async function mentionsOfBob(): Promise<string[]> {
  const found: string[] = [];
  for (const table of [
    'escalations',
    'escalation_events',
    'handoffs',
    'rotation_versions',
    'standups',
    'audit_records',
    'workspace_admins',
    'people',
    'dashboard_links',
  ]) {
    const rows = await sql<{
      row: string;
    }>`select t::text as row from ${sql.table(table)} t where t::text ~ '(^|[^a-z])bob([^a-z]|$)'`.execute(db());
    found.push(...rows.rows.map((r) => `${table}: ${r.row}`));
  }
  return found;
}

describe('/steady forget', () => {
  test('erases what it says, keeps the escalation timeline with "a former member", and records it without the content', async () => {
    const h: Harness = steadyAt(database, START);
    const erin = h.as('erin');
    await erin.command('escalate', 'admins add <@erin>');
    await erin.command('escalate', 'admins add <@bob>');
    await h.as('bob').command('steady', 'tz America/Chicago');
    await createStandup(h, 'carol', { name: 'Daily', participants: ['alice', 'bob'], admins: ['bob', 'alice'] });
    const daily = await standupId();
    await answered(daily, 'bob', '2026-11-27', 'Fixed the printer driver');
    await answered(daily, 'alice', '2026-11-27', 'Ordered toner');
    await createRotation(h, 'erin', { members: ['alice', 'bob', 'carol'] });
    await raise(h, 'bob', { title: 'Printer down', owner: 'bob' });
    await db()
      .insertInto('dashboard_links')
      .values({
        token_hash: 'h-bob',
        workspace_id: WORKSPACE,
        user_id: 'bob',
        created_at: new Date(START),
        expires_at: new Date('2026-12-01T00:00:00Z'),
        revoked_at: null,
      })
      .execute();
    const job = (userId: string) => ({
      kind: 'people.problem-report',
      payload: toJson({ key: `k-${userId}`, workspaceId: WORKSPACE, userId, text: 'hi' }),
      run_at: new Date('2026-12-01T00:00:00Z'),
      scheduled_for: new Date('2026-12-01T00:00:00Z'),
      state: 'pending' as const,
      max_attempts: 3,
      created_at: new Date(START),
      updated_at: new Date(START),
      dedupe_key: `test-${userId}`,
    });
    await db()
      .insertInto('jobs')
      .values([job('bob'), job('alice')])
      .execute();

    // Not an admin: refused, with who may.
    await h.as('alice').command('steady', 'forget <@bob>');
    expect(h.repliesTo('alice').at(-1)).toBe('Only workspace admins can forget a person. Ask one of them: @erin, @bob.');
    // Still on duty: told what to change first, nothing erased.
    await erin.command('steady', 'forget <@bob>');
    expect(h.repliesTo('erin').at(-1)).toBe(
      'Not yet: @bob still has work Steady would otherwise page nobody for: they own ESC-1: reassign it (/escalate reassign ESC-1 @name); they are in the rotation Ops: take them off (/handoff rotation edit Ops). Then forget them again.',
    );
    await h.as('bob').command('escalate', 'reassign ESC-1 <@alice> back from leave');
    await erin.in(OPS).command('handoff', 'rotation edit Ops');
    await erin.in(OPS).submit({ members: ['alice', 'carol'] });
    // Notes from before (written straight into the table, as the handoff steps store them).
    await handoffNote('bob', 'alice', '2026-11-29T07:00:00Z', 'Printer 3 jams on A3');
    await handoffNote('alice', 'bob', '2026-11-28T07:00:00Z', 'All quiet');

    // Asked first: the answer says what goes and what stays, with a button.
    await erin.command('steady', 'forget <@bob>');
    expect(h.repliesTo('erin').at(-2)).toBe(
      'Forget @bob? This erases their stand-up answers, the handoff notes they wrote and the questions they asked, their profile (name, time zone), their dashboard links, their admin rights and everything waiting to be sent to them. Escalations they raised, owned or acted on are kept, with a former member in their place. This cannot be undone.\n[Forget them]',
    );
    expect(h.repliesTo('erin').at(-1)).toBe('Or type /steady forget @bob confirm.');
    expect(await db().selectFrom('standup_sessions').select('user_id').where('user_id', '=', 'bob').execute()).toHaveLength(1);

    await erin.press({ actionId: 'steady.forget', value: 'bob' });
    expect(h.repliesTo('erin').at(-1)).toBe(
      'Done: that person is forgotten. Erased 1 stand-up answer, 1 handoff note, 0 handoff questions, their profile, 1 dashboard link and 1 pending message or reminder. 2 escalation fields and 4 timeline entries now read "a former member". /steady audit shows the record of this.',
    );

    // Erased: answers, participation and its rule, profile, admin rights, links, the note's text, jobs for them.
    expect((await db().selectFrom('standup_sessions').select(['user_id', 'answers']).execute()).map((s) => [s.user_id, s.answers])).toEqual(
      [['alice', { q1: 'Ordered toner' }]],
    );
    expect((await db().selectFrom('standup_participants').select('user_id').execute()).map((p) => p.user_id)).toEqual(['alice']);
    expect(await db().selectFrom('standups').select(['admin_ids', 'creator_id']).execute()).toEqual([
      { admin_ids: ['alice'], creator_id: 'carol' },
    ]);
    expect(await db().selectFrom('recurring_rules').select('key').where('key', '=', `standup:${daily}:bob`).execute()).toEqual([]);
    expect(await db().selectFrom('people').select('user_id').where('user_id', '=', 'bob').execute()).toEqual([]);
    expect((await db().selectFrom('workspace_admins').select('user_id').execute()).map((a) => a.user_id)).toEqual(['erin']);
    expect(await db().selectFrom('dashboard_links').selectAll().execute()).toEqual([]);
    const notes = await db()
      .selectFrom('handoffs')
      .select(['note_written_by', 'note', 'outgoing_id', 'incoming_id'])
      .orderBy('note_written_at')
      .execute();
    expect(notes[0]).toMatchObject({
      note_written_by: 'alice',
      outgoing_id: 'alice',
      incoming_id: FORMER_MEMBER_ID,
      note: { sections: [{ label: 'Notes', text: 'All quiet' }], blockers: [{ userId: 'alice' }] },
    });
    expect(notes[1]).toEqual({ note_written_by: FORMER_MEMBER_ID, note: null, outgoing_id: FORMER_MEMBER_ID, incoming_id: 'alice' });
    const jobs = await db()
      .selectFrom('jobs')
      .select(['dedupe_key', 'state'])
      .where('dedupe_key', 'in', ['test-bob', 'test-alice'])
      .orderBy('dedupe_key')
      .execute();
    expect(jobs).toEqual([
      { dedupe_key: 'test-alice', state: 'pending' },
      { dedupe_key: 'test-bob', state: 'cancelled' },
    ]);
    // Kept: the escalation and its timeline, naming nobody.
    expect(await db().selectFrom('escalations').select(['title', 'owner_id', 'raiser_id', 'created_by']).execute()).toEqual([
      { title: 'Printer down', owner_id: 'alice', raiser_id: FORMER_MEMBER_ID, created_by: FORMER_MEMBER_ID },
    ]);
    expect(await mentionsOfBob()).toEqual([]);

    await h.as('alice').command('escalate', 'show ESC-1');
    const timeline = h.repliesTo('alice').at(-1)!;
    expect(timeline).toContain('Raised by a former member');
    expect(timeline).toContain('Reassigned from a former member to @alice by a former member: back from leave');
    expect(timeline).toContain('Raised by: a former member');
    expect(timeline).not.toContain('@bob');
    expect(timeline).not.toContain(FORMER_MEMBER_ID);

    // Working the escalation on tells its people; the former member is nobody to write to.
    const sentBefore = h.platform.sent.length;
    await h.as('alice').command('escalate', 'resolve ESC-1 Replaced the fuser');
    await h.advance(60_000);
    expect(h.repliesTo('alice').at(-1)).toContain('Resolved ESC-1');
    expect(h.platform.sent.slice(sentBefore).filter((s) => s.to.includes('former'))).toEqual([]);
    expect(await db().selectFrom('jobs').select(['kind', 'state', 'last_error']).where('state', '=', 'failed').execute()).toEqual([]);

    // The audit trail has the erasure, and no name or content of what went.
    await erin.command('steady', 'audit');
    const audit = h.repliesTo('erin').at(-1)!;
    expect(audit).toContain('@erin · person.forgotten a former member');
    expect(audit).toContain('@erin · admin.added a former member');
    expect(audit).not.toContain('Fixed the printer driver');
    const record = await db()
      .selectFrom('audit_records')
      .select(['subject', 'after'])
      .where('action', '=', 'person.forgotten')
      .executeTakeFirstOrThrow();
    expect(record).toEqual({
      subject: FORMER_MEMBER_ID,
      after: { answers: 1, notes: 1, questions: 0, profile: 1, links: 1, jobs: 1, escalations: 2, events: 4 },
    });
  });

  test('refusals: not a mention, a stray word, oneself', async () => {
    const h = steadyAt(database, START);
    const erin = h.as('erin');
    await erin.command('escalate', 'admins add <@erin>');
    for (const [text, answer] of [
      ['forget bob', 'Name the person as a mention. Use /steady forget @person; it asks you to confirm first.'],
      ['forget <@bob> now', '"now" is not something /steady forget takes. Use /steady forget @person; it asks you to confirm first.'],
      ['forget <@erin> confirm', 'You cannot forget yourself: ask another workspace admin.'],
    ]) {
      await erin.command('steady', text!);
      expect(h.repliesTo('erin').at(-1)).toBe(answer);
    }
    expect(await db().selectFrom('audit_records').select('action').where('action', '=', 'person.forgotten').execute()).toEqual([]);
  });
});

describe('retention', () => {
  test('answers and notes older than the setting are deleted by the nightly rule; newer ones stay', async () => {
    const h = steadyAt(database, START);
    const erin = h.as('erin');
    await erin.command('escalate', 'admins add <@erin>');
    await erin.command('steady', 'retention');
    expect(h.repliesTo('erin').at(-1)).toBe(
      'Stand-up answers are kept forever; handoff notes are kept forever. Older ones are deleted every night at 03:30 (the workspace’s time zone). Use /steady retention answers 90d (stand-up answers) or /steady retention notes 180d (handoff notes), from 7d to 3650d, or "keep" to keep them forever.',
    );
    await h.as('alice').command('steady', 'retention answers 30d');
    expect(h.repliesTo('alice').at(-1)).toBe('Only workspace admins can change how long records are kept. Ask one of them: @erin.');
    await erin.command('steady', 'retention answers 3d');
    expect(h.repliesTo('erin').at(-1)).toContain('Say how long, in days: Use /steady retention answers 90d');

    await createStandup(h, 'carol', { name: 'Daily', participants: ['alice', 'bob'] });
    const daily = await standupId();
    await answered(daily, 'alice', '2026-10-01', 'old');
    await answered(daily, 'alice', '2026-11-05', 'recent');
    await createRotation(h, 'erin');
    await handoffNote('bob', 'alice', '2026-09-01T07:00:00Z', 'old note');
    await handoffNote('alice', 'bob', '2026-11-20T07:00:00Z', 'recent note');

    await erin.command('steady', 'retention answers 30d');
    await erin.command('steady', 'retention notes 60d');
    expect(h.repliesTo('erin').at(-1)).toContain('Stand-up answers are kept for 30 days; handoff notes are kept for 60 days.');
    expect(
      await db().selectFrom('recurring_rules').select(['cron', 'job_kind']).where('key', '=', `retention:${WORKSPACE}`).executeTakeFirst(),
    ).toEqual({ cron: '30 3 * * *', job_kind: 'audit.retention' });
    // Nothing is deleted before the night's run.
    expect(await db().selectFrom('standup_sessions').select('id').execute()).toHaveLength(2);

    await h.advance('2026-12-01T04:00:00Z');
    expect((await db().selectFrom('standup_sessions').select('answers').execute()).map((s) => s.answers)).toEqual([{ q1: 'recent' }]);
    const notes = await db()
      .selectFrom('handoffs')
      .select(['note', 'outgoing_id'])
      .where('note_written_at', 'is not', null)
      .orderBy('outgoing_start')
      .execute();
    expect(notes.map((n) => [n.outgoing_id, (n.note as { sections: { text: string }[] } | null)?.sections[0]?.text ?? null])).toEqual([
      ['bob', null],
      ['alice', 'recent note'],
    ]);

    // Back to keeping: the rule goes, and the change is audited each time.
    await erin.command('steady', 'retention answers keep');
    await erin.command('steady', 'retention notes keep');
    expect(await db().selectFrom('recurring_rules').select('key').where('key', '=', `retention:${WORKSPACE}`).execute()).toEqual([]);
    expect(await db().selectFrom('audit_records').select('action').where('action', '=', 'retention.changed').execute()).toHaveLength(4);
  });
});

test('in the console: an admin reads the audit trail, a member is refused, and a person is forgotten with confirm', async () => {
  const out = await runConsole(
    database,
    [
      '/as bob Europe/Berlin',
      '/as alice Europe/Berlin',
      '/escalate admins add @alice',
      '/escalate settings chase 2h',
      '/steady audit',
      '/as bob Europe/Berlin',
      '/steady audit',
      '/as alice Europe/Berlin',
      '/steady forget @bob confirm',
    ],
    { start: START },
  );
  expect(out).toContain('Admin changes in the last 7 days, newest first:');
  expect(out).toMatch(/@alice · settings\.changed escalation settings\s+chaseMinutes: \(none\) → 120/);
  expect(out).toContain('Only workspace admins can read the audit trail. Ask one of them: @alice.');
  expect(out).toContain('Done: that person is forgotten. Erased 0 stand-up answers');
  expect((await db().selectFrom('people').select('user_id').orderBy('user_id').execute()).map((p) => p.user_id)).toEqual(['alice', 'you']);
});
