import { formatDuration } from '../../core/duration';
import { actions, button, context, fields, message, section, type Block, type Button, type Message } from '../../core/message';
import { bold, time, user, type Span } from '../../core/rich-text';
import { isActive, type Escalation, type Paged, type StoredEvent } from '../model';
import { CHASES_BEFORE_BACKING_OFF } from '../chasing';
import { eventText } from './timeline';
import { ACTIONS, headline, labelled, named } from './parts';

/**
 * What the bot sends people about an escalation besides its card: pages from the policy, due-time
 * reminders, and notices of what others did. Each ends with the buttons the reader may need.
 */

const view = (e: Escalation): Button => button('View', ACTIONS.view, e.id);

function ownerButtons(e: Escalation): Button[] {
  // Resolved or cancelled: nothing is left to do from a message.
  if (!isActive(e.status)) return [view(e)];
  const buttons: Button[] = [];
  if (e.status === 'open') buttons.push(button('Acknowledge', ACTIONS.ack, e.id, 'primary'));
  buttons.push(
    button('Add update', ACTIONS.update, e.id),
    button('Change due', ACTIONS.due, e.id),
    button('Resolve', ACTIONS.resolve, e.id),
    view(e),
  );
  return buttons;
}

function summaryBlocks(e: Escalation, zone: string): Block[] {
  const blocks: Block[] = [
    fields({ label: 'Owner', value: [user(e.ownerId)] }, { label: 'Due', value: [time(e.dueAt, zone)] }),
    section(labelled('Impact', e.impact)),
  ];
  if (e.recommendation) blocks.push(section(labelled('Recommended decision', e.recommendation)));
  return blocks;
}

/** "level 2 of 3 of Ops" */
function levelOf(e: Escalation, paged: Paged): string {
  return `level ${paged.level} of ${paged.levels} of ${e.policy?.name ?? 'the escalation policy'}`;
}

export interface PageArgs {
  readonly level: number;
  readonly levels: number;
  readonly why: 'policy' | 'overdue';
  readonly toChannel: boolean;
  readonly zone: string;
}

/** A policy level's notification: someone must acknowledge. */
export function pageMessage(e: Escalation, a: PageArgs): Message {
  const policy = e.policy?.name ?? 'the escalation policy';
  const lead: Span[] =
    a.why === 'overdue'
      ? [
          bold(`${e.reference} is overdue`),
          ` and has been escalated to ${a.toChannel ? 'this channel' : 'you'} (level ${a.level} of ${a.levels} of ${policy}).`,
        ]
      : [
          bold(`${e.reference} needs someone to acknowledge it.`),
          ` ${a.toChannel ? 'This channel is' : 'You are'} on level ${a.level} of ${a.levels} of ${policy}.`,
        ];
  const buttons: Button[] = [];
  if (e.status === 'open') buttons.push(button('Acknowledge', ACTIONS.ack, e.id, 'primary'));
  buttons.push(view(e));
  return message(
    [section(lead), section([bold(headline(e))]), ...summaryBlocks(e, a.zone), actions(...buttons)],
    `${e.reference} (${e.severity}) needs acknowledgement: ${e.title}`,
  );
}

export type ReminderPhase = 'before' | 'due' | 'chase';

export interface ReminderArgs {
  /** The level the escalation moved up to when it went overdue, when it names the owner too. */
  readonly paged?: Paged | undefined;
  /** Which chase this is since it went overdue (1 for the first). */
  readonly chase?: number | undefined;
}

/**
 * Reminders to the owner: before the due time, at it, and while overdue. A later chase sums up how
 * long it has been overdue and how often it was chased, rather than repeating the first.
 */
export function reminderMessage(e: Escalation, phase: ReminderPhase, zone: string, now: Date, a: ReminderArgs = {}): Message {
  const overdueFor = formatDuration(now.getTime() - e.dueAt.getTime());
  const chase = a.chase ?? 1;
  const lead: Span[] =
    phase === 'before'
      ? [bold('Reminder: '), ...named(e), ' is due ', time(e.dueAt, zone), ` (in ${formatDuration(e.dueAt.getTime() - now.getTime())}).`]
      : phase === 'due'
        ? [
            ...named(e),
            ' is ',
            bold('now overdue'),
            ': it was due ',
            time(e.dueAt, zone),
            '.',
            a.paged ? ` It was escalated to ${levelOf(e, a.paged)}, which names you too.` : '',
          ]
        : chase === 1
          ? [...named(e), ' has been ', bold(`overdue for ${overdueFor}`), ' (due ', time(e.dueAt, zone), ').']
          : [
              bold(`Still overdue after ${overdueFor}`),
              ': ',
              ...named(e),
              ' was due ',
              time(e.dueAt, zone),
              `. This is reminder ${chase} since it went overdue, with no decision yet.`,
            ];
  let ask =
    phase === 'before'
      ? 'Resolve it, add an update, or change the due time if it needs longer.'
      : 'Resolve it with the decision, add an update, or change the due time (with a reason).';
  if (phase === 'chase' && chase >= CHASES_BEFORE_BACKING_OFF)
    ask += ' Reminders now come less often (up to a day apart), in your working hours only.';
  return message(
    [section(lead), context(ask), actions(...ownerButtons(e))],
    `${e.reference} ${phase === 'before' ? 'is due soon' : 'is overdue'}: ${e.title}`,
  );
}

