import type { Executor } from '../../db/schema';
import { findOverrides } from '../storage/handoff/overrides-repository';
import { findRotation, findVersions } from '../storage/handoff/rotations-repository';
import type { Rotation, RotationOverride, RotationVersion } from './model';
import { ShiftTimeline, type Shift } from './shift-timeline';

/** A rotation with everything needed to say who is on when. */
export interface RotationState {
  readonly rotation: Rotation;
  readonly versions: readonly RotationVersion[];
  readonly timeline: ShiftTimeline;
}

export async function loadRotationState(db: Executor, rotationId: string): Promise<RotationState | undefined> {
  const rotation = await findRotation(db, rotationId);
  if (!rotation) return undefined;
  const versions = await findVersions(db, rotationId);
  return { rotation, versions, timeline: new ShiftTimeline(versions) };
}

/** The version in force at an instant (the latest that took effect by then), else the first. */
export function versionAt(state: Pick<RotationState, 'versions'>, at: Date): RotationVersion {
  let found = state.versions[0]!;
  for (const v of state.versions) if (v.effectiveFrom.getTime() <= at.getTime()) found = v;
  return found;
}

export function versionById(state: Pick<RotationState, 'versions'>, id: string): RotationVersion | undefined {
  return state.versions.find((v) => v.id === id);
}

/** Who is on at an instant, and why: their turn in a shift, or an override (a swap is one too). */
export interface Duty {
  readonly userId: string;
  readonly shift: Shift | undefined;
  readonly override: RotationOverride | undefined;
}

/**
 * Who is on: the latest override covering the instant wins; else whoever's turn the shift in
 * progress is. Overrides apply whether or not a shift is in progress (an override can cover a gap).
 */
export function dutyAt(timeline: ShiftTimeline, overrides: readonly RotationOverride[], at: Date): Duty | undefined {
  const shift = timeline.shiftAt(at);
  const t = at.getTime();
  let override: RotationOverride | undefined;
  for (const o of overrides) {
    if (o.startsAt.getTime() <= t && t < o.endsAt.getTime() && (!override || Number(o.id) > Number(override.id))) override = o;
  }
  if (override) return { userId: override.userId, shift, override };
  if (shift?.memberId) return { userId: shift.memberId, shift, override: undefined };
  return undefined;
}

/** Who is on at an instant, reading the overrides from the database. */
export async function dutyFromDb(db: Executor, state: RotationState, at: Date): Promise<Duty | undefined> {
  const overrides = await findOverrides(db, state.rotation.id, at, new Date(at.getTime() + 1));
  return dutyAt(state.timeline, overrides, at);
}

/** The people on either side of a shift change: whoever is on at the last moment of the one and the first of the other. */
export async function sidesOf(
  db: Executor,
  state: RotationState,
  outgoing: Pick<Shift, 'end'>,
  incoming: Pick<Shift, 'start'>,
): Promise<{ outgoingId: string | null; incomingId: string | null }> {
  const lastMoment = new Date(outgoing.end.getTime() - 1);
  const overrides = await findOverrides(
    db,
    state.rotation.id,
    new Date(Math.min(lastMoment.getTime(), incoming.start.getTime())),
    new Date(Math.max(lastMoment.getTime(), incoming.start.getTime()) + 1),
  );
  return {
    outgoingId: dutyAt(state.timeline, overrides, lastMoment)?.userId ?? null,
    incomingId: dutyAt(state.timeline, overrides, incoming.start)?.userId ?? null,
  };
}
