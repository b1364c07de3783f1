import type { StandupSettings } from './model';

/** A stand-up as the audit trail keeps it: what its managers set (the same keys before and after). */
export function auditedStandup(
  s: Omit<StandupSettings, 'participants'> & { readonly paused?: boolean },
  participants: readonly string[],
): Record<string, unknown> {
  return {
    name: s.name,
    channel: s.channel,
    participants: [...participants].sort(),
    questions: s.questions,
    days: s.days,
    time: s.time,
    zoneMode: s.zoneMode,
    fixedZone: s.fixedZone,
    reminderMinutes: s.reminderMinutes,
    cutoffMinutes: s.cutoffMinutes,
    holidays: s.holidays,
    adminIds: s.adminIds,
    paused: s.paused ?? false,
  };
}
