import { formatDuration } from '../core/duration';
import { context, divider, header, message, section, type Block, type Message } from '../core/message';
import { bold, joinRich, time, user, type RichText, type Span } from '../core/rich-text';
import type { Figures } from '../escalation/stats';
import { SEVERITIES } from '../escalation/model';
import type { HandoffStats } from '../handoff/stats';
import { dateLabel } from '../standup/schedule';
import type { Compared, DigestFigures, StandupDigest } from './digest-figures';

/** Decisions listed in full; the rest are counted. */
const MAX_DECISIONS = 15;
const DECISIONS_PER_SECTION = 5;
const MAX_DECISION_CHARS = 280;

/** "▲3", "▼6m", "=": this week against the week before; nothing when either has no value. */
function arrow(now: number | null, before: number | null, show: (n: number) => string): string {
  if (now === null || before === null) return '';
  const diff = now - before;
  if (Math.abs(diff) < 1e-9 || show(Math.abs(diff)) === show(0)) return ' =';
  return ` ${diff > 0 ? '▲' : '▼'}${show(Math.abs(diff))}`;
}

const count = (n: number) => String(n);
const duration = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(ms));
const percent = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
const points = (x: number) => `${Math.round(x * 100)} pts`;

/** "Raised 12 ▲3" */
export function countWithDelta(label: string, c: Compared<number>): string {
  return `${label} ${c.now}${arrow(c.now, c.before, count)}`;
}

/** "median 14m ▼6m" */
export function durationWithDelta(label: string, c: Compared<number | null>): string {
  return `${label} ${duration(c.now)}${arrow(c.now, c.before, formatDuration)}`;
}

/** "participation 86% ▲4 pts" */
export function rateWithDelta(label: string, c: Compared<number | null>): string {
  return `${label} ${percent(c.now)}${arrow(c.now === null ? null : Math.round(c.now * 100) / 100, c.before === null ? null : Math.round(c.before * 100) / 100, points)}`;
}

const pick = <T, K>(c: Compared<T>, f: (t: T) => K): Compared<K> => ({ now: f(c.now), before: f(c.before) });

function escalationLines(c: Compared<Figures>): string[] {
  return [
    [
      countWithDelta(
        'Raised',
        pick(c, (f) => f.raised),
      ),
      countWithDelta(
        'Resolved',
        pick(c, (f) => f.resolved),
      ),
      countWithDelta(
        'Resolved late',
        pick(c, (f) => f.resolvedLate),
      ),
      `Open now ${c.now.open}`,
      `Overdue now ${c.now.overdue}`,
    ].join(' · '),
    `Time to acknowledge: ${durationWithDelta(
      'median',
      pick(c, (f) => f.ackMedianMs),
    )}, ${durationWithDelta(
      'p90',
      pick(c, (f) => f.ackP90Ms),
    )} (${c.now.acknowledged} acknowledged)`,
    `Time to resolve: ${durationWithDelta(
      'median',
      pick(c, (f) => f.resolveMedianMs),
    )}, ${durationWithDelta(
      'p90',
      pick(c, (f) => f.resolveP90Ms),
    )} (${c.now.resolved} resolved)`,
  ];
}

function severityLine(severity: string, c: Compared<Figures>): string {
  return [
    `${severity}: ${countWithDelta(
      'raised',
      pick(c, (f) => f.raised),
    )}, ${countWithDelta(
      'resolved',
      pick(c, (f) => f.resolved),
    )}, ${countWithDelta(
      'resolved late',
      pick(c, (f) => f.resolvedLate),
    )}`,
    `acknowledge ${durationWithDelta(
      'median',
      pick(c, (f) => f.ackMedianMs),
    )}, ${durationWithDelta(
      'p90',
      pick(c, (f) => f.ackP90Ms),
    )}`,
    `resolve ${durationWithDelta(
      'median',
      pick(c, (f) => f.resolveMedianMs),
    )}, ${durationWithDelta(
      'p90',
      pick(c, (f) => f.resolveP90Ms),
    )}`,
  ].join(' · ');
}

const active = (f: Figures) => f.raised + f.resolved + f.acknowledged + f.open > 0;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function standupLines(s: StandupDigest, showMissed: boolean): RichText {
  const f = s.figures;
  const spans: Span[] = [
    bold(s.standup.name),
    `: ${rateWithDelta(
      'participation',
      pick(f, (x) => x.participation),
    )} · ${rateWithDelta(
      'on time',
      pick(f, (x) => x.onTime),
    )} · ${countWithDelta(
      'blockers',
      pick(f, (x) => x.blockers),
    )}, ${countWithDelta(
      'escalated',
      pick(f, (x) => x.escalated),
    )}`,
  ];
  if (showMissed && s.mostMissed) {
    const named = s.mostMissed.userIds.slice(0, 5);
    const more = s.mostMissed.userIds.length - named.length;
    spans.push(
      `\n    Missed most days (${s.mostMissed.days}): `,
      ...joinRich(
        named.map((id) => [user(id)]),
        ', ',
      ),
      more ? ` and ${more} more` : '',
      " (shown to the stand-up's admins only)",
    );
  }
  return spans;
}

