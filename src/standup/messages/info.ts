import { actions, button, context, header, message, section, type Block, type Message } from '../../core/message';
import { bold, channel, joinRich, time, user, type RichText, type Span } from '../../core/rich-text';
import type { Session, Standup } from '../model';
import { ACTION } from './prompt';
import { zoneWarning } from '../../core/zoned-time';
import { questionsText } from '../forms/setup';
import { dateLabel, daysLabel } from '../schedule';

/** What the bot tells people about stand-ups: listings, details, confirmations, the home section. */

export const HELP_LINES = [
  '/standup create [name]: set up a stand-up (people, questions, days, time, zones, reminder, cut-off, holidays)',
  '/standup list · /standup show <name> · /standup report <name> [7d|30d]',
  '/standup join <name> · /standup leave <name>',
  '/standup skip [today | until YYYY-MM-DD] · /standup back: out of office across all your stand-ups',
  "/standup edit|pause|resume|now|delete <name>: for the creator, the stand-up's admins and workspace admins",
  '/standup tz [zone]: your time zone for stand-ups (the same as /steady tz)',
];

export function schedulePhrase(standup: Standup): string {
  const zone = standup.zoneMode === 'fixed' ? `${standup.fixedZone} time` : "each participant's own time";
  return `${daysLabel(standup.days)} at ${standup.time}, ${zone}`;
}

export interface NextPrompt {
  readonly userId: string;
  readonly zone: string;
  readonly at: Date | null;
}

function nextLines(next: readonly NextPrompt[]): RichText[] {
  return next.map((n) => [user(n.userId), ` (${n.zone}): `, ...(n.at ? [time(n.at, n.zone)] : ['not scheduled'])]);
}

export function createdMessage(standup: Standup, next: readonly NextPrompt[], edited: boolean): Message {
  return message([
    section([
      bold(standup.name),
      edited ? ' is saved: ' : ' is set up: ',
      schedulePhrase(standup),
      '; answers go to ',
      channel(standup.channel),
      '.',
    ]),
    section([bold('Next prompts'), '\n', ...joinRich(nextLines(next), '\n')]),
    context('People without a time zone of their own use the workspace default; they can set theirs with /steady tz <zone>.'),
    ...fixedZoneNote(standup),
  ]);
}

function fixedZoneNote(standup: Standup): Block[] {
  const warning = standup.zoneMode === 'fixed' && standup.fixedZone ? zoneWarning(standup.fixedZone) : undefined;
  return warning ? [context(`Note: ${warning}`)] : [];
}

export function listMessage(standups: readonly { standup: Standup; participants: number; mine: boolean }[]): Message {
  if (standups.length === 0) return message([section('No stand-ups yet. /standup create sets one up.')]);
  const lines: RichText[] = standups.map(({ standup, participants, mine }) => [
    bold(standup.name),
    ' · ',
    channel(standup.channel),
    ` · ${schedulePhrase(standup)} · ${participants} ${participants === 1 ? 'person' : 'people'}`,
    standup.paused ? ' · paused' : '',
    mine ? ' · you take part' : '',
  ]);
  return message([header('Stand-ups'), section(joinRich(lines, '\n'))]);
}

export function showMessage(standup: Standup, next: readonly NextPrompt[]): Message {
  const admins: Span[] = standup.adminIds.length
    ? joinRich(
        standup.adminIds.map((a) => [user(a)]),
        ', ',
      )
    : ['none'];
  return message([
    header(`${standup.name}${standup.paused ? ' (paused)' : ''}`),
    section(['Reports to ', channel(standup.channel), `: ${schedulePhrase(standup)}.`]),
    section([
      `Reminder ${standup.reminderMinutes ? `${standup.reminderMinutes} minutes after the time` : 'off'}; cut-off ${formatHours(standup.cutoffMinutes)} after the time.`,
      standup.holidays.length ? ` Holidays: ${standup.holidays.join(', ')}.` : '',
    ]),
    section([bold('Questions'), '\n', questionsText(standup.questions)]),
    section([bold(`Participants (${next.length})`), next.length ? '\n' : ' none', ...joinRich(nextLines(next), '\n')]),
    context(['Created by ', user(standup.creatorId), '; admins: ', ...admins]),
  ]);
}

export function formatHours(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`;
}

/**
 * A person's part of the home view: prompts waiting for them (with their buttons; past the cut-off
 * only a late answer is left to give), then what comes next.
 */
export function homeBlocks(args: {
  readonly open: readonly { session: Session; standupName: string }[];
  readonly next: readonly { standup: Standup; at: Date | null; zone: string }[];
  readonly awayUntil?: string;
  readonly now: Date;
}): Block[] {
  if (args.open.length === 0 && args.next.length === 0 && !args.awayUntil) return [];
  const blocks: Block[] = [header('Stand-ups')];
  for (const { session, standupName } of args.open) {
    const cutoff = time(session.cutoffAt, session.zone, 'time');
    if (args.now < session.cutoffAt) {
      blocks.push(
        section([bold(standupName), ` · ${dateLabel(session.date)}: waiting for your answers, due by `, cutoff, '.']),
        actions(button('Answer', ACTION.answer, session.id, 'primary'), button('Skip today', ACTION.skip, session.id)),
      );
    } else {
      blocks.push(
        section([
          bold(standupName),
          ` · ${dateLabel(session.date)}: not answered by the cut-off (`,
          cutoff,
          '); answers now are marked late.',
        ]),
        actions(button('Answer late', ACTION.answer, session.id)),
      );
    }
  }
  if (args.awayUntil) blocks.push(section(`You are out of office until ${dateLabel(args.awayUntil)} (/standup back ends it).`));
  if (args.next.length) {
    const lines: RichText[] = args.next.map(({ standup, at, zone }) => [
      bold(standup.name),
      ': ',
      ...(at ? [time(at, zone)] : [standup.paused ? 'paused' : 'not scheduled']),
    ]);
    blocks.push(section([bold('Your next stand-ups'), '\n', ...joinRich(lines, '\n')]));
  }
  return blocks;
}
