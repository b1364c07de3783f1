import type { Executor } from '../../db/schema';
import { addDays, fromLocal, toLocal } from '../core/zoned-time';
import type { Severity } from '../escalation/api';
import { SEVERITIES } from '../escalation/model';
import { REPEAT_WINDOW_MS, computeStats, type Figures } from '../escalation/stats';
import { handoffStats, type HandoffStats } from '../handoff/stats';
import { computeReport, type ReportFigures } from '../standup/report';
import type { Standup } from '../standup/model';
import { escalationFacts } from '../storage/escalation/escalations-repository';
import { findHandoffsBetween } from '../storage/handoff/handoffs-repository';
import { decisionsBetween, type DecisionRow } from '../storage/insight/digest-repository';
import { listRotations } from '../storage/handoff/rotations-repository';
import { listParticipants, listStandups } from '../storage/standup/standups-repository';
import { sessionsSince } from '../storage/standup/sessions-repository';

/** [from, to): `to` excluded. */
export interface Period {
  readonly from: Date;
  readonly to: Date;
  /** The seven local dates it counts stand-ups on in the digest's zone, first and last (inclusive). */
  readonly firstDate: string;
  readonly lastDate: string;
}

/**
 * The seven local days before `to` and the seven before those, in `zone`: a week is seven calendar
 * days at the same wall-clock time, so a week across a DST change is 167 or 169 hours, not 168.
 */
export function digestPeriods(to: Date, zone: string): { readonly current: Period; readonly previous: Period } {
  const local = toLocal(to, zone);
  // toLocal keeps minutes; the seconds past the minute carry over to each start.
  const rest = to.getTime() - fromLocal(local.date, local.time, zone).getTime();
  const at = (days: number) => new Date(fromLocal(addDays(local.date, -days), local.time, zone).getTime() + rest);
  // Stand-ups count by local date: the seven dates before the digest's own.
  const period = (from: Date, until: Date, weeksBack: number): Period => ({
    from,
    to: until,
    firstDate: addDays(local.date, -7 * weeksBack),
    lastDate: addDays(local.date, -7 * (weeksBack - 1) - 1),
  });
  const from = at(7);
  return { current: period(from, to, 1), previous: period(at(14), from, 2) };
}

/** The same figures for the week and the one before: what the arrows compare. */
export interface Compared<T> {
  readonly now: T;
  readonly before: T;
}

export interface StandupFigures {
  /** Answered (on time or late) ÷ (answered + missed), as in /standup report. */
  readonly participation: number | null;
  /** Answered on time ÷ (answered + missed). */
  readonly onTime: number | null;
  readonly blockers: number;
  readonly escalated: number;
}

export interface StandupDigest {
  readonly standup: Standup;
  readonly figures: Compared<StandupFigures>;
  /** Who missed the most days this week (ties all named), or none when nobody missed one. For the stand-up's admins only. */
  readonly mostMissed: { readonly userIds: readonly string[]; readonly days: number } | null;
}

export interface RotationDigest {
  readonly name: string;
  readonly figures: Compared<HandoffStats>;
}

export interface DigestFigures {
  readonly workspaceId: string;
  readonly zone: string;
  readonly current: Period;
  readonly previous: Period;
  readonly escalations: {
    readonly all: Compared<Figures>;
    readonly bySeverity: Readonly<Record<Severity, Compared<Figures>>>;
    /** Groups of similar titles within 30 days with one raised this week (as /escalate stats). */
    readonly repeats: readonly (readonly { number: number; title: string }[])[];
    readonly decisions: readonly DecisionRow[];
  };
  readonly standups: readonly StandupDigest[];
  readonly handoffs: { readonly all: Compared<HandoffStats>; readonly rotations: readonly RotationDigest[] };
}

/**
 * The digest's figures for a workspace, for the week before `to` against the week before it. Every
 * definition is the one its stats command uses: escalations as /escalate stats (computeStats; open
 * and overdue as of `to`), stand-ups as /standup report (computeReport), handoffs as /handoff stats
 * (handoffStats); only the windows differ: [from, to) here.
 */
