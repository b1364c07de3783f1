import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../../db/schema';
import type { StandupSessionsTable, StoredQuestion } from '../../../db/tables/standup';
import { toJson } from '../../../db/tables/json';
import type { Session } from '../../standup/model';

/** Each participant's stand-up on one of their dates: prompt, answers, skip, reminder, cut-off. */
type SessionRow = Selectable<StandupSessionsTable>;

function toSession(row: SessionRow): Session {
  return {
    id: String(row.id),
    standupId: String(row.standup_id),
    workspaceId: row.workspace_id,
    userId: row.user_id,
    date: row.date,
    zone: row.zone,
    questions: row.questions,
    promptAt: row.prompt_at,
    cutoffAt: row.cutoff_at,
    promptedAt: row.prompted_at,
    promptRef: row.prompt_ref,
    promptError: row.prompt_error,
    chatQuestion: row.chat_question === null ? null : Number(row.chat_question),
    answers: row.answers,
    answeredAt: row.answered_at,
    editedAt: row.edited_at,
    late: row.late,
    skippedAt: row.skipped_at,
    skipReason: row.skip_reason,
    remindedAt: row.reminded_at,
    closedAt: row.closed_at,
    abandonedAt: row.abandoned_at,
    blocker: row.blocker,
    escalationId: row.escalation_id,
    escalationRef: row.escalation_ref,
    answerVersion: Number(row.answer_version),
    replyRef: row.reply_ref,
    replyVersion: Number(row.reply_version),
  };
}

export interface NewSession {
  readonly standupId: string;
  readonly workspaceId: string;
  readonly userId: string;
  readonly date: string;
  readonly zone: string;
  readonly questions: readonly StoredQuestion[];
  readonly promptAt: Date;
  readonly cutoffAt: Date;
  /** Out of office: the session starts skipped and nobody is asked. */
  readonly skippedAs?: string;
}

