import { formatDuration } from '../../core/duration';
import { context, message, section, type Block, type Message } from '../../core/message';
import { bold, channel, type Span } from '../../core/rich-text';
import type { Escalation, StoredEvent } from '../model';
import type { Figures, Stats } from '../stats';
import { REOPEN_WINDOW_WORDS, SEVERITIES } from '../model';
import { escalationCard, listLine } from './card';
import { timelineLine } from './timeline';

export type ListKind = 'mine' | 'all' | 'overdue';

const LINES_PER_BLOCK = 15;

const LIST_TITLES: Record<ListKind, string> = {
  mine: 'Your open escalations (owned or raised by you)',
  all: 'Open escalations',
  overdue: 'Overdue escalations',
};

export function listMessage(kind: ListKind, items: readonly Escalation[], total: number, zone: string, now: Date): Message {
  if (items.length === 0) {
    const none =
      kind === 'overdue' ? 'Nothing is overdue.' : kind === 'mine' ? 'You have no open escalations.' : 'There are no open escalations.';
    return message([section(`${none} Raise one with /escalate <title>.`)], none);
  }
  const blocks: Block[] = [section([bold(`${LIST_TITLES[kind]}, soonest due first`)])];
  // Sections of a few lines each stay within every platform's text limit.
  for (let i = 0; i < items.length; i += LINES_PER_BLOCK) {
    const lines: Span[] = [];
    items.slice(i, i + LINES_PER_BLOCK).forEach((e, k) => {
      lines.push(...(k ? ['\n'] : []), '• ', ...listLine(e, zone, now));
    });
    blocks.push(section(lines));
  }
  if (total > items.length) blocks.push(context(`${total - items.length} more not shown. /escalate show ESC-n shows one in full.`));
  else blocks.push(context('/escalate show ESC-n shows one in full, with its timeline.'));
  return message(blocks, LIST_TITLES[kind]);
}

const TIMELINE_SHOWN = 100;

/** Every field and the whole timeline (the latest 100 events when there are more). */
export function showMessage(e: Escalation, events: readonly StoredEvent[], zone: string, now: Date): Message {
  const card = escalationCard(e, { zone, now, ...lastUpdateOf(events) });
  const buttons = card.blocks.filter((b) => b.type === 'actions');
  const blocks: Block[] = card.blocks.filter((b) => b.type !== 'actions');
  blocks.push(context(['Posted in ', channel(e.conversation)]));
  const shown = events.slice(-TIMELINE_SHOWN);
  blocks.push(section([bold('Timeline'), shown.length < events.length ? ` (latest ${shown.length} of ${events.length} events)` : '']));
  for (let i = 0; i < shown.length; i += LINES_PER_BLOCK) {
    const lines: Span[] = [];
    shown.slice(i, i + LINES_PER_BLOCK).forEach((event, k) => {
      lines.push(...(k ? ['\n'] : []), ...timelineLine(event, zone));
    });
    blocks.push(section(lines));
  }
  blocks.push(...buttons);
  return message(blocks, `${e.reference}: ${e.title}`);
}

function lastUpdateOf(events: readonly StoredEvent[]): { lastUpdate?: StoredEvent } {
  const last = [...events].reverse().find((ev) => ev.kind === 'updated');
  return last ? { lastUpdate: last } : {};
}

const d = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(ms));

function figureLine(f: Figures): string {
  return [
    `raised ${f.raised}, resolved ${f.resolved}, open ${f.open}, overdue now ${f.overdue}, resolved late ${f.resolvedLate}`,
    `time to acknowledge: median ${d(f.ackMedianMs)}, p90 ${d(f.ackP90Ms)}`,
    `time to resolve: median ${d(f.resolveMedianMs)}, p90 ${d(f.resolveP90Ms)}`,
  ].join(' · ');
}

