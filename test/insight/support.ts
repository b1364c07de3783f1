import type { Db } from '../../db/schema';
import { toJson } from '../../db/tables/json';
import type { StoredQuestion } from '../../db/tables/standup';
import type { HandoffNote } from '../../src/handoff/model';
import { raise } from '../escalation/support';
import { TEAM, createRotation } from '../integration/support';
import type { SteadyOptions } from '../../src/steady';
import { createStandup } from '../standup/support';
import type { TestDatabase } from '../support/database';
import { Harness, WORKSPACE } from '../support/harness';

export { WORKSPACE };
export const ZONE = 'Europe/Berlin';
/** Monday 30 November 2026, 09:00 in Berlin: the fixture's digest. */
export const DIGEST_AT = '2026-11-30T08:00:00Z';

const at = (iso: string) => new Date(iso);

/** Sets an escalation's times and outcome as the fixture needs them. */
async function shape(
  db: Db,
  number: number,
  e: { created: string; due: string; acked?: string; resolved?: string; status: 'open' | 'acknowledged' | 'resolved'; resolution?: string },
): Promise<void> {
  await db
    .updateTable('escalations')
    .set({
      created_at: at(e.created),
      due_at: at(e.due),
      first_acknowledged_at: e.acked ? at(e.acked) : null,
      acknowledged_at: e.acked ? at(e.acked) : null,
      resolved_at: e.resolved ? at(e.resolved) : null,
      status: e.status,
      resolution: e.resolution ?? null,
    })
    .where('workspace_id', '=', WORKSPACE)
    .where('number', '=', number)
    .execute();
}

/**
 * One person's stand-up on one date as stored, with the outcome asked for: prompted at 08:00Z, cut
 * off at 12:00Z; answered at 09:00Z (13:00Z when late); 'waiting' is still open (not closed), and
 * 'unreachable' had its prompt refused. Questions and answers are stored as given (none by default).
 */
export async function insertSession(
  db: Db,
  standupId: string,
  userId: string,
  date: string,
  outcome: {
    kind: 'on-time' | 'late' | 'missed' | 'skipped' | 'unreachable' | 'waiting';
    blocker?: string;
    escalation?: string;
    questions?: readonly StoredQuestion[];
    answers?: Readonly<Record<string, string>>;
    workspaceId?: string;
  },
): Promise<void> {
  const promptAt = at(`${date}T08:00:00Z`);
  const cutoffAt = at(`${date}T12:00:00Z`);
  const answered = outcome.kind === 'on-time' || outcome.kind === 'late';
  await db
    .insertInto('standup_sessions')
    .values({
      standup_id: standupId,
      workspace_id: outcome.workspaceId ?? WORKSPACE,
      user_id: userId,
      date,
      zone: ZONE,
      questions: toJson(outcome.questions ?? []),
      prompt_at: promptAt,
      cutoff_at: cutoffAt,
      prompted_at: outcome.kind === 'unreachable' ? null : promptAt,
      prompt_error: outcome.kind === 'unreachable' ? 'NOT_FOUND' : null,
      answers: toJson(outcome.answers ?? {}),
      answered_at: answered ? at(`${date}T${outcome.kind === 'late' ? '13' : '09'}:00:00Z`) : null,
      late: outcome.kind === 'late',
      skipped_at: outcome.kind === 'skipped' ? at(`${date}T08:30:00Z`) : null,
      closed_at: outcome.kind === 'waiting' ? null : cutoffAt,
      blocker: outcome.blocker ?? null,
      escalation_ref: outcome.escalation ?? null,
      answer_version: 1,
      reply_version: 0,
      created_at: promptAt,
      updated_at: promptAt,
    })
    .execute();
}

/**
 * One handoff row, as the handoff steps would have left it: an 8-hour shift change at `start` from
 * `from` (alice) to `to` (bob), with the note, delivery, confirmation, chase and raises given.
 */