/** The sessions of these people and dates, made where they do not exist yet, in two statements at most. */
export async function ensureSessions(
  db: Executor,
  wanted: readonly NewSession[],
  now: Date,
): Promise<{ session: Session; created: boolean }[]> {
  if (wanted.length === 0) return [];
  const inserted = await db
    .insertInto('standup_sessions')
    .values(
      wanted.map((s) => ({
        standup_id: s.standupId,
        workspace_id: s.workspaceId,
        user_id: s.userId,
        date: s.date,
        zone: s.zone,
        questions: toJson(s.questions),
        prompt_at: s.promptAt,
        cutoff_at: s.cutoffAt,
        prompted_at: null,
        prompt_ref: null,
        prompt_error: null,
        chat_question: null,
        answers: toJson({}),
        answered_at: null,
        edited_at: null,
        late: false,
        skipped_at: s.skippedAs ? now : null,
        skip_reason: s.skippedAs ?? null,
        reminded_at: null,
        closed_at: null,
        abandoned_at: null,
        blocker: null,
        escalation_id: null,
        escalation_ref: null,
        answer_version: 0,
        reply_ref: null,
        reply_version: 0,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['standup_id', 'user_id', 'date']).doNothing())
    .returningAll()
    .execute();
  const made = new Map(inserted.map((row) => [`${row.standup_id}|${row.user_id}|${row.date}`, row]));
  const missing = wanted.filter((s) => !made.has(`${s.standupId}|${s.userId}|${s.date}`));
  const existing = new Map<string, SessionRow>();
  if (missing.length) {
    const rows = await db
      .selectFrom('standup_sessions')
      .selectAll()
      .where((eb) =>
        eb.or(missing.map((s) => eb.and([eb('standup_id', '=', s.standupId), eb('user_id', '=', s.userId), eb('date', '=', s.date)]))),
      )
      .execute();
    for (const row of rows) existing.set(`${row.standup_id}|${row.user_id}|${row.date}`, row);
  }
  return wanted.map((s) => {
    const key = `${s.standupId}|${s.userId}|${s.date}`;
    const row = made.get(key);
    return row ? { session: toSession(row), created: true } : { session: toSession(existing.get(key)!), created: false };
  });
}

export async function findSession(db: Executor, id: string, options: { lock?: boolean } = {}): Promise<Session | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  let query = db.selectFrom('standup_sessions').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row && toSession(row);
}

export async function findSessionOn(db: Executor, standupId: string, userId: string, date: string): Promise<Session | undefined> {
  const row = await db
    .selectFrom('standup_sessions')
    .selectAll()
    .where('standup_id', '=', standupId)
    .where('user_id', '=', userId)
    .where('date', '=', date)
    .executeTakeFirst();
  return row && toSession(row);
}

/** Who of a stand-up already has a session on one of these dates, as `user|date`. */
export async function sessionDaysOf(db: Executor, standupId: string, dates: readonly string[]): Promise<Set<string>> {
  if (dates.length === 0) return new Set();
  const rows = await db
    .selectFrom('standup_sessions')
    .select(['user_id', 'date'])
    .where('standup_id', '=', standupId)
    .where('date', 'in', [...new Set(dates)])
    .execute();
  return new Set(rows.map((r) => `${r.user_id}|${r.date}`));
}

export type SessionPatch = Omit<Updateable<StandupSessionsTable>, 'id' | 'standup_id' | 'answers' | 'questions'> & {
  readonly answers?: Readonly<Record<string, string>>;
};

export async function updateSession(db: Executor, id: string, patch: SessionPatch, now: Date): Promise<void> {
  const { answers, ...rest } = patch;
  await db
    .updateTable('standup_sessions')
    .set({ ...rest, ...(answers ? { answers: toJson(answers) } : {}), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * These sessions' prompts went out: recorded with the platform's references in one statement, which
 * also says for each whether its day's message is already in the channel (it then lists them as asked).
 */
export async function markPrompted(
  db: Executor,
  sent: readonly { readonly id: string; readonly ref: string; readonly chatQuestion: number | null }[],
  now: Date,
): Promise<{ readonly standupId: string; readonly date: string; readonly dayShown: boolean }[]> {
  if (sent.length === 0) return [];
  const { rows } = await sql<{ standup_id: string; date: string; parent_ref: string | null }>`
    with s as (
      update standup_sessions s set prompted_at = ${now}, prompt_ref = p.ref, chat_question = p.chat_question, updated_at = ${now}
        from unnest(${sent.map((x) => x.id)}::bigint[], ${sent.map((x) => x.ref)}::text[], ${sent.map((x) => x.chatQuestion)}::int[]) as p(id, ref, chat_question)
       where s.id = p.id
      returning s.standup_id, s.date
    )
    select s.standup_id, s.date, d.parent_ref from s left join standup_days d on d.standup_id = s.standup_id and d.date = s.date`.execute(
    db,
  );
  return rows.map((r) => ({ standupId: String(r.standup_id), date: r.date, dayShown: r.parent_ref != null }));
}

/**
 * Sessions waiting for this person's answers, oldest prompt first: the chat answers them in that
 * order, so two stand-ups the same morning never mix.
 */
export async function openSessionsOf(
  db: Executor,
  workspaceId: string,
  userId: string,
  options: { readonly lock?: boolean; readonly cutoffAfter?: Date } = {},
): Promise<Session[]> {
  let query = db
    .selectFrom('standup_sessions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('prompted_at', 'is not', null)
    .where('answered_at', 'is', null)
    .where('skipped_at', 'is', null)
    .where('abandoned_at', 'is', null)
    .where('prompt_error', 'is', null)
    .orderBy('prompt_at')
    .orderBy('id');
  if (options.cutoffAfter) query = query.where('cutoff_at', '>', options.cutoffAfter);
  if (options.lock) query = query.forUpdate();
  return (await query.execute()).map(toSession);
}

/** Older unanswered sessions of the same stand-up leave the chat when a new day's prompt comes. */
/** Earlier days these people never finished are abandoned: the chat moves on to their new day. */
export async function abandonOlderSessions(
  db: Executor,
  standupId: string,
  days: readonly { readonly userId: string; readonly date: string }[],
  now: Date,
): Promise<void> {
  if (days.length === 0) return;
  await sql`
    update standup_sessions s set abandoned_at = ${now}, chat_question = null, updated_at = ${now}
      from unnest(${days.map((d) => d.userId)}::text[], ${days.map((d) => d.date)}::text[]) as d(user_id, date)
     where s.standup_id = ${standupId} and s.user_id = d.user_id and s.date < d.date
       and s.answered_at is null and s.skipped_at is null and s.abandoned_at is null`.execute(db);
}

/** These sessions, locked until the transaction ends (in id order, so two transactions never wait on each other in a circle). */
export async function lockSessions(db: Executor, ids: readonly string[]): Promise<Session[]> {
  const valid = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (valid.length === 0) return [];
  const rows = await db.selectFrom('standup_sessions').selectAll().where('id', 'in', valid).orderBy('id').forUpdate().execute();
  return rows.map(toSession);
}

/** A day's sessions, in the order people were asked; those asked together (stand-up now) by user, so listings read the same however the prompts raced. */
export async function sessionsOfDay(db: Executor, standupId: string, date: string): Promise<Session[]> {
  const rows = await db
    .selectFrom('standup_sessions')
    .selectAll()
    .where('standup_id', '=', standupId)
    .where('date', '=', date)
    .orderBy('prompt_at')
    .orderBy('user_id')
    .execute();
  return rows.map(toSession);
}

/** A stand-up's sessions on dates from `fromDate` (inclusive), for reports. */
export async function sessionsSince(db: Executor, standupId: string, fromDate: string): Promise<Session[]> {
  const rows = await db
    .selectFrom('standup_sessions')
    .selectAll()
    .where('standup_id', '=', standupId)
    .where('date', '>=', fromDate)
    .orderBy('date')
    .orderBy('id')
    .execute();
  return rows.map(toSession);
}

/**
 * These stand-ups' sessions on dates from `fromDate` to `toDate` (both inclusive, each person's own
 * local dates), by stand-up, date and prompt; `answered` keeps only those whose answers were posted.
 */
export async function sessionsBetween(
  db: Executor,
  standupIds: readonly string[],
  fromDate: string,
  toDate: string,
  options: { readonly answered?: boolean } = {},
): Promise<Session[]> {
  if (standupIds.length === 0) return [];
  let query = db
    .selectFrom('standup_sessions')
    .selectAll()
    .where('standup_id', 'in', [...standupIds])
    .where('date', '>=', fromDate)
    .where('date', '<=', toDate);
  if (options.answered) query = query.where('answered_at', 'is not', null);
  const rows = await query.orderBy('standup_id').orderBy('date').orderBy('answered_at').orderBy('user_id').execute();
  return rows.map(toSession);
}

/** How many answers (questions of a posted session with a non-blank answer) these stand-ups got on these dates. */
export async function countAnswersBetween(db: Executor, standupIds: readonly string[], fromDate: string, toDate: string): Promise<number> {
  if (standupIds.length === 0) return 0;
  const { rows } = await sql<{ n: string }>`
    select count(*) as n
      from standup_sessions s cross join lateral jsonb_array_elements(s.questions) as q(question)
     where s.standup_id = any(${[...standupIds]}::bigint[]) and s.date >= ${fromDate} and s.date <= ${toDate}
       and s.answered_at is not null and coalesce(s.answers ->> (q.question ->> 'id'), '') ~ '\\S'`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The dates from `fromDate` (inclusive) on which each participant of a stand-up was asked already. */
export async function datesAskedSince(
  db: Executor,
  standupId: string,
  fromDate: string,
  userId?: string,
): Promise<Map<string, Set<string>>> {
  let query = db
    .selectFrom('standup_sessions')
    .select(['user_id', 'date'])
    .where('standup_id', '=', standupId)
    .where('date', '>=', fromDate);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  const asked = new Map<string, Set<string>>();
  for (const row of await query.execute()) {
    const dates = asked.get(row.user_id) ?? new Set<string>();
    dates.add(row.date);
    asked.set(row.user_id, dates);
  }
  return asked;
}

/** A person's sessions on one date across stand-ups (skipping today). */
export async function sessionsOfPersonOn(db: Executor, workspaceId: string, userId: string, dates: readonly string[]): Promise<Session[]> {
  if (dates.length === 0) return [];
  const rows = await db
    .selectFrom('standup_sessions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('date', 'in', [...dates])
    .execute();
  return rows.map(toSession);
}

/** The person's last answered session of a stand-up before a date (for the "since last time" hint). */
/** As openSessionsOf, for many people at once: their sessions by person. */
export async function openSessionsOfMany(
  db: Executor,
  workspaceId: string,
  userIds: readonly string[],
  options: { readonly cutoffAfter: Date },
): Promise<Map<string, Session[]>> {
  const bySomeone = new Map<string, Session[]>();
  if (userIds.length === 0) return bySomeone;
  const rows = await db
    .selectFrom('standup_sessions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('user_id', 'in', [...new Set(userIds)])
    .where('prompted_at', 'is not', null)
    .where('answered_at', 'is', null)
    .where('skipped_at', 'is', null)
    .where('abandoned_at', 'is', null)
    .where('prompt_error', 'is', null)
    .where('cutoff_at', '>', options.cutoffAfter)
    .orderBy('prompt_at')
    .orderBy('id')
    .execute();
  for (const row of rows) bySomeone.set(row.user_id, [...(bySomeone.get(row.user_id) ?? []), toSession(row)]);
  return bySomeone;
}

/** Each person's last answered session of a stand-up before their given date, in one statement. */
export async function lastAnsweredMany(
  db: Executor,
  standupId: string,
  before: readonly { readonly userId: string; readonly date: string }[],
): Promise<Map<string, Session>> {
  if (before.length === 0) return new Map();
  const { rows } = await sql<SessionRow>`
    select distinct on (s.user_id) s.*
      from standup_sessions s
      join unnest(${before.map((b) => b.userId)}::text[], ${before.map((b) => b.date)}::text[]) as b(user_id, date)
        on s.user_id = b.user_id and s.date < b.date
     where s.standup_id = ${standupId} and s.answered_at is not null
     order by s.user_id, s.date desc`.execute(db);
  return new Map(rows.map((row) => [row.user_id, toSession(row)]));
}

export async function lastAnswered(db: Executor, standupId: string, userId: string, beforeDate: string): Promise<Session | undefined> {
  const row = await db
    .selectFrom('standup_sessions')
    .selectAll()
    .where('standup_id', '=', standupId)
    .where('user_id', '=', userId)
    .where('date', '<', beforeDate)
    .where('answered_at', 'is not', null)
    .orderBy('date', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toSession(row);
}

/** Each (stand-up, person)'s latest answered session since `since`, among these people. */
export async function latestAnsweredSince(
  db: Executor,
  workspaceId: string,
  userIds: readonly string[],
  since: Date,
): Promise<{ session: Session; standupName: string }[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('standup_sessions as x')
    .innerJoin('standups as s', 's.id', 'x.standup_id')
    .selectAll('x')
    .select('s.name as standup_name')
    .where('x.workspace_id', '=', workspaceId)
    .where('x.user_id', 'in', [...userIds])
    .where('x.answered_at', '>=', since)
    .orderBy('x.date', 'desc')
    .orderBy('x.id', 'desc')
    .execute();
  const seen = new Set<string>();
  const out: { session: Session; standupName: string }[] = [];
  for (const row of rows) {
    const key = `${row.standup_id}/${row.user_id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ session: toSession(row), standupName: row.standup_name });
  }
  return out;
}
