import type { DueRuleJson, PagedJson, PolicyLevelJson, PolicySnapshotJson, WorkingHoursJson } from '../../db/tables/escalation';
import type { EscalationSource, EscalationStatus, EscalationSummary, Severity } from './api';
import { DAY_MS, daysInWords } from '../core/duration';

/**
 * An escalation as the workflow sees it: a problem with one owner, a due time and (usually) an
 * escalation policy copied onto it when it was raised.
 */
export type PolicyLevel = PolicyLevelJson;
export type PolicySnapshot = PolicySnapshotJson;
export type DueRule = DueRuleJson;

export const SEVERITIES: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];

export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  SEV1: 'SEV1: critical',
  SEV2: 'SEV2: major',
  SEV3: 'SEV3: minor',
  SEV4: 'SEV4: low',
};

export interface Escalation {
  readonly id: string;
  readonly workspaceId: string;
  readonly number: number;
  readonly reference: string;
  readonly title: string;
  readonly impact: string;
  readonly options: string | null;
  readonly recommendation: string | null;
  readonly severity: Severity;
  readonly status: EscalationStatus;
  readonly ownerId: string;
  readonly raiserId: string;
  readonly createdBy: string;
  readonly conversation: string;
  readonly cardRef: string | null;
  readonly cardVersion: number;
  readonly cardFailed: boolean;
  readonly dueAt: Date;
  readonly dueSetAt: Date;
  readonly dueVersion: number;
  readonly remindedVersion: number | null;
  readonly overdueAt: Date | null;
  readonly chaseCount: number;
  readonly policy: PolicySnapshot | null;
  readonly policyRun: number;
  readonly policyStep: number;
  readonly notifiedUserIds: readonly string[];
  readonly channelNotified: boolean;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly firstAcknowledgedAt: Date | null;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolution: string | null;
  readonly cancelledAt: Date | null;
  readonly cancelledBy: string | null;
  readonly cancelReason: string | null;
  readonly source: EscalationSource | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Still being worked on: what lists, chases and the policy's levels care about. */
export const ACTIVE_STATUSES: readonly EscalationStatus[] = ['open', 'acknowledged'];

export function isActive(status: EscalationStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export function summaryOf(e: Escalation): EscalationSummary {
  return {
    id: e.id,
    workspaceId: e.workspaceId,
    reference: e.reference,
    title: e.title,
    severity: e.severity,
    status: e.status,
    ownerId: e.ownerId,
    raiserId: e.raiserId,
    dueAt: e.dueAt,
  };
}

/** A resolved escalation may be reopened this long after it was resolved. */
export const REOPEN_WINDOW_MS = 7 * DAY_MS;
/** The reopen window as messages say it ("7 days"). */
export const REOPEN_WINDOW_WORDS = daysInWords(REOPEN_WINDOW_MS);

export function mayStillReopen(e: Escalation, now: Date): boolean {
  return e.status === 'resolved' && e.resolvedAt !== null && now.getTime() - e.resolvedAt.getTime() <= REOPEN_WINDOW_MS;
}

/**
 * Policy steps: the levels in order, repeated `repeat` times, numbered from 0. Step `s` is level
 * `s % levels` of round `s / levels`.
 */
export function totalSteps(policy: PolicySnapshot): number {
  return policy.levels.length * (policy.repeat + 1);
}

export function levelIndexOf(policy: PolicySnapshot, step: number): number {
  return step % policy.levels.length;
}

export function roundOf(policy: PolicySnapshot, step: number): number {
  return Math.floor(step / policy.levels.length);
}

/** Who a level notifies, after rotations are looked up and people who left are dropped. */
export interface ResolvedTargets {
  readonly users: readonly string[];
  readonly channel?: string;
}

export function hasTargets(t: ResolvedTargets): boolean {
  return t.users.length > 0 || t.channel !== undefined;
}

/** What each event on the timeline records. */
export type TimelineEvent =
  | {
      readonly kind: 'raised';
      readonly data: {
        severity: Severity;
        ownerId: string;
        dueAt: string;
        policy: string | null;
        conversation: string;
        createdBy: string;
        source?: string;
      };
    }
  | {
      readonly kind: 'notified';
      readonly data: { level: number; round: number; users: string[]; channel?: string; rotation?: string; why: 'policy' | 'overdue' };
    }
  | { readonly kind: 'skipped'; readonly data: { level: number; round: number; why: 'policy' | 'overdue' } }
  | { readonly kind: 'exhausted'; readonly data: { levels: number; rounds: number } }
  | { readonly kind: 'acknowledged'; readonly data: Record<string, never> }
  | { readonly kind: 'updated'; readonly data: { text: string } }
  | { readonly kind: 'reassigned'; readonly data: { from: string; to: string; reason?: string; via?: 'handoff' } }
  | { readonly kind: 'due-changed'; readonly data: { from: string; to: string; reason: string } }
  | { readonly kind: 'reminded'; readonly data: { dueAt: string } }
  | { readonly kind: 'overdue'; readonly data: { dueAt: string } }
  | { readonly kind: 'chased'; readonly data: { dueAt: string; n: number } }
  | { readonly kind: 'escalated'; readonly data: { level: number } }
  | { readonly kind: 'resolved'; readonly data: { resolution: string; late: boolean } }
  | { readonly kind: 'cancelled'; readonly data: { reason: string } }
  | { readonly kind: 'reopened'; readonly data: { reason: string; dueAt: string } };

export type EventKind = TimelineEvent['kind'];

export type StoredEvent = TimelineEvent & {
  readonly id: string;
  readonly escalationId: string;
  readonly actorId: string | null;
  readonly at: Date;
};

/** Per-workspace settings, with the defaults filled in. */
export interface EscalationSettings {
  readonly channel: string | null;
  readonly defaultPolicyId: string | null;
  readonly dueRules: Readonly<Record<Severity, DueRule>>;
  readonly chaseMinutes: number;
  /** When overdue escalations are chased, in each owner's zone. */
  readonly workingHours: WorkingHoursJson;
}

export const DEFAULT_DUE_RULES: Readonly<Record<Severity, DueRule>> = {
  SEV1: { kind: 'duration', minutes: 60 },
  SEV2: { kind: 'duration', minutes: 240 },
  SEV3: { kind: 'business-days', days: 1, at: '17:00' },
  SEV4: { kind: 'business-days', days: 3, at: '17:00' },
};

export const DEFAULT_CHASE_MINUTES = 60;

export interface Policy {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly levels: readonly PolicyLevel[];
  readonly repeat: number;
  readonly createdBy: string;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

export function snapshotOf(policy: Policy): PolicySnapshot {
  return {
    policyId: policy.id,
    name: policy.name,
    levels: policy.levels.map((l) => ({ ...l, users: [...l.users] })),
    repeat: policy.repeat,
    updatedBy: policy.updatedBy,
  };
}

/** Limits on what people type. */
export const LIMITS = {
  title: 150,
  longText: 3000,
  reason: 1000,
  policyName: 80,
  policyLevels: 10,
  policyRepeat: 9,
  /** A week: a longer wait is almost certainly a typo. */
  waitMinutes: 7 * 24 * 60,
} as const;

/**
 * The policy level that paged someone. Someone told about the same event in a message of their own
 * (the owner of a new escalation who is also on its first level) is not paged separately: their
 * message names the level too.
 */
export type Paged = PagedJson;

/** A direct message with buttons, as sent: enough to draw it again for the escalation as it is now. */
export type FollowedMessage =
  | {
      readonly kind: 'notice';
      readonly notice: 'assigned' | 'due-changed' | 'reopened' | 'exhausted' | 'raised-for';
      readonly eventId: string;
      readonly paged?: Paged;
    }
  | {
      readonly kind: 'reminder';
      readonly phase: 'before' | 'due' | 'chase';
      readonly dueAt: Date;
      readonly paged?: Paged;
      readonly n?: number;
    }
  | ({ readonly kind: 'page' } & Paged);

export interface StoredDirectMessage {
  readonly id: string;
  readonly escalationId: string;
  readonly userId: string;
  readonly ref: string;
  readonly message: FollowedMessage;
  readonly renderedAt: Date;
  readonly cardVersion: number;
  readonly digest: string;
}