export async function insertHandoff(
  db: Db,
  rotation: { id: string; versionId: string; workspaceId?: string },
  start: string,
  h: {
    from?: string;
    to?: string;
    note?: HandoffNote;
    written?: string;
    posted?: string;
    confirmed?: string;
    chased?: string;
    /** Raised to the supervisor: no note by then, or not confirmed by then. */
    supervisorNote?: string;
    supervisorConfirm?: string;
    /** The same person on both sides: the step was skipped. */
    skipped?: boolean;
    createdAt?: string;
  },
): Promise<void> {
  const incomingStart = at(start);
  const t = (iso?: string) => (iso ? at(iso) : null);
  await db
    .insertInto('handoffs')
    .values({
      rotation_id: rotation.id,
      workspace_id: rotation.workspaceId ?? WORKSPACE,
      version_id: rotation.versionId,
      outgoing_start: new Date(incomingStart.getTime() - 8 * 3_600_000),
      outgoing_end: incomingStart,
      incoming_start: incomingStart,
      incoming_end: new Date(incomingStart.getTime() + 8 * 3_600_000),
      outgoing_id: h.from ?? 'alice',
      incoming_id: h.to ?? 'bob',
      note: h.note ? toJson(h.note) : null,
      note_written_at: t(h.written),
      note_written_by: h.written ? (h.from ?? 'alice') : null,
      posted_at: t(h.posted),
      confirmed_at: t(h.confirmed),
      confirmed_by: h.confirmed ? (h.to ?? 'bob') : null,
      chased_at: t(h.chased),
      supervisor_note_at: t(h.supervisorNote),
      supervisor_confirm_at: t(h.supervisorConfirm),
      skipped_at: h.skipped ? incomingStart : null,
      skip_reason: h.skipped ? 'same person' : null,
      created_at: at(h.createdAt ?? '2026-11-10T08:00:00Z'),
    })
    .execute();
}

/**
 * The fixture week, worked out by hand in digest-figures.test.ts: six escalations over two weeks,
 * a stand-up "Daily" (alice, bob, carol; carol created it) with sessions on five days, and a
 * rotation "Ops" with six handoffs. Returns the harness at the moment before the digest.
 */
