import { formatDuration, DAY_MS } from '../../core/duration';
import { actions, button, context, header, message, section, type Block, type Message } from '../../core/message';
import { bold, channel, time, user, type RichText, type Span } from '../../core/rich-text';
import { zoneWarning } from '../../core/zoned-time';
import type { Rotation, RotationVersion, SwapRequest, SwapShift } from '../model';
import { ACTIONS } from './note';
import type { Duty } from '../on-duty';
import { describeDays, describePattern } from '../shift-pattern';
import type { Shift } from '../shift-timeline';
import type { TimeStyle } from '../../core/zoned-time';

/** What the bot says about rotations: listings, who is on, overrides and swaps. */

export function describeVersion(v: RotationVersion): RichText {
  return [
    describePattern(v.pattern, v.days),
    v.pattern.kind === 'windows' || v.days.length > 1 ? `, ${describeDays(v.days)}` : '',
    ` in ${v.zone} · members `,
    ...v.members.flatMap((m, i) => (i ? [', ', user(m)] : [user(m)])),
    ' · notes to ',
    channel(v.channel),
    ' · supervisor ',
    user(v.supervisorId),
  ];
}

export function rotationCreated(args: {
  rotation: Rotation;
  version: RotationVersion;
  first: Shift | undefined;
  zone: string;
  now: Date;
}): Message {
  const { first, zone } = args;
  const blocks: Block[] = [section(['Created the rotation ', bold(args.rotation.name), ': ', ...describeVersionSpans(args.version), '.'])];
  const who: Span = first?.memberId ? user(first.memberId) : 'nobody';
  if (first && first.start <= args.now)
    blocks.push(section(['On shift now: ', who, ', until ', time(first.end, zone, endStyle(first)), '.']));
  else if (first) blocks.push(section(['First shift: ', time(first.start, zone), ', ', who, '.']));
  blocks.push(
    context(
      `Reminders come ${formatDuration(args.version.reminderLeadMinutes * 60_000)} before each shift ends; unconfirmed handoffs are chased after ${formatDuration(args.version.confirmTimeoutMinutes * 60_000)}.`,
    ),
  );
  const warning = zoneWarning(args.version.zone);
  if (warning) blocks.push(context(`Note: ${warning}`));
  return message(blocks);
}

/** To someone just added to a rotation: who added them, the shifts, their first one, where notes go. */
export function memberWelcome(args: {
  rotation: string;
  version: RotationVersion;
  addedBy: string;
  first: Shift | undefined;
  now: Date;
  zone: string;
}): Message {
  const { version: v, first, zone } = args;
  const shifts: Span[] = [
    describePattern(v.pattern, v.days),
    v.pattern.kind === 'windows' || v.days.length > 1 ? `, ${describeDays(v.days)}` : '',
    ` in ${v.zone}`,
  ];
  const turn: Span[] = !first
    ? ['You have no shift in the next weeks yet.']
    : first.start <= args.now
      ? ['You are on shift now, until ', time(first.end, zone, endStyle(first)), '.']
      : ['Your first shift: ', time(first.start, zone), '–', time(first.end, zone, endStyle(first)), '.'];
  return message(
    [
      section([user(args.addedBy), ' added you to the ', bold(args.rotation), ' rotation: ', ...shifts, '. ', ...turn]),
      section([
        'Before each of your shifts ends I will ask you for a handoff note for the next person; notes go to ',
        channel(v.channel),
        '. The supervisor is ',
        user(v.supervisorId),
        '.',
      ]),
      context(
        `/handoff who ${quoted(args.rotation)} shows who is on; /handoff swap ${quoted(args.rotation)} @name <date> offers a shift in exchange for theirs.`,
      ),
    ],
    `You were added to the ${args.rotation} rotation`,
  );
}

const quoted = (name: string) => (/\s/.test(name) ? `"${name}"` : name);

function describeVersionSpans(v: RotationVersion): Span[] {
  const d = describeVersion(v);
  return typeof d === 'string' ? [d] : [...d];
}

