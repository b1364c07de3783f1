import { context, header, message, section, type Block, type Message } from '../core/message';
import { bold, joinRich, user, type RichText } from '../core/rich-text';
import { outcomeOf, unansweredRequired, type Session } from './model';
import { dateLabel } from './schedule';

/** Per person over a period: how they took part. */
export interface PersonFigures {
  readonly userId: string;
  readonly onTime: number;
  /** Of the answered days, those posted with a required question unanswered. */
  readonly partial: number;
  readonly late: number;
  readonly skipped: number;
  /** Did not respond by the cut-off, or could not be reached. */
  readonly missed: number;
  /** Answered ÷ (answered + missed); skipped days do not count. Null when nothing counts yet. */
  readonly participation: number | null;
  /** Answered days in a row up to the latest (skipped days neither break nor extend it). */
  readonly streak: number;
  readonly blockers: number;
}

export interface ReportFigures {
  readonly people: readonly PersonFigures[];
  readonly participation: number | null;
  readonly blockers: number;
  readonly escalated: number;
}

/**
 * The figures of `/standup report`. Days still open (before their cut-off, unanswered) are not
 * counted yet; every participant listed, even with nothing to count.
 */
export function computeReport(sessions: readonly Session[], participants: readonly string[], now: Date): ReportFigures {
  const userIds = [...new Set([...participants, ...sessions.map((s) => s.userId)])];
  let answeredAll = 0;
  let countedAll = 0;
  const people = userIds.map((userId): PersonFigures => {
    const mine = sessions.filter((s) => s.userId === userId).sort((a, b) => a.date.localeCompare(b.date));
    const outcomes = mine.map((s) => outcomeOf(s, now)).filter((o) => o !== 'waiting');
    const count = (...kinds: string[]) => outcomes.filter((o) => kinds.includes(o)).length;
    const onTime = count('answered');
    const late = count('late');
    const missed = count('missed', 'unreachable');
    let streak = 0;
    for (const outcome of [...outcomes].reverse()) {
      if (outcome === 'skipped') continue;
      if (outcome === 'answered' || outcome === 'late') streak++;
      else break;
    }
    answeredAll += onTime + late;
    countedAll += onTime + late + missed;
    return {
      userId,
      onTime,
      partial: mine.filter((s) => outcomeOf(s, now) !== 'waiting' && s.answeredAt && unansweredRequired(s).length).length,
      late,
      skipped: count('skipped'),
      missed,
      participation: onTime + late + missed ? (onTime + late) / (onTime + late + missed) : null,
      streak,
      blockers: mine.filter((s) => s.answeredAt && s.blocker).length,
    };
  });
  return {
    people,
    participation: countedAll ? answeredAll / countedAll : null,
    blockers: people.reduce((n, p) => n + p.blockers, 0),
    escalated: sessions.filter((s) => s.escalationRef).length,
  };
}

const percent = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);

export function reportMessage(args: { standupName: string; days: number; from: string; to: string; figures: ReportFigures }): Message {
  const { figures } = args;
  const lines: RichText[] = figures.people.map((p) => [
    user(p.userId),
    `: ${p.onTime} on time, ${p.late} late, ${p.skipped} skipped, ${p.missed} missed${p.partial ? ` · ${p.partial} partial` : ''} · participation ${percent(p.participation)} · streak ${p.streak} · blockers ${p.blockers}`,
  ]);
  const blocks: Block[] = [
    header(`${args.standupName} · last ${args.days} days`),
    context(`${dateLabel(args.from)} to ${dateLabel(args.to)}`),
  ];
  // Sections stay well under the platforms' 3,000 characters.
  for (let i = 0; i < lines.length; i += 20) blocks.push(section(joinRich(lines.slice(i, i + 20), '\n')));
  if (lines.length === 0) blocks.push(section('Nobody takes part yet.'));
  blocks.push(
    section([
      bold('Team'),
      `: participation ${percent(figures.participation)} · ${figures.blockers} blocker${figures.blockers === 1 ? '' : 's'} raised, ${figures.escalated} escalated`,
    ]),
    context('Participation counts answered days (on time or late) against the days asked; skipped days are left out.'),
  );
  return message(blocks, `${args.standupName}: report for the last ${args.days} days`);
}