export type NoticeKind =
  | 'raised-for'
  | 'assigned'
  | 'unassigned'
  | 'acknowledged'
  | 'resolved'
  | 'cancelled'
  | 'due-changed'
  | 'reopened'
  | 'exhausted'
  | 'thread';

/**
 * Tells a person (or the card's thread) what happened; `event` is the timeline entry it is about.
 * `paged`: the policy level the same event paged the reader at, named here instead of in a page.
 */
export function noticeMessage(kind: NoticeKind, e: Escalation, event: StoredEvent, zone: string, paged?: Paged): Message {
  const by: Span = event.actorId ? user(event.actorId) : 'Steady';
  const also: Span = paged ? ` You are also on ${levelOf(e, paged)}.` : '';
  switch (kind) {
    case 'thread':
      return message([section(eventText(event, zone))], `${e.reference}: ${event.kind}`);
    case 'raised-for': {
      const from = e.source ? ` (${e.source.label})` : '';
      const lead: Span[] = [
        user(e.createdBy),
        ' raised ',
        ...named(e),
        ` on your behalf${from}. `,
        user(e.ownerId),
        ' owns it; it is due ',
        time(e.dueAt, zone),
        '.',
      ];
      if (!paged) return message([section(lead), actions(view(e))], `${e.reference} raised on your behalf`);
      const buttons = e.status === 'open' ? [button('Acknowledge', ACTIONS.ack, e.id, 'primary'), view(e)] : [view(e)];
      return message(
        [section([...lead, ` You are on ${levelOf(e, paged)}: acknowledge it if you are on it.`]), actions(...buttons)],
        `${e.reference} raised on your behalf`,
      );
    }
    case 'assigned': {
      let lead: Span[];
      if (event.kind === 'reassigned' && event.data.via === 'handoff')
        lead = [...named(e), ' was handed over to you from ', user(event.data.from), ' at a shift handoff.', also];
      else if (event.kind === 'reassigned')
        lead = [by, ' reassigned ', ...named(e), ' to you', event.data.reason ? `: ${event.data.reason}` : '.', also];
      else
        lead = [
          bold(`You own ${e.reference}`),
          ', raised by ',
          user(e.raiserId),
          paged ? `, and are on ${levelOf(e, paged)}` : '',
          '. Please acknowledge it, then drive it to a decision by the due time.',
        ];
      return message(
        [section(lead), section([bold(headline(e))]), ...summaryBlocks(e, zone), actions(...ownerButtons(e))],
        `You own ${e.reference}: ${e.title}`,
      );
    }
    case 'unassigned': {
      const to = event.kind === 'reassigned' ? event.data.to : e.ownerId;
      const lead: Span[] =
        event.kind === 'reassigned' && event.data.via === 'handoff'
          ? [...named(e), ' was handed over from you to ', user(to), ' at a shift handoff. You no longer own it.']
          : [by, ' reassigned ', ...named(e), ' from you to ', user(to), '. You no longer own it.'];
      return message([section(lead), actions(view(e))], `${e.reference} was reassigned`);
    }
    case 'acknowledged':
      return message([section([by, ' acknowledged ', ...named(e), '.']), actions(view(e))], `${e.reference} acknowledged`);
    case 'resolved':
      return message(
        [section([by, ' resolved ', ...named(e), '.']), section(labelled('Decision', e.resolution ?? '')), actions(view(e))],
        `${e.reference} resolved`,
      );
    case 'cancelled':
      return message(
        [section([by, ' cancelled ', ...named(e), `: ${e.cancelReason ?? ''}`]), actions(view(e))],
        `${e.reference} cancelled`,
      );
    case 'due-changed':
      return message(
        [
          section([
            by,
            ' changed the due time of ',
            ...named(e),
            ' to ',
            time(e.dueAt, zone),
            event.kind === 'due-changed' ? `: ${event.data.reason}` : '.',
          ]),
          actions(...ownerButtons(e)),
        ],
        `${e.reference}: new due time`,
      );
    case 'reopened':
      return message(
        [
          section([
            by,
            ' reopened ',
            ...named(e),
            event.kind === 'reopened' ? `: ${event.data.reason}.` : '.',
            ' Due ',
            time(e.dueAt, zone),
            '.',
            paged ? ` You own it and are on ${levelOf(e, paged)}.` : '',
          ]),
          actions(...ownerButtons(e)),
        ],
        `${e.reference} reopened`,
      );
    case 'exhausted':
      return message(
        [
          section(['Nobody acknowledged ', ...named(e), ` after every level of ${e.policy?.name ?? 'its escalation policy'}.`]),
          context('Reassign it, or acknowledge it if you are on it.'),
          actions(...ownerButtons(e)),
        ],
        `Nobody acknowledged ${e.reference}`,
      );
  }
}