export function rotationEdited(args: {
  name: string;
  cutover: Date;
  first: Shift | undefined;
  zone: string;
  now: Date;
  rotationZone: string;
}): RichText {
  const parts: Span[] = ['Saved ', bold(args.name), '. '];
  if (args.cutover.getTime() > args.now.getTime())
    parts.push('The shift in progress stays as it is; the changes apply from ', time(args.cutover, args.zone), '.');
  else parts.push('The changes apply from now.');
  if (args.first)
    parts.push(' Next shift: ', time(args.first.start, args.zone), ', ', args.first.memberId ? user(args.first.memberId) : 'nobody', '.');
  const warning = zoneWarning(args.rotationZone);
  if (warning) parts.push(`\nNote: ${warning}`);
  return parts;
}

export function rotationAnnouncement(args: { rotation: Rotation; version: RotationVersion }): Message {
  return message([
    section(['Handoff notes of the ', bold(args.rotation.name), ' rotation will be posted here. ', ...describeVersionSpans(args.version)]),
  ]);
}

export function rotationList(items: readonly { rotation: Rotation; version: RotationVersion; now: Duty | undefined }[]): Message {
  if (items.length === 0) return message([section('There are no rotations yet. Create one with /handoff rotation create.')]);
  const blocks: Block[] = [header('Rotations')];
  for (const { rotation, version, now } of items) {
    blocks.push(section([bold(rotation.name), ' · ', ...describeVersionSpans(version), ' · on now: ', now ? user(now.userId) : 'nobody']));
  }
  return message(blocks);
}

export interface WhoLine {
  readonly rotation: Rotation;
  readonly zone: string;
  readonly now: Duty | undefined;
  readonly next: { readonly shift: Shift; readonly duty: Duty | undefined } | undefined;
}

function why(d: Duty | undefined): string {
  if (!d?.override) return '';
  return d.override.source === 'swap' ? ' (swap)' : ' (override)';
}

/** `/handoff who`: now and next, in the asker's zone. */
export function whoIsOn(lines: readonly WhoLine[], readerZone: string): Message {
  const blocks: Block[] = [];
  for (const l of lines) {
    const parts: Span[] = [bold(l.rotation.name), ` (${l.zone})`, '\nNow: '];
    if (l.now) {
      const until = l.now.override && (!l.now.shift || l.now.override.endsAt < l.now.shift.end) ? l.now.override.endsAt : l.now.shift?.end;
      parts.push(user(l.now.userId), why(l.now));
      if (until) parts.push(', until ', time(until, readerZone));
    } else parts.push('nobody');
    parts.push('\nNext: ');
    if (l.next) {
      const length = l.next.shift.end.getTime() - l.next.shift.start.getTime();
      parts.push(
        l.next.duty ? user(l.next.duty.userId) : 'nobody',
        why(l.next.duty),
        ', ',
        time(l.next.shift.start, readerZone),
        ' – ',
        time(l.next.shift.end, readerZone, endStyle(l.next.shift)),
      );
      parts.push(` (${formatDuration(length)})`);
    } else parts.push('no shift planned');
    blocks.push(section(parts));
  }
  if (blocks.length === 0) blocks.push(section('There are no rotations yet. Create one with /handoff rotation create.'));
  return message(blocks, 'Who is on shift');
}

/** A shift of a day or more ends on another day: its end shows the date. */
export function endStyle(shift: { readonly start: Date | string; readonly end: Date | string }): TimeStyle {
  return new Date(shift.end).getTime() - new Date(shift.start).getTime() >= DAY_MS ? 'datetime' : 'time';
}

export function overrideSet(args: {
  rotation: string;
  userId: string;
  from: Date;
  to: Date;
  replaced: readonly string[];
  zone: string;
}): RichText {
  return [user(args.userId), ' covers ', ...coverSpan(args)];
}

