import type { ColumnType, Generated } from 'kysely';
import type { Json } from './json';

/** int8 comes back from PostgreSQL as a string; ids are kept as strings end to end. */
type Id = ColumnType<string, never, never>;

/** A rotation: the part that never changes with an edit (what defines shifts lives in versions). */
export interface RotationsTable {
  id: Generated<string> & Id;
  workspace_id: string;
  name: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** `windows`: fixed shifts each active day; `handover`: one shift per active day, until the next active day's handover. */
export type ShiftPatternJson =
  | { readonly kind: 'windows'; readonly windows: readonly { readonly start: string; readonly end: string }[] }
  | { readonly kind: 'handover'; readonly at: string };

export interface NoteTemplateFieldJson {
  readonly label: string;
  readonly required: boolean;
}

/**
 * How a rotation runs from `effective_from` on: an edit adds a version that takes effect when the
 * shift in progress ends, so edits apply to future shifts only.
 */
export interface RotationVersionsTable {
  id: Generated<string> & Id;
  rotation_id: string;
  effective_from: Date;
  zone: string;
  pattern: Json<ShiftPatternJson>;
  /** ISO weekdays (Monday 1 … Sunday 7) on which shifts start. */
  days: Json<number[]>;
  /** User ids in turn order. */
  members: Json<string[]>;
  /** Index into members of whoever takes this version's first shift. */
  first_member: number;
  channel: string;
  supervisor_id: string;
  reminder_lead_minutes: number;
  confirm_timeout_minutes: number;
  template: Json<NoteTemplateFieldJson[]>;
  created_by: string;
  created_at: Date;
}

export type OverrideSource = 'override' | 'swap';

/** Someone on instead of the scheduled person, from an override or an accepted swap. */
export interface RotationOverridesTable {
  id: Generated<string> & Id;
  rotation_id: string;
  user_id: string;
  starts_at: Date;
  ends_at: Date;
  source: OverrideSource;
  swap_id: string | null;
  created_by: string;
  created_at: Date;
  cancelled_at: Date | null;
}

export type SwapStatus = 'pending' | 'accepted' | 'declined' | 'lapsed';

export interface SwapShiftJson {
  readonly start: string;
  readonly end: string;
}

export interface RotationSwapsTable {
  id: Generated<string> & Id;
  rotation_id: string;
  workspace_id: string;
  requester_id: string;
  other_id: string;
  /** The requester's shifts the other person would take (ISO instants). */
  requester_shifts: Json<SwapShiftJson[]>;
  /** The other person's shifts the requester would take. */
  other_shifts: Json<SwapShiftJson[]>;
  status: SwapStatus;
  request_message_ref: string | null;
  created_at: Date;
  decided_at: Date | null;
}

/** What the outgoing person wrote. */
export interface HandoffNoteJson {
  readonly status: 'steady' | 'watch' | 'unstable';
  readonly sections: readonly { readonly label: string; readonly text: string }[];
  readonly escalations: readonly { readonly id: string; readonly reference: string; readonly title: string; readonly dueAt: string }[];
  readonly blockers: readonly {
    readonly userId: string;
    readonly text: string;
    readonly standupName: string;
    readonly escalationReference?: string;
  }[];
  /** Hand the kept escalations to the incoming person when they confirm. */
  readonly transfer: boolean;
}

export interface TransferOutcomeJson {
  readonly escalationId: string;
  readonly reference: string;
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * One shift change: the outgoing shift, the incoming one, and every step of the handoff as a
 * timestamp, so each job knows whether its message was already sent and stats can be read back.
 */
export interface HandoffsTable {
  id: Generated<string> & Id;
  rotation_id: string;
  workspace_id: string;
  /** The version whose settings (channel, lead, timeout, supervisor, template) this handoff uses. */
  version_id: string;
  outgoing_start: Date;
  outgoing_end: Date;
  incoming_start: Date;
  incoming_end: Date;
  outgoing_id: string | null;
  incoming_id: string | null;
  note: Json<HandoffNoteJson> | null;
  note_written_at: Date | null;
  note_written_by: string | null;
  reminded_at: Date | null;
  chased_at: Date | null;
  no_note_told_at: Date | null;
  supervisor_note_at: Date | null;
  channel_message_ref: string | null;
  channel_error: string | null;
  incoming_message_ref: string | null;
  posted_at: Date | null;
  confirm_reminded_at: Date | null;
  supervisor_confirm_at: Date | null;
  confirmed_at: Date | null;
  confirmed_by: string | null;
  outgoing_told_at: Date | null;
  transfers: Json<TransferOutcomeJson[]> | null;
  /** Set when outgoing and incoming are the same person, or nobody is on either side. */
  skipped_at: Date | null;
  skip_reason: string | null;
  cancelled_at: Date | null;
  created_at: Date;
}

export interface HandoffQuestionsTable {
  id: Generated<string> & Id;
  handoff_id: string;
  asker_id: string;
  question: string;
  asked_at: Date;
  answer: string | null;
  answered_at: Date | null;
}

/** Tables of the handoff part of Steady. */
export interface HandoffTables {
  rotations: RotationsTable;
  rotation_versions: RotationVersionsTable;
  rotation_overrides: RotationOverridesTable;
  rotation_swaps: RotationSwapsTable;
  handoffs: HandoffsTable;
  handoff_questions: HandoffQuestionsTable;
}
