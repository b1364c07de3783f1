import { DAY_MS } from '../core/duration';
import { UserError } from '../core/errors';
import type { HandlerContext } from '../core/workflow';
import { findHandoffsBetween, findLatestPosted } from '../storage/handoff/handoffs-repository';
import { findVersionsOf, listRotations, rotationIdsInvolving } from '../storage/handoff/rotations-repository';
import { nameAndWindow } from './commands/parse';
import type { HandoffDeps } from './deps';
import { handoffStats } from './stats';
import type { Rotation } from './model';
import { noteCard } from './messages/note';
import { dutyFromDb, versionAt, type RotationState } from './on-duty';
import { historyMessage, statsMessage } from './messages/report';
import { resolveRotation } from './rotations';
import { rotationList, whoIsOn, type WhoLine } from './messages/rotation';
import { ShiftTimeline } from './shift-timeline';

/** The read-only commands: who is on, the latest note, history, stats, the list of rotations. */

async function statesOf(deps: HandoffDeps, rotations: readonly Rotation[]): Promise<RotationState[]> {
  const versions = await findVersionsOf(
    deps.services.db,
    rotations.map((r) => r.id),
  );
  return rotations
    .map((rotation) => {
      const vs = versions.get(rotation.id) ?? [];
      return { rotation, versions: vs, timeline: new ShiftTimeline(vs) };
    })
    .filter((s) => s.versions.length > 0);
}

/** The named rotation; or, with no name, the person's rotations, else every rotation. */
async function rotationsFor(deps: HandoffDeps, ctx: HandlerContext, name: string): Promise<RotationState[]> {
  if (name.trim()) return [await resolveRotation(deps, ctx.actor, name)];
  const all = await listRotations(deps.services.db, ctx.actor.workspaceId);
  const mine = new Set(await rotationIdsInvolving(deps.services.db, ctx.actor.workspaceId, ctx.actor.userId));
  const chosen = all.some((r) => mine.has(r.id)) ? all.filter((r) => mine.has(r.id)) : all;
  return statesOf(deps, chosen);
}

export async function whoLine(deps: HandoffDeps, state: RotationState, now: Date): Promise<WhoLine> {
  const nowDuty = await dutyFromDb(deps.services.db, state, now);
  const nextShift = state.timeline.nextShift(now);
  const next = nextShift ? { shift: nextShift, duty: await dutyFromDb(deps.services.db, state, nextShift.start) } : undefined;
  return { rotation: state.rotation, zone: versionAt(state, now).zone, now: nowDuty, next };
}

export async function showWho(deps: HandoffDeps, ctx: HandlerContext, name: string): Promise<void> {
  const now = deps.services.clock.now();
  const states = await rotationsFor(deps, ctx, name);
  const lines = [];
  for (const state of states) lines.push(await whoLine(deps, state, now));
  const zone = await deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  await ctx.reply(whoIsOn(lines, zone));
}

export async function showLatestNote(deps: HandoffDeps, ctx: HandlerContext, name: string): Promise<void> {
  const state = await resolveRotation(deps, ctx.actor, name);
  const h = await findLatestPosted(deps.services.db, state.rotation.id);
  if (!h?.note) throw new UserError(`No ${state.rotation.name} handoff note has been delivered yet.`);
  const zone = await deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  const mine = h.incomingId === ctx.actor.userId && !h.confirmedAt;
  await ctx.reply(noteCard({ rotation: state.rotation.name, h, note: h.note, zone, buttons: mine, now: deps.services.clock.now() }));
}

export async function showHistory(deps: HandoffDeps, ctx: HandlerContext, text: string): Promise<void> {
  const args = nameAndWindow(text, 7 * DAY_MS);
  if (!args.ok) throw new UserError(args.error);
  const state = await resolveRotation(deps, ctx.actor, args.value.rotation);
  const now = deps.services.clock.now();
  const handoffs = await findHandoffsBetween(
    deps.services.db,
    [state.rotation.id],
    new Date(now.getTime() - args.value.windowMs),
    new Date(now.getTime() + 1),
  );
  const zone = await deps.services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  await ctx.reply(historyMessage({ rotation: state.rotation.name, handoffs, windowMs: args.value.windowMs, zone, now }));
}

export async function showStats(deps: HandoffDeps, ctx: HandlerContext, text: string): Promise<void> {
  const args = nameAndWindow(text, 30 * DAY_MS);
  if (!args.ok) throw new UserError(args.error);
  const now = deps.services.clock.now();
  const states = args.value.rotation
    ? [await resolveRotation(deps, ctx.actor, args.value.rotation)]
    : await statesOf(deps, await listRotations(deps.services.db, ctx.actor.workspaceId));
  const from = new Date(now.getTime() - args.value.windowMs);
  const handoffs = await findHandoffsBetween(
    deps.services.db,
    states.map((s) => s.rotation.id),
    from,
    new Date(now.getTime() + 1),
  );
  const items = states.map((s) => ({
    name: s.rotation.name,
    stats: handoffStats(
      handoffs.filter((h) => h.rotationId === s.rotation.id),
      now,
    ),
  }));
  await ctx.reply(statsMessage(items, args.value.windowMs));
}

export async function showRotationList(deps: HandoffDeps, ctx: HandlerContext): Promise<void> {
  const now = deps.services.clock.now();
  const states = await statesOf(deps, await listRotations(deps.services.db, ctx.actor.workspaceId));
  const items = [];
  for (const state of states)
    items.push({ rotation: state.rotation, version: versionAt(state, now), now: await dutyFromDb(deps.services.db, state, now) });
  await ctx.reply(rotationList(items));
}