function handoffLine(c: Compared<HandoffStats>): string {
  return [
    `Notes on time ${c.now.notesOnTime} of ${c.now.handoffs}${arrow(c.now.notesOnTime, c.before.notesOnTime, count)}`,
    rateWithDelta(
      'confirmation rate',
      pick(c, (h) => h.confirmationRate),
    ),
    durationWithDelta(
      'median time to confirm',
      pick(c, (h) => h.medianTimeToConfirmMs),
    ),
    countWithDelta(
      'chased',
      pick(c, (h) => h.chased),
    ),
    countWithDelta(
      'raised to the supervisor',
      pick(c, (h) => h.raisedToSupervisor),
    ),
  ].join(' · ');
}

/**
 * The weekly digest as one platform-neutral message: escalations, the decisions made, stand-ups,
 * handoffs, each figure with its change on the week before. `showMissedFor` says for which
 * stand-ups (by id) the reader may see who missed most days: none in a channel.
 */
export function digestMessage(
  figures: DigestFigures,
  options: { readonly showMissedFor: ReadonlySet<string>; readonly preview?: boolean },
): Message {
  const { current, zone } = figures;
  const title = `Weekly digest: ${dateLabel(current.firstDate)} to ${dateLabel(current.lastDate)}`;
  const blocks: Block[] = [
    header(options.preview ? `${title} (preview)` : title),
    context(['The 7 days to ', time(current.to, zone), ' against the 7 days before: ▲ up, ▼ down, = the same.']),
  ];

  const e = figures.escalations;
  blocks.push(section([bold('Escalations'), '\n', escalationLines(e.all).join('\n')]));
  const severities = SEVERITIES.filter((s) => active(e.bySeverity[s].now) || active(e.bySeverity[s].before));
  if (severities.length)
    blocks.push(section([bold('By severity'), ...severities.flatMap((s) => ['\n', severityLine(s, e.bySeverity[s])])]));
  if (e.repeats.length) {
    blocks.push(
      section([
        bold('Repeat titles'),
        ' (similar titles within 30 days)',
        ...e.repeats.slice(0, 10).map((g) => `\n• "${clip(g[g.length - 1]!.title, 120)}": ${g.map((x) => `ESC-${x.number}`).join(', ')}`),
      ]),
    );
  }

  const listed = e.decisions.slice(0, MAX_DECISIONS);
  if (listed.length === 0) blocks.push(section([bold('Decisions made'), '\nNo escalation was resolved this week.']));
  for (let i = 0; i < listed.length; i += DECISIONS_PER_SECTION) {
    const lines = listed
      .slice(i, i + DECISIONS_PER_SECTION)
      .map(
        (d): RichText => [`• ESC-${d.number} ${clip(d.title, 120)}: ${clip(d.decision, MAX_DECISION_CHARS)} (owner `, user(d.ownerId), ')'],
      );
    blocks.push(
      section(i === 0 ? [bold(`Decisions made (${e.decisions.length})`), '\n', ...joinRich(lines, '\n')] : joinRich(lines, '\n')),
    );
  }
  if (e.decisions.length > listed.length) blocks.push(context(`And ${e.decisions.length - listed.length} more.`));

  blocks.push(divider);
  if (figures.standups.length === 0) blocks.push(section([bold('Stand-ups'), '\nNo stand-ups yet.']));
  for (let i = 0; i < figures.standups.length; i += 10) {
    const lines = figures.standups.slice(i, i + 10).map((s) => standupLines(s, options.showMissedFor.has(s.standup.id)));
    blocks.push(section(i === 0 ? [bold('Stand-ups'), '\n', ...joinRich(lines, '\n')] : joinRich(lines, '\n')));
  }

  blocks.push(divider);
  const h = figures.handoffs;
  const handoffText: RichText[] = [
    [
      bold('Handoffs'),
      '\n',
      h.all.now.handoffs + h.all.before.handoffs === 0 ? 'No shift changes this week or the week before.' : handoffLine(h.all),
    ],
  ];
  if (h.rotations.length > 1)
    handoffText.push(...h.rotations.slice(0, 10).map((r): RichText => [bold(r.name), `: ${handoffLine(r.figures)}`]));
  blocks.push(section(joinRich(handoffText, '\n')));
  blocks.push(
    context('Escalations, stand-ups and handoffs are counted as /escalate stats, /standup report and /handoff stats count them.'),
  );
  return message(blocks, title);
}
