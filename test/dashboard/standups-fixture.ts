import { issueLink } from '../../src/dashboard/links';
import { DEFAULT_QUESTIONS } from '../../src/standup/model';
import { insertStandup } from '../../src/storage/standup/standups-repository';
import { makeAdmin } from '../escalation/support';
import { insertSession } from '../insight/support';
import { createStandup } from '../standup/support';
import { WORKSPACE } from '../support/harness';
import type { DashboardRig } from './support';

/** Friday 4 December 2026, 11:00 in Berlin: alice's Friday is still open (cut-off 13:00 Berlin). */
export const NOW = '2026-12-04T10:00:00Z';
/** The fortnight's period on the page: Friday 27 November to Sunday 6 December. */
export const FROM = '2026-11-27';
export const TO = '2026-12-06';

// Answers a spreadsheet or a page could misread: a leading = or -, quotes, a line break, markup.
export const ANSWERS = {
  aliceMonday: { q1: '=SUM(A1:A2) fixed the report', q2: 'Deploy, "carefully"\nthen test', q3: 'none' },
  aliceWednesday: { q1: 'Reviewed the budget', q2: '-Write the docs', q3: 'Waiting on the vendor' },
  bobWednesday: { q1: 'Rack moved', q2: 'Cabling', q3: 'Need VPN access <b>now</b> & soon' },
  bobFriday: { q1: 'Cabling done', q2: 'Labels' },
  daveMonday: { q1: 'Ops call', q2: 'Ops review', q3: '' },
} as const;

export interface StandupsFixture {
  readonly dailyId: string;
  readonly opsId: string;
  readonly theirsId: string;
  /** Cookies: erin is a workspace admin, carol created Daily (not in it), alice and bob take part in Daily, dave made Ops and is its only participant, frank is in nothing, zed is in another workspace. */
  readonly cookies: Readonly<Record<'erin' | 'carol' | 'alice' | 'dave' | 'frank' | 'zed', string>>;
}

/**
 * The hand-made fortnight (the cells worked out in standups.test.ts): "Daily" (Mon–Fri, made by
 * carol, alice and bob take part) and "Ops" (dave's, dave alone), and another workspace's "Theirs".
 *
 *            Fri27 Sat28 Sun29 Mon30 Tue1  Wed2         Thu3        Fri4     Sat5 Sun6
 *   alice    –     ·     ·     ✓     L     ✓ blocker→ESC-1 ✗        …        ·    ·
 *   bob      –     ·     ·     ✗     S     ✓ blocker       ! (unreachable) ✓   ·    ·
 */
export async function seedStandupFortnight(rig: DashboardRig): Promise<StandupsFixture> {
  const h = rig.h;
  const db = rig.database.db;
  await makeAdmin(h, 'erin');
  if ((await createStandup(h, 'carol', { name: 'Daily', participants: ['alice', 'bob'] }))?.status !== 'done')
    throw new Error('stand-up form refused');
  if ((await createStandup(h, 'dave', { name: 'Ops', participants: ['dave'] }, 'test:C-ops'))?.status !== 'done')
    throw new Error('stand-up form refused');
  const ids = new Map((await db.selectFrom('standups').select(['id', 'name']).execute()).map((r) => [r.name, String(r.id)]));
  const dailyId = ids.get('Daily')!;
  const opsId = ids.get('Ops')!;
  const theirsId = await insertStandup(db, {
    workspaceId: 'test:W2',
    creatorId: 'zed',
    now: new Date('2026-11-01T00:00:00Z'),
    settings: {
      name: 'Theirs',
      channel: 'test:C-theirs',
      participants: [],
      questions: DEFAULT_QUESTIONS,
      days: [1, 2, 3, 4, 5],
      time: '09:00',
      zoneMode: 'participant',
      fixedZone: null,
      reminderMinutes: 0,
      cutoffMinutes: 180,
      holidays: [],
      adminIds: [],
    },
  });
  await db
    .insertInto('standup_participants')
    .values({ standup_id: theirsId, user_id: 'zed', rule_zone: 'Europe/Berlin', joined_at: new Date('2026-11-01T00:00:00Z') })
    .execute();
  // Only the sessions below: whatever creating the stand-ups scheduled is not part of the fixture.
  await db.deleteFrom('standup_sessions').execute();
  const questions = DEFAULT_QUESTIONS;
  const daily = (userId: string, date: string, outcome: Parameters<typeof insertSession>[4]) =>
    insertSession(db, dailyId, userId, date, { questions, ...outcome });
  await daily('alice', '2026-11-30', { kind: 'on-time', answers: ANSWERS.aliceMonday });
  await daily('alice', '2026-12-01', { kind: 'late', answers: { q1: 'Late one', q2: 'Catch up' } });
  await daily('alice', '2026-12-02', {
    kind: 'on-time',
    answers: ANSWERS.aliceWednesday,
    blocker: ANSWERS.aliceWednesday.q3,
    escalation: 'ESC-1',
  });
  await daily('alice', '2026-12-03', { kind: 'missed' });
  await daily('alice', '2026-12-04', { kind: 'waiting', answers: { q1: 'Not posted yet' } });
  await daily('bob', '2026-11-30', { kind: 'missed' });
  await daily('bob', '2026-12-01', { kind: 'skipped' });
  await daily('bob', '2026-12-02', { kind: 'on-time', answers: ANSWERS.bobWednesday, blocker: ANSWERS.bobWednesday.q3 });
  await daily('bob', '2026-12-03', { kind: 'unreachable' });
  await daily('bob', '2026-12-04', { kind: 'on-time', answers: ANSWERS.bobFriday });
  // Outside the period: not on the page, not in its export.
  await daily('alice', '2026-11-26', { kind: 'on-time', answers: { q1: 'Before the period', q2: 'x' } });
  await insertSession(db, opsId, 'dave', '2026-11-30', { kind: 'on-time', questions, answers: ANSWERS.daveMonday });
  await insertSession(db, theirsId, 'zed', '2026-11-30', {
    kind: 'on-time',
    questions,
    answers: { q1: 'Their secret', q2: 'Theirs' },
    workspaceId: 'test:W2',
  });
  await h.clock.set(NOW);

  const cookie = async (workspaceId: string, userId: string) =>
    rig.signIn(`/dashboard/signin?token=${(await issueLink(db, { workspaceId, userId }, h.clock.now())).token}`);
  const cookies = {
    erin: await rig.session('erin'),
    carol: await rig.session('carol'),
    alice: await rig.session('alice'),
    dave: await rig.session('dave'),
    frank: await cookie(WORKSPACE, 'frank'),
    zed: await cookie('test:W2', 'zed'),
  };
  return { dailyId, opsId, theirsId, cookies };
}