export async function digestFigures(db: Executor, workspaceId: string, to: Date, zone: string): Promise<DigestFigures> {
  const { current, previous } = digestPeriods(to, zone);
  const [escalations, standups, handoffs] = await Promise.all([
    escalationFigures(db, workspaceId, current, previous),
    standupFigures(db, workspaceId, current, previous, to),
    handoffFigures(db, workspaceId, current, previous),
  ]);
  return { workspaceId, zone, current, previous, escalations, standups, handoffs };
}

/** computeStats counts a window with its end included: a millisecond before `to` makes it [from, to). */
const lastInstant = (p: Period) => new Date(p.to.getTime() - 1);

async function escalationFigures(
  db: Executor,
  workspaceId: string,
  current: Period,
  previous: Period,
): Promise<DigestFigures['escalations']> {
  const facts = (await escalationFacts(db, workspaceId, previous.from, REPEAT_WINDOW_MS)).filter((f) => f.createdAt < current.to);
  const now = computeStats(facts, current.from, lastInstant(current));
  const before = computeStats(facts, previous.from, lastInstant(previous));
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, { now: now.bySeverity[s], before: before.bySeverity[s] }])) as Record<
    Severity,
    Compared<Figures>
  >;
  const decisions = await decisionsBetween(db, workspaceId, current.from, current.to);
  return { all: { now: now.all, before: before.all }, bySeverity, repeats: now.repeats, decisions };
}

async function standupFigures(db: Executor, workspaceId: string, current: Period, previous: Period, now: Date): Promise<StandupDigest[]> {
  const standups = await listStandups(db, workspaceId);
  const out: StandupDigest[] = [];
  for (const standup of standups) {
    const [sessions, participants] = await Promise.all([
      sessionsSince(db, standup.id, previous.firstDate),
      listParticipants(db, standup.id),
    ]);
    const ids = participants.map((p) => p.userId);
    const report = (p: Period) =>
      computeReport(
        sessions.filter((s) => s.date >= p.firstDate && s.date <= p.lastDate),
        ids,
        now,
      );
    const thisWeek = report(current);
    const lastWeek = report(previous);
    const most = Math.max(0, ...thisWeek.people.map((p) => p.missed));
    out.push({
      standup,
      figures: { now: standupRates(thisWeek), before: standupRates(lastWeek) },
      mostMissed:
        most > 0
          ? {
              userIds: thisWeek.people
                .filter((p) => p.missed === most)
                .map((p) => p.userId)
                .sort(),
              days: most,
            }
          : null,
    });
  }
  return out;
}

function standupRates(report: ReportFigures): StandupFigures {
  const sum = (pick: (p: ReportFigures['people'][number]) => number) => report.people.reduce((n, p) => n + pick(p), 0);
  const counted = sum((p) => p.onTime + p.late + p.missed);
  return {
    participation: report.participation,
    onTime: counted ? sum((p) => p.onTime) / counted : null,
    blockers: report.blockers,
    escalated: report.escalated,
  };
}

async function handoffFigures(db: Executor, workspaceId: string, current: Period, previous: Period): Promise<DigestFigures['handoffs']> {
  const rotations = await listRotations(db, workspaceId);
  const handoffs = await findHandoffsBetween(
    db,
    rotations.map((r) => r.id),
    previous.from,
    current.to,
  );
  const inPeriod = (p: Period, rotationId?: string) =>
    handoffs.filter(
      (h) => h.incomingStart >= p.from && h.incomingStart < p.to && (rotationId === undefined || h.rotationId === rotationId),
    );
  // handoffStats counts the shift changes that have happened by its `now`: the end of each week.
  const compared = (rotationId?: string): Compared<HandoffStats> => ({
    now: handoffStats(inPeriod(current, rotationId), lastInstant(current)),
    before: handoffStats(inPeriod(previous, rotationId), lastInstant(previous)),
  });
  return {
    all: compared(),
    rotations: rotations
      .map((r) => ({ name: r.name, figures: compared(r.id) }))
      .filter((r) => r.figures.now.handoffs + r.figures.before.handoffs > 0),
  };
}