export async function seedFixtureWeek(
  database: TestDatabase,
  now = '2026-11-30T07:30:00Z',
  steady: Partial<SteadyOptions> = {},
): Promise<Harness> {
  const h = new Harness(database, { start: '2026-11-10T08:00:00Z', people: TEAM, steady: { defaultTimeZone: ZONE, ...steady } });
  const db = database.db;
  await raise(h, 'alice', { title: 'VPN outage', owner: 'bob', severity: 'SEV2' }); // ESC-1
  await raise(h, 'alice', { title: 'Badge reader broken', owner: 'bob', severity: 'SEV1' }); // ESC-2
  await raise(h, 'alice', { title: 'Fire door alarm', owner: 'bob', severity: 'SEV1' }); // ESC-3
  await raise(h, 'alice', { title: 'Printer down', owner: 'carol', severity: 'SEV2' }); // ESC-4
  await raise(h, 'alice', { title: 'The VPN outages', owner: 'dave', severity: 'SEV3' }); // ESC-5
  await raise(h, 'alice', { title: 'Laptop stolen', owner: 'carol', severity: 'SEV2' }); // ESC-6
  // The week before: 16 Nov 08:00Z to 23 Nov 08:00Z.
  await shape(db, 1, {
    created: '2026-11-17T10:00:00Z',
    acked: '2026-11-17T10:20:00Z',
    resolved: '2026-11-17T12:00:00Z',
    due: '2026-11-18T10:00:00Z',
    status: 'resolved',
    resolution: 'Router replaced',
  });
  await shape(db, 6, {
    created: '2026-11-20T09:00:00Z',
    acked: '2026-11-20T09:30:00Z',
    resolved: '2026-11-27T09:00:00Z',
    due: '2026-11-21T09:00:00Z',
    status: 'resolved',
    resolution: 'Replaced and wiped',
  });
  // The week: 23 Nov 08:00Z to 30 Nov 08:00Z.
  await shape(db, 2, {
    created: '2026-11-24T09:00:00Z',
    acked: '2026-11-24T09:10:00Z',
    resolved: '2026-11-24T09:40:00Z',
    due: '2026-11-24T09:30:00Z',
    status: 'resolved',
    resolution: 'New reader',
  });
  await shape(db, 3, {
    created: '2026-11-24T10:00:00Z',
    acked: '2026-11-24T10:30:00Z',
    resolved: '2026-11-24T12:00:00Z',
    due: '2026-11-25T10:00:00Z',
    status: 'resolved',
    resolution: 'Sensor cleaned',
  });
  await shape(db, 4, {
    created: '2026-11-25T09:00:00Z',
    acked: '2026-11-25T09:05:00Z',
    due: '2026-11-26T09:00:00Z',
    status: 'acknowledged',
  });
  await shape(db, 5, { created: '2026-11-26T09:00:00Z', due: '2026-12-05T09:00:00Z', status: 'open' });

  if ((await createStandup(h, 'carol', { name: 'Daily', participants: ['alice', 'bob', 'carol'] }))?.status !== 'done')
    throw new Error('stand-up form refused');
  const standupId = (await db.selectFrom('standups').select('id').executeTakeFirstOrThrow()).id;
  await db.deleteFrom('standup_sessions').execute();
  for (const date of ['2026-11-16', '2026-11-17']) {
    await insertSession(db, standupId, 'alice', date, { kind: 'on-time' });
    await insertSession(db, standupId, 'bob', date, { kind: 'on-time' });
  }
  await insertSession(db, standupId, 'carol', '2026-11-16', { kind: 'on-time' });
  await insertSession(db, standupId, 'carol', '2026-11-17', { kind: 'missed' });
  await insertSession(db, standupId, 'alice', '2026-11-23', { kind: 'on-time', blocker: 'Waiting on the vendor', escalation: 'ESC-9' });
  await insertSession(db, standupId, 'alice', '2026-11-24', { kind: 'on-time' });
  await insertSession(db, standupId, 'alice', '2026-11-25', { kind: 'on-time' });
  await insertSession(db, standupId, 'bob', '2026-11-23', { kind: 'late' });
  await insertSession(db, standupId, 'bob', '2026-11-24', { kind: 'missed' });
  await insertSession(db, standupId, 'bob', '2026-11-25', { kind: 'missed' });
  await insertSession(db, standupId, 'carol', '2026-11-23', { kind: 'on-time', blocker: 'Need access to the VPN' });
  await insertSession(db, standupId, 'carol', '2026-11-24', { kind: 'skipped' });
  await insertSession(db, standupId, 'carol', '2026-11-25', { kind: 'missed' });

  // A rotation starting well after the fixture, so only the handoffs below fall in it.
  await createRotation(h, 'eve', { start: '2027-02-01' });
  const rotation = await db
    .selectFrom('rotations')
    .innerJoin('rotation_versions', 'rotation_versions.rotation_id', 'rotations.id')
    .select(['rotations.id as id', 'rotation_versions.id as versionId'])
    .executeTakeFirstOrThrow();
  await insertHandoff(db, rotation, '2026-11-17T06:00:00Z', {
    written: '2026-11-17T05:30:00Z',
    posted: '2026-11-17T06:00:00Z',
    confirmed: '2026-11-17T06:30:00Z',
  });
  await insertHandoff(db, rotation, '2026-11-18T06:00:00Z', {
    written: '2026-11-18T05:30:00Z',
    posted: '2026-11-18T06:00:00Z',
    confirmed: '2026-11-18T06:10:00Z',
  });
  await insertHandoff(db, rotation, '2026-11-24T06:00:00Z', {
    written: '2026-11-24T05:30:00Z',
    posted: '2026-11-24T06:00:00Z',
    confirmed: '2026-11-24T06:10:00Z',
  });
  await insertHandoff(db, rotation, '2026-11-25T06:00:00Z', {
    written: '2026-11-25T06:20:00Z',
    posted: '2026-11-25T06:20:00Z',
    confirmed: '2026-11-25T06:50:00Z',
    chased: '2026-11-25T06:05:00Z',
  });
  await insertHandoff(db, rotation, '2026-11-26T06:00:00Z', { chased: '2026-11-26T06:05:00Z', supervisorNote: '2026-11-26T06:30:00Z' });
  await insertHandoff(db, rotation, '2026-11-27T06:00:00Z', {
    written: '2026-11-27T05:00:00Z',
    posted: '2026-11-27T06:00:00Z',
    supervisorConfirm: '2026-11-27T06:30:00Z',
  });
  await h.clock.set(now);
  return h;
}
