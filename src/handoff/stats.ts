import { noteReceivedAt, type Handoff } from './model';

/**
 * How a rotation's handoffs went, over the shift changes that have happened: what a shift lead
 * looks at to see whether handoffs are clean.
 */
export interface HandoffStats {
  /** Shift changes with someone on each side (the same person staying on is not a handoff). */
  readonly handoffs: number;
  readonly notesOnTime: number;
  readonly notesLate: number;
  readonly notesMissing: number;
  /** Notes that reached the incoming person. */
  readonly delivered: number;
  readonly confirmed: number;
  /** Confirmed out of delivered, 0..1; null when none was delivered. */
  readonly confirmationRate: number | null;
  /** From the note reaching the incoming person (their shift start, or later for a late note) to their confirmation. */
  readonly medianTimeToConfirmMs: number | null;
  /** Outgoing people chased for a missing note. */
  readonly chased: number;
  /** Handoffs raised to the supervisor (missing note or no confirmation). */
  readonly raisedToSupervisor: number;
}

/** A shift change that counts: it has happened by `now`, with a different person on each side, not skipped or cancelled. */
export function countsAsHandoff(h: Handoff, now: Date): boolean {
  return (
    !h.skippedAt &&
    !h.cancelledAt &&
    h.incomingStart <= now &&
    Boolean(h.outgoingId) &&
    Boolean(h.incomingId) &&
    h.outgoingId !== h.incomingId
  );
}

/** From the note reaching the incoming person to their confirmation (never below zero); null when not confirmed. */
export function timeToConfirmMs(h: Handoff): number | null {
  const received = noteReceivedAt(h);
  return h.confirmedAt && received ? Math.max(0, h.confirmedAt.getTime() - received.getTime()) : null;
}

export function handoffStats(handoffs: readonly Handoff[], now: Date): HandoffStats {
  const counted = handoffs.filter((h) => countsAsHandoff(h, now));
  const onTime = counted.filter((h) => h.noteWrittenAt && h.noteWrittenAt <= h.outgoingEnd).length;
  const late = counted.filter((h) => h.noteWrittenAt && h.noteWrittenAt > h.outgoingEnd).length;
  const delivered = counted.filter((h) => h.postedAt);
  const confirmed = delivered.filter((h) => h.confirmedAt);
  const waits = confirmed.map((h) => timeToConfirmMs(h)!);
  return {
    handoffs: counted.length,
    notesOnTime: onTime,
    notesLate: late,
    notesMissing: counted.length - onTime - late,
    delivered: delivered.length,
    confirmed: confirmed.length,
    confirmationRate: delivered.length ? confirmed.length / delivered.length : null,
    medianTimeToConfirmMs: median(waits),
    chased: counted.filter((h) => h.chasedAt).length,
    raisedToSupervisor: counted.filter((h) => h.supervisorNoteAt || h.supervisorConfirmAt).length,
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
