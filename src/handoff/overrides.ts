import { UserError } from '../core/errors';
import { formatInZone, fromLocal } from '../core/zoned-time';
import type { HandlerContext } from '../core/workflow';
import { findOverrides, insertOverride } from '../storage/handoff/overrides-repository';
import { lockRotation } from '../storage/handoff/rotations-repository';
import { parseOverride, type LocalMoment } from './commands/parse';
import type { HandoffDeps } from './deps';
import { dutyAt, versionAt, type RotationState } from './on-duty';
import { refreshUndelivered } from './jobs/shift-changes';
import { mayEdit, resolveRotation } from './rotations';
import { overrideSet, overrideToCover, overrideToReplaced } from './messages/rotation';
import { DAY_MS } from '../core/duration';

/**
 * Overrides change who is on without changing the rotation: someone is put on for a span of time
 * (a later override wins over an earlier one). Swaps (swaps.ts) are overrides too.
 */

const MAX_OVERRIDE_MS = 90 * DAY_MS;

function at(m: LocalMoment, zone: string, now: Date, after: Date = now): Date {
  if (m.kind === 'now') return now;
  if (m.kind === 'after') return new Date(after.getTime() + m.ms);
  return fromLocal(m.date, m.time, zone);
}

/** Members (in a version in force now or later), the supervisor, the creator and admins may set overrides. */
export async function mayOverride(deps: HandoffDeps, ctx: HandlerContext, state: RotationState, now: Date): Promise<boolean> {
  const current = versionAt(state, now);
  const relevant = state.versions.filter((v) => v === current || v.effectiveFrom > now);
  if (relevant.some((v) => v.members.includes(ctx.actor.userId))) return true;
  return mayEdit(deps, ctx.actor, state);
}

export async function setOverride(deps: HandoffDeps, ctx: HandlerContext, text: string): Promise<void> {
  const parsed = parseOverride(text);
  if (!parsed.ok) throw new UserError(parsed.error);
  const { db, clock, people, outbox } = deps.services;
  const state = await resolveRotation(deps, ctx.actor, parsed.value.rotation);
  const now = clock.now();
  const zone = versionAt(state, now).zone;
  const from = at(parsed.value.from, zone, now);
  const to = at(parsed.value.to, zone, now, from);
  const name = state.rotation.name;
  if (!(await mayOverride(deps, ctx, state, now)))
    throw new UserError(`Only members of ${name}, its supervisor or a workspace admin can set overrides.`);
  if (!(await people.get(ctx.actor.workspaceId, parsed.value.userId)))
    throw new UserError(`I can't find @${parsed.value.userId} in this workspace.`);
  if (to <= from)
    throw new UserError(
      `The override ends (${formatInZone(to, zone)}) before it starts (${formatInZone(from, zone)}): give the start first, then the end.`,
    );
  if (to <= now)
    throw new UserError(`That override is in the past: it ended ${formatInZone(to, zone)}. Overrides are for now and the future.`);
  if (from.getTime() < now.getTime() - 60_000) {
    throw new UserError(
      `An override can't start in the past (${formatInZone(from, zone)}, it is now ${formatInZone(now, zone)}). To take over from now, start it with "now".`,
    );
  }
  if (to.getTime() - from.getTime() > MAX_OVERRIDE_MS)
    throw new UserError('An override can last at most 90 days. For a lasting change, edit the rotation.');

  const replaced = await replacedPeople(deps, state, from, to, parsed.value.userId);
  // Each person is told in their own zone; the messages are decided with the override, so they go
  // out once it is stored, whatever happens to this request after.
  const cover = parsed.value.userId;
  const told = [
    ...(cover !== ctx.actor.userId
      ? [
          {
            userId: cover,
            message: overrideToCover({
              rotation: name,
              byId: ctx.actor.userId,
              from,
              to,
              replaced,
              zone: await people.zoneOf(ctx.actor.workspaceId, cover),
            }),
          },
        ]
      : []),
    ...(await Promise.all(
      replaced
        .filter((p) => p !== ctx.actor.userId)
        .map(async (person) => ({
          userId: person,
          message: overrideToReplaced({
            rotation: name,
            byId: ctx.actor.userId,
            coverId: cover,
            from,
            to,
            zone: await people.zoneOf(ctx.actor.workspaceId, person),
          }),
        })),
    )),
  ];
  await db.transaction().execute(async (trx) => {
    const rotation = await lockRotation(trx, state.rotation.id);
    if (!rotation || rotation.deletedAt) throw new UserError('That rotation has just been deleted.');
    const made = await insertOverride(trx, {
      rotationId: state.rotation.id,
      userId: cover,
      startsAt: from,
      endsAt: to,
      source: 'override',
      createdBy: ctx.actor.userId,
      now,
    });
    await refreshUndelivered(trx, state, now);
    for (const t of told) {
      await outbox.enqueue(trx, {
        key: `override:${made.id}:${t.userId}`,
        to: { workspaceId: ctx.actor.workspaceId, userId: t.userId },
        message: t.message,
      });
    }
  });
  ctx.log.info({ rotation: state.rotation.id }, 'override set');
  const actorZone = await people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
  await ctx.reply(overrideSet({ rotation: name, userId: cover, from, to, replaced, zone: actorZone }));
}

/** Whoever was on during the span before this override (their turns and earlier overrides). */
async function replacedPeople(deps: HandoffDeps, state: RotationState, from: Date, to: Date, cover: string): Promise<string[]> {
  const overrides = await findOverrides(deps.services.db, state.rotation.id, from, to);
  const moments = [from, ...overrides.flatMap((o) => [o.startsAt, o.endsAt])];
  const shifts = state.timeline.shiftsStartingIn(new Date(from.getTime() - 8 * DAY_MS), to).filter((s) => s.end > from);
  moments.push(...shifts.map((s) => s.start));
  const people = new Set<string>();
  for (const m of moments) {
    if (m < from || m >= to) continue;
    const duty = dutyAt(state.timeline, overrides, m);
    if (duty && duty.userId !== cover) people.add(duty.userId);
  }
  return [...people];
}
