import { actions, context, fields, header, message, section, type Block, type FieldBlock, type Message } from '../../core/message';
import { italic, time, user, type Span } from '../../core/rich-text';
import type { Escalation, StoredEvent } from '../model';
import { isActive } from '../model';
import { headline, labelled, policyLine, statusLine, workButtons } from './parts';

export interface CardContext {
  /** The owner's zone: named where the platform cannot show each reader their own. */
  readonly zone: string;
  readonly now: Date;
  readonly lastUpdate?: StoredEvent;
}

/**
 * The escalation's card in its channel, updated in place after every change so the channel always
 * shows the truth: every field, status, owner, due time, policy level, last update and the buttons.
 */
export function escalationCard(e: Escalation, c: CardContext): Message {
  const due: Span[] = [time(e.dueAt, c.zone)];
  if (isActive(e.status) && e.overdueAt) due.push(' (overdue)');
  if (e.status === 'resolved' && e.resolvedAt && e.resolvedAt > e.dueAt) due.push(' (resolved late)');
  const facts: FieldBlock[] = [
    { label: 'Status', value: statusLine(e) },
    { label: 'Severity', value: e.severity },
    { label: 'Owner', value: [user(e.ownerId)] },
    { label: 'Raised by', value: e.createdBy === e.raiserId ? [user(e.raiserId)] : [user(e.raiserId), ' (via ', user(e.createdBy), ')'] },
    { label: 'Due', value: due },
    { label: 'Escalation policy', value: policyLine(e) },
  ];
  const blocks: Block[] = [header(headline(e)), fields(...facts), section(labelled('Impact', e.impact))];
  if (e.options) blocks.push(section(labelled('Options considered', e.options)));
  if (e.recommendation) blocks.push(section(labelled('Recommended decision', e.recommendation)));
  if (e.status === 'resolved' && e.resolution) blocks.push(section(labelled('Decision', e.resolution)));
  if (e.status === 'cancelled' && e.cancelReason) blocks.push(section(labelled('Cancelled because', e.cancelReason)));
  const update = c.lastUpdate;
  if (update && update.kind === 'updated') {
    blocks.push(
      context(['Last update: ', italic(update.data.text), ' (', user(update.actorId ?? e.ownerId), ', ', time(update.at, c.zone), ')']),
    );
  }
  const footer: Span[] = ['Raised ', time(e.createdAt, c.zone)];
  if (e.source) footer.push(' · ', e.source.label);
  blocks.push(context(footer));
  const buttons = workButtons(e, c.now);
  if (buttons.length) blocks.push(actions(...buttons));
  return message(blocks, `${headline(e)} (${e.status})`);
}

/** One line for lists: reference, severity, title, owner, due, overdue marker. */
export function listLine(e: Escalation, zone: string, now: Date): Span[] {
  const line: Span[] = [`${e.reference} `, `[${e.severity}] `, e.title, ' · owner ', user(e.ownerId), ' · due ', time(e.dueAt, zone)];
  if (e.status === 'acknowledged') line.push(' · acknowledged');
  if (isActive(e.status) && e.dueAt < now) line.push(' · ', { kind: 'bold', text: 'OVERDUE' });
  return line;
}
