import { sql } from 'kysely';
import type { Executor } from '../../db/schema';
import { toJson } from '../../db/tables/json';
import type { Actor } from '../core/refs';
import { addDays, fromLocal, toLocal } from '../core/zoned-time';
import { percentile } from '../escalation/stats';
import { countsAsHandoff, handoffStats, median, timeToConfirmMs, type HandoffStats } from '../handoff/stats';
import type { Handoff, Rotation, RotationVersion } from '../handoff/model';
import { findHandoffsBetween } from '../storage/handoff/handoffs-repository';
import { findVersionsOf, listRotations } from '../storage/handoff/rotations-repository';
import type { Period } from './filters';

/**
 * Who sees which rotation on the dashboard (the handoffs page and the handoff-notes export):
 * - a workspace admin sees every rotation of their workspace;
 * - anyone else sees the rotations they are a member of, or the supervisor of, in any version;
 * - nobody sees a rotation of another workspace: the workspace is the session's, never the URL's.
 * Someone in no rotation sees none. Deleted rotations are left out, as in the digest.
 */
export async function visibleRotations(db: Executor, actor: Actor, isAdmin: boolean): Promise<Rotation[]> {
  const all = await listRotations(db, actor.workspaceId);
  if (isAdmin || all.length === 0) return all;
  const rows = await db
    .selectFrom('rotation_versions')
    .select('rotation_id')
    .distinct()
    .where(
      'rotation_id',
      'in',
      all.map((r) => r.id),
    )
    .where((eb) => eb.or([eb('supervisor_id', '=', actor.userId), sql<boolean>`members @> ${toJson([actor.userId])}::jsonb`]))
    .execute();
  const mine = new Set(rows.map((r) => String(r.rotation_id)));
  return all.filter((r) => mine.has(r.id));
}

/** The page's default period: the last 28 days (four whole weeks of shifts), today included. */
export const PAGE_DAYS = 28;

/** A period of the reader's local days as the instants [from, before). */
export function periodInstants(p: Period, zone: string): { from: Date; before: Date } {
  return { from: fromLocal(p.from, '00:00', zone), before: fromLocal(addDays(p.to, 1), '00:00', zone) };
}

export interface ShiftFigures {
  /** "07:00–15:00": the incoming shift's local times in the rotation's zone. */
  readonly shift: string;
  readonly handoffs: number;
  readonly delivered: number;
  readonly confirmed: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

export interface RotationHandoffs {
  readonly rotation: Rotation;
  /** The rotation's zone for shift labels (its latest version's). */
  readonly zone: string;
  /** /handoff stats' figures over the period. */
  readonly stats: HandoffStats;
  readonly p90TimeToConfirmMs: number | null;
  readonly byShift: readonly ShiftFigures[];
  /** The shift changes that count (as handoffStats counts them), newest first. */
  readonly handoffs: readonly Handoff[];
}

/** How a note went: written by the end of the outgoing shift, after it, or not at all. */
export function noteTiming(h: Handoff): 'on time' | 'late' | 'missing' {
  if (!h.noteWrittenAt) return 'missing';
  return h.noteWrittenAt <= h.outgoingEnd ? 'on time' : 'late';
}

/** "07:00–15:00" for a shift in `zone`. */
export function shiftLabel(h: Pick<Handoff, 'incomingStart' | 'incomingEnd'>, zone: string): string {
  return `${toLocal(h.incomingStart, zone).time}–${toLocal(h.incomingEnd, zone).time}`;
}

function zoneOf(versions: readonly RotationVersion[], h: Handoff): string {
  return versions.find((v) => v.id === h.versionId)?.zone ?? versions.at(-1)?.zone ?? 'UTC';
}

/**
 * Each visible rotation's handoffs whose shift change falls in the period (by the reader's local
 * days), counted as /handoff stats counts them (handoffStats), with p90 and per-shift delays added.
 */
export async function loadRotationHandoffs(
  db: Executor,
  rotations: readonly Rotation[],
  p: Period,
  readerZone: string,
  now: Date,
): Promise<RotationHandoffs[]> {
  const { from, before } = periodInstants(p, readerZone);
  const [all, versions] = await Promise.all([
    findHandoffsBetween(
      db,
      rotations.map((r) => r.id),
      from,
      before,
    ),
    findVersionsOf(
      db,
      rotations.map((r) => r.id),
    ),
  ]);
  return rotations.map((rotation) => {
    const vs = versions.get(rotation.id) ?? [];
    const mine = all.filter((h) => h.rotationId === rotation.id);
    const counted = mine.filter((h) => countsAsHandoff(h, now));
    const waits = counted.map(timeToConfirmMs).filter((ms): ms is number => ms !== null);
    const shifts = new Map<string, Handoff[]>();
    for (const h of counted) {
      const label = shiftLabel(h, zoneOf(vs, h));
      shifts.set(label, [...(shifts.get(label) ?? []), h]);
    }
    const byShift = [...shifts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([shift, hs]) => {
        const w = hs.map(timeToConfirmMs).filter((ms): ms is number => ms !== null);
        return {
          shift,
          handoffs: hs.length,
          delivered: hs.filter((h) => h.postedAt).length,
          confirmed: w.length,
          medianMs: median(w),
          p90Ms: percentile(w, 90),
        };
      });
    return {
      rotation,
      zone: vs.at(-1)?.zone ?? readerZone,
      stats: handoffStats(mine, now),
      p90TimeToConfirmMs: percentile(waits, 90),
      byShift,
      handoffs: [...counted].reverse(),
    };
  });
}
