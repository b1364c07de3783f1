import type {
  HandoffNoteJson,
  NoteTemplateFieldJson,
  OverrideSource,
  SwapShiftJson,
  SwapStatus,
  TransferOutcomeJson,
} from '../../db/tables/handoff';
import type { TimelineVersion } from './shift-timeline';

/** The records of the handoff workflow, as the service reads them. */
export interface Rotation {
  readonly id: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly deletedAt: Date | null;
}

export type NoteTemplateField = NoteTemplateFieldJson;
export type HandoffNote = HandoffNoteJson;
export type TransferOutcome = TransferOutcomeJson;
export type SwapShift = SwapShiftJson;

/** What an edit can change; each handoff uses the settings of the version its outgoing shift belongs to. */
export interface RotationSettings {
  readonly channel: string;
  readonly supervisorId: string;
  readonly reminderLeadMinutes: number;
  readonly confirmTimeoutMinutes: number;
  readonly template: readonly NoteTemplateField[];
}

export interface RotationVersion extends TimelineVersion, RotationSettings {
  readonly rotationId: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

/** A new version as the rotation form produces it (the time it takes effect is decided on saving). */
export type RotationDraft = Omit<RotationVersion, 'id' | 'rotationId' | 'effectiveFrom' | 'firstMember' | 'createdBy' | 'createdAt'> & {
  readonly name: string;
  /** Local date of the first shift (creation only). */
  readonly startDate: string;
};

export interface RotationOverride {
  readonly id: string;
  readonly rotationId: string;
  readonly userId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly source: OverrideSource;
  readonly swapId: string | null;
  readonly createdBy: string;
  readonly createdAt: Date;
}

export interface SwapRequest {
  readonly id: string;
  readonly rotationId: string;
  readonly workspaceId: string;
  readonly requesterId: string;
  readonly otherId: string;
  readonly requesterShifts: readonly SwapShift[];
  readonly otherShifts: readonly SwapShift[];
  readonly status: SwapStatus;
  readonly requestMessageRef: string | null;
  readonly createdAt: Date;
  readonly decidedAt: Date | null;
}

export const DEFAULT_TEMPLATE: readonly NoteTemplateField[] = [
  { label: 'Summary', required: true },
  { label: 'Open items (what, owner, by when)', required: false },
  { label: 'Decisions made', required: false },
  { label: 'Watch-outs and contingencies', required: false },
];

export type NoteStatus = HandoffNote['status'];

export const NOTE_STATUSES: readonly { readonly value: NoteStatus; readonly label: string }[] = [
  { value: 'steady', label: 'Steady' },
  { value: 'watch', label: 'Watch' },
  { value: 'unstable', label: 'Unstable' },
];

/** One shift change and how far its handoff has got. */
export interface Handoff {
  readonly id: string;
  readonly rotationId: string;
  readonly workspaceId: string;
  readonly versionId: string;
  readonly outgoingStart: Date;
  readonly outgoingEnd: Date;
  readonly incomingStart: Date;
  readonly incomingEnd: Date;
  readonly outgoingId: string | null;
  readonly incomingId: string | null;
  readonly note: HandoffNote | null;
  readonly noteWrittenAt: Date | null;
  readonly noteWrittenBy: string | null;
  readonly remindedAt: Date | null;
  readonly chasedAt: Date | null;
  readonly noNoteToldAt: Date | null;
  readonly supervisorNoteAt: Date | null;
  readonly channelMessageRef: string | null;
  readonly channelError: string | null;
  readonly incomingMessageRef: string | null;
  readonly postedAt: Date | null;
  readonly confirmRemindedAt: Date | null;
  readonly supervisorConfirmAt: Date | null;
  readonly confirmedAt: Date | null;
  readonly confirmedBy: string | null;
  readonly outgoingToldAt: Date | null;
  readonly transfers: readonly TransferOutcome[] | null;
  readonly skippedAt: Date | null;
  readonly skipReason: string | null;
  readonly cancelledAt: Date | null;
  readonly createdAt: Date;
}

/** The moment from which the incoming person has the note: their shift start, or later if the note came late. */
export function noteReceivedAt(h: Pick<Handoff, 'incomingStart' | 'postedAt'>): Date | null {
  if (!h.postedAt) return null;
  return h.postedAt.getTime() > h.incomingStart.getTime() ? h.postedAt : h.incomingStart;
}

export function isLive(h: Pick<Handoff, 'skippedAt' | 'cancelledAt'>): boolean {
  return !h.skippedAt && !h.cancelledAt;
}