/** "<rotation> from … to …, instead of @a, @b." : what an override covers, said to the admin and to the person. */
function coverSpan(args: { rotation: string; from: Date; to: Date; replaced: readonly string[]; zone: string }): Span[] {
  const parts: Span[] = [bold(args.rotation), ' from ', time(args.from, args.zone), ' to ', time(args.to, args.zone)];
  if (args.replaced.length) parts.push(', instead of ', ...args.replaced.flatMap((r, i) => (i ? [', ', user(r)] : [user(r)])));
  parts.push('.');
  return parts;
}

export function overrideToCover(args: {
  rotation: string;
  byId: string;
  from: Date;
  to: Date;
  replaced: readonly string[];
  zone: string;
}): Message {
  return message([section([user(args.byId), ' put you on ', ...coverSpan(args)])]);
}

export function overrideToReplaced(args: { rotation: string; byId: string; coverId: string; from: Date; to: Date; zone: string }): Message {
  return message([
    section([
      user(args.coverId),
      ' covers your ',
      bold(args.rotation),
      ' shift from ',
      time(args.from, args.zone),
      ' to ',
      time(args.to, args.zone),
      ' (set by ',
      user(args.byId),
      ').',
    ]),
  ]);
}

function shiftList(shifts: readonly SwapShift[], zone: string): Span[] {
  return shifts.flatMap((s, i) => [i ? ' and ' : '', time(new Date(s.start), zone), '–', time(new Date(s.end), zone, endStyle(s))]);
}

export function swapRequest(args: {
  rotation: string;
  swap: SwapRequest;
  zone: string;
  decided?: 'accepted' | 'declined' | 'lapsed';
}): Message {
  const { swap, zone } = args;
  const blocks: Block[] = [
    header(`Shift swap: ${args.rotation}`),
    section([
      user(swap.requesterId),
      ' asks to swap: you take their shift ',
      ...shiftList(swap.requesterShifts, zone),
      ', and they take yours ',
      ...shiftList(swap.otherShifts, zone),
      '.',
    ]),
  ];
  if (args.decided === 'lapsed') blocks.push(context('This swap lapsed: a shift in it started before it was answered.'));
  else if (args.decided) blocks.push(context(`You ${args.decided} this swap.`));
  else blocks.push(actions(button('Accept', ACTIONS.swapAccept, swap.id, 'primary'), button('Decline', ACTIONS.swapDecline, swap.id)));
  return message(blocks, `${args.rotation}: a shift swap request`);
}

export function swapAsked(args: { rotation: string; swap: SwapRequest; zone: string }): RichText {
  return [
    'Asked ',
    user(args.swap.otherId),
    ' to take your ',
    bold(args.rotation),
    ' shift ',
    ...shiftList(args.swap.requesterShifts, args.zone),
    ' in exchange for theirs ',
    ...shiftList(args.swap.otherShifts, args.zone),
    ". I'll tell you when they answer.",
  ];
}

export function swapDecided(args: { rotation: string; swap: SwapRequest; zone: string; accepted: boolean }): Message {
  const { swap, zone } = args;
  if (!args.accepted)
    return message([section([user(swap.otherId), ' declined your ', bold(args.rotation), ' shift swap. Your shifts stay as they were.'])]);
  return message([
    section([
      user(swap.otherId),
      ' accepted your ',
      bold(args.rotation),
      ' shift swap: you now work ',
      ...shiftList(swap.otherShifts, zone),
      ' and they work ',
      ...shiftList(swap.requesterShifts, zone),
      '.',
    ]),
  ]);
}

export function swapLapsed(args: { rotation: string; swap: SwapRequest }): Message {
  return message([
    section([
      user(args.swap.otherId),
      ' did not answer your ',
      bold(args.rotation),
      ' shift swap before a shift in it started, so it lapsed. Your shifts stay as they were.',
    ]),
  ]);
}

export function swapDoneReply(args: { rotation: string; swap: SwapRequest; zone: string }): RichText {
  return [
    'Done: you now work ',
    bold(args.rotation),
    ' ',
    ...shiftList(args.swap.requesterShifts, args.zone),
    ', and ',
    user(args.swap.requesterId),
    ' works ',
    ...shiftList(args.swap.otherShifts, args.zone),
    '.',
  ];
}