export function statsMessage(stats: Stats, days: number): Message {
  const a = stats.all;
  const blocks: Block[] = [
    section([bold(`Escalations, last ${days} days`)]),
    section([
      `Raised ${a.raised} · Resolved ${a.resolved} · Open now ${a.open} · Overdue now ${a.overdue} · Resolved late ${a.resolvedLate}`,
      `\nTime to acknowledge: median ${d(a.ackMedianMs)}, p90 ${d(a.ackP90Ms)} (${a.acknowledged} acknowledged)`,
      `\nTime to resolve: median ${d(a.resolveMedianMs)}, p90 ${d(a.resolveP90Ms)} (${a.resolved} resolved)`,
    ]),
  ];
  const bySeverity: Span[] = [bold('By severity')];
  for (const s of SEVERITIES) {
    const f = stats.bySeverity[s];
    if (f.raised + f.resolved + f.open + f.acknowledged === 0) continue;
    bySeverity.push(`\n${s}: ${figureLine(f)}`);
  }
  if (bySeverity.length > 1) blocks.push(section(bySeverity));
  if (stats.repeats.length > 0) {
    const repeats: Span[] = [bold('Repeat titles'), ' (similar titles within 30 days)'];
    for (const group of stats.repeats.slice(0, 10)) {
      repeats.push(`\n• "${group[group.length - 1]!.title}": ${group.map((g) => `ESC-${g.number}`).join(', ')}`);
    }
    blocks.push(section(repeats));
  } else blocks.push(context('No repeat titles (similar titles within 30 days).'));
  return message(blocks, `Escalation stats, last ${days} days`);
}

export const HELP_LINES = [
  '/escalate [title]: raise an escalation (a form: impact, options, recommendation, severity, owner, due time, where to post, policy)',
  '/escalate list [mine|all|overdue]: open escalations, soonest due first · /escalate show ESC-12: every field and the timeline',
  '/escalate ack|update|reassign|due|resolve|cancel|reopen ESC-12 …: work an escalation (or use the buttons on its card)',
  '/escalate stats [7d|30d|90d]: raised, resolved, open, overdue, time to acknowledge and resolve, repeat titles',
  '/escalate policy list|create|edit|delete|default, /escalate settings: for workspace admins (/steady admins names them)',
];

export function helpMessage(): Message {
  const lines: Span[] = [
    bold('Escalations'),
    '\nAn escalation is a problem that needs a decision or help from beyond the person who found it: one owner, a due time, and an escalation policy that notifies people level by level until someone acknowledges.',
    '\n\n',
    bold('Raise and find'),
    '\n• /escalate or /escalate <title>: raise one (a form). /escalate new <title> if the title starts with a command word.',
    '\n• /escalate list [mine|all|overdue], /escalate show ESC-12, /escalate stats [7d|30d|90d]',
    '\n\n',
    bold('Work one'),
    ' (or use the buttons on its card)',
    '\n• /escalate ack ESC-12: you are on it; the policy stops notifying',
    '\n• /escalate update ESC-12 <text>: an update on the timeline and under the card',
    '\n• /escalate reassign ESC-12 @name [reason]',
    '\n• /escalate due ESC-12 <+4h | YYYY-MM-DD HH:MM> <reason>',
    `\n• /escalate resolve ESC-12 <decision> · /escalate cancel ESC-12 <reason> · /escalate reopen ESC-12 <reason> (within ${REOPEN_WINDOW_WORDS})`,
    '\nWithout the text, each of these opens a form.',
    '\n\n',
    bold('Admins'),
    '\n• /escalate policy list|create [name]|edit <name>|delete <name>|default <name|none>',
    '\n• /escalate settings [channel #ops|here|none] [policy <name>|none] [due SEV1 1h | due SEV3 next business day 17:00] [chase 2h] [hours Mon-Fri 08:00-18:00|always|default]',
    '\n• Who the workspace admins are: /steady admins list|add @name|remove @name',
  ];
  return message([section(lines)], 'Escalation help');
}
