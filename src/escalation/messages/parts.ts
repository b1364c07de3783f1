import { button, type Button } from '../../core/message';
import { bold, channel, user, type RichText, type Span } from '../../core/rich-text';
import type { Escalation, PolicySnapshot } from '../model';
import { isActive, levelIndexOf, mayStillReopen, roundOf, totalSteps } from '../model';

/** Pieces several escalation messages share. */
export const ACTIONS = {
  ack: 'escalation.ack',
  update: 'escalation.update',
  reassign: 'escalation.reassign',
  due: 'escalation.due',
  resolve: 'escalation.resolve',
  cancel: 'escalation.cancel',
  reopen: 'escalation.reopen',
  view: 'escalation.view',
  deletePolicy: 'escalation.policy-delete',
} as const;

/** "ESC-3 · SEV2 · Printer down" */
export function headline(e: Escalation): string {
  return `${e.reference} · ${e.severity} · ${e.title}`;
}

/** "ESC-3 Printer down" in bold, for the start of a sentence. */
export function named(e: Escalation): Span[] {
  return [bold(e.reference), ` ${e.title}`];
}

export function statusLine(e: Escalation): Span[] {
  switch (e.status) {
    case 'open':
      return [bold('Open'), ', waiting for acknowledgement'];
    case 'acknowledged':
      return [bold('Acknowledged'), ' by ', user(e.acknowledgedBy ?? e.ownerId)];
    case 'resolved':
      return [bold('Resolved'), ' by ', user(e.resolvedBy ?? e.ownerId)];
    case 'cancelled':
      return [bold('Cancelled'), ' by ', user(e.cancelledBy ?? e.raiserId)];
  }
}

/** "Ops: level 2 of 2 notified" and the like. */
export function policyLine(e: Escalation): string {
  const p = e.policy;
  if (!p || p.levels.length === 0) return 'None';
  const levels = p.levels.length;
  if (e.policyStep < 0) return `${p.name}: starting at level 1 of ${levels}`;
  if (e.policyStep >= totalSteps(p)) return `${p.name}: every level notified, nobody acknowledged`;
  const level = levelIndexOf(p, e.policyStep) + 1;
  const round = p.repeat > 0 ? `, round ${roundOf(p, e.policyStep) + 1} of ${p.repeat + 1}` : '';
  const stopped = e.status === 'open' ? '' : ' (stopped)';
  return `${p.name}: level ${level} of ${levels} notified${round}${stopped}`;
}

/** Who a policy level notifies, as the policy says (before rotations are looked up). */
export function levelTargets(level: PolicySnapshot['levels'][number]): Span[] {
  const parts: Span[][] = level.users.map((u) => [user(u)]);
  if (level.channel) parts.push([channel(level.channel)]);
  if (level.rotationId) parts.push([`whoever is on shift in ${level.rotationName ?? 'a rotation'}`]);
  if (parts.length === 0) return ['nobody'];
  return parts.flatMap((p, i) => (i === 0 ? p : [', ', ...p]));
}

/** The buttons that fit the escalation's state. */
export function workButtons(e: Escalation, now: Date): Button[] {
  if (isActive(e.status)) {
    const buttons: Button[] = [];
    if (e.status === 'open') buttons.push(button('Acknowledge', ACTIONS.ack, e.id, 'primary'));
    buttons.push(
      button('Add update', ACTIONS.update, e.id),
      button('Reassign', ACTIONS.reassign, e.id),
      button('Change due', ACTIONS.due, e.id),
      button('Resolve', ACTIONS.resolve, e.id, e.status === 'acknowledged' ? 'primary' : undefined),
      button('Cancel', ACTIONS.cancel, e.id, 'danger'),
    );
    return buttons;
  }
  if (mayStillReopen(e, now)) return [button('Reopen', ACTIONS.reopen, e.id)];
  return [];
}

export function labelled(label: string, text: RichText): Span[] {
  return [bold(label), '\n', ...(typeof text === 'string' ? [text] : text)];
}
