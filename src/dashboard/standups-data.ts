import type { Actor } from '../core/refs';
import type { CoreServices } from '../core/services';
import { addDays } from '../core/zoned-time';
import { outcomeOf, type Session, type Standup } from '../standup/model';
import { mayManage } from '../standup/permissions';
import { computeReport, type PersonFigures } from '../standup/report';
import { isStandupDay } from '../standup/schedule';
import { listParticipants, listStandups, standupsOf } from '../storage/standup/standups-repository';
import { sessionsBetween } from '../storage/standup/sessions-repository';

/** A stand-up this person may look at on the dashboard, and whether they see per-person totals. */
export interface VisibleStandup {
  readonly standup: Standup;
  /** They may manage it (mayManage): per-person figures (missed days, rates) are shown to them. */
  readonly manages: boolean;
}

/**
 * The stand-ups a session may see, by the same rules as chat:
 * - a workspace admin sees every stand-up of the workspace (mayManage says yes to them for all);
 * - a stand-up's creator and admins (mayManage) see theirs in full;
 * - a participant sees the stand-ups they take part in: every answer, blocker and day's outcome is
 *   already posted to the stand-up's channel (the day's summary names who did not respond), but
 *   per-person totals (missed days, participation) are shown only to those who may manage it, as
 *   the digest shows "who missed most days" only to them;
 * - anyone else sees no stand-up, and nobody ever sees another workspace's (the list is the
 *   session's workspace's).
 */
export async function visibleStandups(services: CoreServices, actor: Actor): Promise<VisibleStandup[]> {
  const [all, mine] = await Promise.all([
    listStandups(services.db, actor.workspaceId),
    standupsOf(services.db, actor.workspaceId, actor.userId),
  ]);
  const takesPart = new Set(mine.map((m) => m.standup.id));
  const out: VisibleStandup[] = [];
  for (const standup of all) {
    const manages = await mayManage(services, actor, standup);
    if (manages || takesPart.has(standup.id)) out.push({ standup, manages });
  }
  return out;
}

/**
 * What one cell of the heat map says: a day's outcome as /standup report counts it, or why there
 * was none ('off': not one of the stand-up's days, or a holiday; 'none': nobody asked this person
 * that day, such as before they joined, while the stand-up was paused, or a day still ahead).
 */
export type CellKind = 'answered' | 'late' | 'skipped' | 'missed' | 'unreachable' | 'waiting' | 'off' | 'none';

export interface HeatCell {
  readonly kind: CellKind;
  /** The session behind the cell, when there is one. */
  readonly session?: Session;
}

export interface HeatRow {
  readonly userId: string;
  readonly cells: readonly HeatCell[];
  /** As /standup report counts this person over the period. */
  readonly figures: PersonFigures;
}

export interface DayFigures {
  readonly date: string;
  /** Answered on time or late. */
  readonly answered: number;
  /** Answered, missed or not reached: what the rate counts (skipped days and days still open do not). */
  readonly counted: number;
  readonly rate: number | null;
}

export interface HeatMap {
  readonly standup: Standup;
  readonly dates: readonly string[];
  readonly rows: readonly HeatRow[];
  readonly days: readonly DayFigures[];
  /** The team over the period, as the digest's stand-up figures: answered and on time ÷ counted days. */
  readonly participation: number | null;
  readonly onTime: number | null;
  readonly blockers: readonly Session[];
  readonly escalated: number;
}

/** Every local date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

const ANSWERED: readonly CellKind[] = ['answered', 'late'];
const COUNTED: readonly CellKind[] = ['answered', 'late', 'missed', 'unreachable'];

/**
 * The heat map of one stand-up: people (participants in the order they joined, then anyone who
 * has a day in the period, having left since) by dates. Counting is /standup report's (computeReport and
 * outcomeOf), so the rates here are the ones chat and the digest give for the same days.
 */
export function heatMap(
  standup: Standup,
  participants: readonly string[],
  sessions: readonly Session[],
  dates: readonly string[],
  now: Date,
): HeatMap {
  const inPeriod = sessions.filter((s) => s.date >= dates[0]! && s.date <= dates.at(-1)!);
  const byPerson = new Map<string, Session[]>();
  for (const s of inPeriod) {
    const mine = byPerson.get(s.userId);
    if (mine) mine.push(s);
    else byPerson.set(s.userId, [s]);
  }
  // computeReport's people, in its order, one person at a time: given everyone at once it scans every session for each person.
  const people = [...new Set([...participants, ...inPeriod.map((s) => s.userId)])];
  const byKey = new Map(inPeriod.map((s) => [`${s.userId}|${s.date}`, s]));
  const empty = dates.map((d): HeatCell => ({ kind: isStandupDay(standup, d) ? 'none' : 'off' }));
  const cellOf = (userId: string, date: string, i: number): HeatCell => {
    const session = byKey.get(`${userId}|${date}`);
    return session ? { kind: outcomeOf(session, now), session } : empty[i]!;
  };
  const rows = people.map((userId) => ({
    userId,
    cells: dates.map((d, i) => cellOf(userId, d, i)),
    figures: computeReport(byPerson.get(userId) ?? [], [userId], now).people[0]!,
  }));
  const days = dates.map((date, i): DayFigures => {
    const kinds = rows.map((r) => r.cells[i]!.kind);
    const answered = kinds.filter((k) => ANSWERED.includes(k)).length;
    const counted = kinds.filter((k) => COUNTED.includes(k)).length;
    return { date, answered, counted, rate: counted ? answered / counted : null };
  });
  const sum = (pick: (f: PersonFigures) => number) => rows.reduce((n, r) => n + pick(r.figures), 0);
  const counted = sum((f) => f.onTime + f.late + f.missed);
  return {
    standup,
    dates,
    rows,
    days,
    participation: counted ? sum((f) => f.onTime + f.late) / counted : null,
    onTime: counted ? sum((f) => f.onTime) / counted : null,
    blockers: inPeriod
      .filter((s) => s.answeredAt && s.blocker)
      .sort((a, b) => a.date.localeCompare(b.date) || a.answeredAt!.getTime() - b.answeredAt!.getTime()),
    escalated: inPeriod.filter((s) => s.escalationRef).length,
  };
}

/** The heat maps of these stand-ups over the dates from `from` to `to`. */
export async function loadHeatMaps(
  services: Pick<CoreServices, 'db'>,
  standups: readonly Standup[],
  from: string,
  to: string,
  now: Date,
): Promise<HeatMap[]> {
  const dates = datesBetween(from, to);
  const sessions = await sessionsBetween(
    services.db,
    standups.map((s) => s.id),
    from,
    to,
  );
  return Promise.all(
    standups.map(async (standup) => {
      const participants = await listParticipants(services.db, standup.id);
      return heatMap(
        standup,
        participants.map((p) => p.userId),
        sessions.filter((s) => s.standupId === standup.id),
        dates,
        now,
      );
    }),
  );
}
