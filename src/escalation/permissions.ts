import { user, type Span } from '../core/rich-text';
import type { Escalation } from './model';

/**
 * Who may do what to an escalation. Workspace admins may do everything but acknowledge: an
 * acknowledgement says "I am on it", which only the owner or someone the policy paged can say.
 * A level that notified a channel notified everyone in it, so then anyone may acknowledge.
 */
export type WorkAction = 'acknowledge' | 'update' | 'reassign' | 'change-due' | 'resolve' | 'cancel' | 'reopen';

export interface Permission {
  readonly allowed: boolean;
  /** Who may, for the refusal: "the owner (@bob), the raiser (@alice) or a workspace admin". */
  readonly who: readonly Span[];
}

export function permissionFor(action: WorkAction, e: Escalation, actorId: string, isAdmin: boolean): Permission {
  const owner = actorId === e.ownerId;
  const raiser = actorId === e.raiserId || actorId === e.createdBy;
  switch (action) {
    case 'acknowledge':
      return {
        allowed: owner || e.notifiedUserIds.includes(actorId) || e.channelNotified,
        who: ['the owner (', user(e.ownerId), ') or someone the escalation policy has notified'],
      };
    case 'update':
      return { allowed: true, who: ['anyone'] };
    case 'reassign':
    case 'change-due':
    case 'resolve':
    case 'reopen':
      return {
        allowed: owner || raiser || isAdmin,
        who: ['the owner (', user(e.ownerId), '), the raiser (', user(e.raiserId), ') or a workspace admin'],
      };
    case 'cancel':
      return { allowed: raiser || isAdmin, who: ['the raiser (', user(e.raiserId), ') or a workspace admin'] };
  }
}

export const ACTION_VERBS: Readonly<Record<WorkAction, string>> = {
  acknowledge: 'acknowledge',
  update: 'add an update to',
  reassign: 'reassign',
  'change-due': 'change the due time of',
  resolve: 'resolve',
  cancel: 'cancel',
  reopen: 'reopen',
};
