import type { MessageRef } from '../core/refs';
import type { HandlerContext } from '../core/workflow';

/**
 * What other workflows may ask of escalations. Stand-ups raise escalations from blockers; handoffs
 * list and transfer the outgoing person's open escalations.
 */
export type Severity = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';
export type EscalationStatus = 'open' | 'acknowledged' | 'resolved' | 'cancelled';

export interface EscalationSummary {
  readonly id: string;
  readonly workspaceId: string;
  /** `ESC-12` */
  readonly reference: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: EscalationStatus;
  readonly ownerId: string;
  readonly raiserId: string;
  readonly dueAt: Date;
}

/** Where an escalation came from, when another workflow started it. */
export interface EscalationSource {
  readonly kind: 'standup-blocker';
  /** The source's own id (e.g. the stand-up answer), given back to `onRaisedFromSource` listeners. */
  readonly id: string;
  /** Shown on the escalation, e.g. "Blocker from Daily stand-up, Mon 30 Nov". */
  readonly label: string;
  /** The message to link back to, if any. */
  readonly message?: MessageRef;
}

export interface RaisePrefill {
  readonly title?: string;
  readonly impact?: string;
  readonly ownerId?: string;
  /** Raise on behalf of this person (a stand-up participant whose blocker is escalated). */
  readonly raiserId?: string;
  readonly source?: EscalationSource;
}

export interface EscalationsApi {
  /** Opens the raise form for the person who acted, pre-filled. */
  openRaiseForm(ctx: HandlerContext, prefill: RaisePrefill): Promise<void>;
  /** Open (not resolved or cancelled) escalations owned by a person, soonest due first. */
  openOwnedBy(workspaceId: string, userId: string): Promise<EscalationSummary[]>;
  /** The names of the workspace's escalation policies with a level that pages whoever is on shift in this rotation. */
  policiesPaging(workspaceId: string, rotationId: string): Promise<string[]>;
  /** These escalations as they are now, whatever their status or owner; unknown ids are left out. */
  byIds(workspaceId: string, ids: readonly string[]): Promise<EscalationSummary[]>;
  /**
   * Hands an escalation to someone else on behalf of another workflow (a confirmed handoff): the
   * owner changes, both people are told, the card is updated and the timeline says why.
   */
  transfer(args: { workspaceId: string; escalationId: string; toUserId: string; actorId: string; reason: string }): Promise<void>;
  /** Called after an escalation raised from a source is stored. */
  onRaisedFromSource(listener: (source: EscalationSource, escalation: EscalationSummary) => Promise<void>): void;
}
