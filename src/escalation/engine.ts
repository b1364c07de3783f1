import { findEscalationById, lockEscalation, updateEscalation } from '../storage/escalation/escalations-repository';
import { appendEvent } from '../storage/escalation/events-repository';
import { MINUTE_MS } from '../core/duration';
import type { Executor } from '../../db/schema';
import type { EscalationDeps } from './deps';
import {
  hasTargets,
  isActive,
  levelIndexOf,
  roundOf,
  totalSteps,
  type Escalation,
  type Paged,
  type PolicySnapshot,
  type ResolvedTargets,
} from './model';
import type { ReminderPhase } from './messages/notices';
import { nextChaseAt } from './chasing';
import { loadSettings } from './settings';
import { nextWorkingTime } from './working-hours';
import { resolveTargets } from './targets';

/**
 * The escalation's clock: policy levels climbed while nobody acknowledges, and the due time's
 * reminder, overdue step and chasing. Each step looks up who to notify first (outside the
 * transaction: it may ask the platform or the handoff workflow), then, under the escalation's row
 * lock, checks the step is still due (at least once: a repeated job finds it done) and records it.
 */
type Planned = { readonly step: number; readonly targets: ResolvedTargets & { rotation?: string } };

async function planFrom(
  deps: EscalationDeps,
  workspaceId: string,
  policy: PolicySnapshot,
  from: number,
  until: number,
  at: Date,
): Promise<Planned[]> {
  const plan: Planned[] = [];
  for (let step = from; step < until; step++) {
    const level = policy.levels[levelIndexOf(policy, step)]!;
    const targets = await resolveTargets({ people: deps.services.people, onShift: deps.onShift }, workspaceId, level, at);
    plan.push({ step, targets });
    if (hasTargets(targets)) break;
  }
  return plan;
}

const NOBODY: ReadonlySet<string> = new Set();

/**
 * Records the planned steps (skips and the one notified level), enqueues the pages, and returns the
 * escalation as changed. `why` tells a policy step from an overdue escalation moving up.
 * `toldAnyway`: people the same event tells in a message of their own (the owner of a new
 * escalation). They count as notified like everyone else, but get no page: `paged` says at which
 * level, for their message to name it.
 */
async function recordPlan(
  deps: EscalationDeps,
  trx: Executor,
  e: Escalation,
  policy: PolicySnapshot,
  plan: readonly Planned[],
  why: 'policy' | 'overdue',
  now: Date,
  toldAnyway: ReadonlySet<string> = NOBODY,
): Promise<{ escalation: Escalation; notified: Planned | undefined; paged: Map<string, Paged> }> {
  const paged = new Map<string, Paged>();
  const notified = new Set(e.notifiedUserIds);
  let channelNotified = e.channelNotified;
  let reached: Planned | undefined;
  for (const p of plan) {
    const level = levelIndexOf(policy, p.step) + 1;
    const round = roundOf(policy, p.step) + 1;
    if (!hasTargets(p.targets)) {
      const id = await appendEvent(trx, e.id, { kind: 'skipped', data: { level, round, why } }, null, now);
      await deps.planner.notify(trx, e, id, 'thread', 'thread');
      continue;
    }
    reached = p;
    if (why === 'overdue') {
      const escalated = await appendEvent(trx, e.id, { kind: 'escalated', data: { level } }, null, now);
      await deps.planner.notify(trx, e, escalated, 'thread', 'thread');
    }
    const data = {
      level,
      round,
      users: [...p.targets.users],
      why,
      ...(p.targets.channel ? { channel: p.targets.channel } : {}),
      ...(p.targets.rotation ? { rotation: p.targets.rotation } : {}),
    };
    const id = await appendEvent(trx, e.id, { kind: 'notified', data }, null, now);
    await deps.planner.notify(trx, e, id, 'thread', 'thread');
    for (const user of p.targets.users) {
      notified.add(user);
      if (toldAnyway.has(user)) paged.set(user, { level, levels: policy.levels.length, why });
      else await deps.planner.page(trx, e, p.step, why, { user });
    }
    if (p.targets.channel) {
      channelNotified = true;
      await deps.planner.page(trx, e, p.step, why, { channel: p.targets.channel });
    }
  }
  const last = plan[plan.length - 1];
  if (!last) return { escalation: e, notified: undefined, paged };
  const escalation = await updateEscalation(trx, e.id, { policyStep: last.step, notifiedUserIds: [...notified], channelNotified }, now);
  return { escalation, notified: reached, paged };
}

/** After a level was notified: the next level after its wait, or the "nobody acknowledged" check. */
async function continueChain(
  deps: EscalationDeps,
  trx: Executor,
  e: Escalation,
  policy: PolicySnapshot,
  reached: Planned | undefined,
  now: Date,
): Promise<void> {
  if (!reached) return;
  const wait = policy.levels[levelIndexOf(policy, reached.step)]!.waitMinutes * MINUTE_MS;
  await deps.planner.level(trx, e, reached.step + 1, new Date(now.getTime() + wait));
}

async function recordExhausted(deps: EscalationDeps, trx: Executor, e: Escalation, policy: PolicySnapshot, now: Date): Promise<Escalation> {
  const updated = await updateEscalation(trx, e.id, { policyStep: totalSteps(policy) }, now);
  const id = await appendEvent(
    trx,
    e.id,
    { kind: 'exhausted', data: { levels: policy.levels.length, rounds: policy.repeat + 1 } },
    null,
    now,
  );
  await deps.planner.notify(trx, updated, id, 'thread', 'thread');
  await deps.planner.notifyPeople(trx, updated, id, 'exhausted', [updated.ownerId, updated.raiserId], null);
  return updated;
}

/**
 * Who the policy's first level (or the first with anyone in it) notifies, looked up before the
 * transaction that raises or reopens an escalation. Undefined when that lookup fails for now (the
 * platform is unavailable): then the level job does it a moment later, and retries.
 */
export async function planPolicyStart(
  deps: EscalationDeps,
  workspaceId: string,
  policy: PolicySnapshot | null,
  now: Date,
): Promise<readonly Planned[] | undefined> {
  if (!policy || policy.levels.length === 0) return [];
  try {
    return await planFrom(deps, workspaceId, policy, 0, totalSteps(policy), now);
  } catch (err) {
    deps.services.log.warn({ err }, 'could not look up who the first policy level notifies; its job will');
    return undefined;
  }
}

/**
 * Starts `e`'s policy (its run already set) in the transaction that raised or reopened it: its first
 * level is part of that event, so whoever the event tells anyway (`toldAnyway`) hears of the page
 * in that message, and `paged` says at which level. Returns the escalation as changed.
 */
export async function startPolicy(
  deps: EscalationDeps,
  trx: Executor,
  e: Escalation,
  plan: readonly Planned[] | undefined,
  toldAnyway: ReadonlySet<string>,
  now: Date,
): Promise<{ escalation: Escalation; paged: ReadonlyMap<string, Paged> }> {
  const policy = e.policy;
  if (!policy || policy.levels.length === 0) return { escalation: e, paged: new Map() };
  if (!plan) {
    await deps.planner.level(trx, e, 0, now);
    return { escalation: e, paged: new Map() };
  }
  const { escalation, notified, paged } = await recordPlan(deps, trx, e, policy, plan, 'policy', now, toldAnyway);
  if (notified) {
    await continueChain(deps, trx, escalation, policy, notified, now);
    return { escalation, paged };
  }
  return { escalation: await recordExhausted(deps, trx, escalation, policy, now), paged };
}

const chainStillAt = (e: Escalation | undefined, run: number, step: number): e is Escalation & { policy: PolicySnapshot } =>
  !!e && !!e.policy && e.policyRun === run && e.status === 'open' && e.policyStep < step;

/** Job `escalation.level`: policy step `step` of run `run` is due. */
export async function runPolicyStep(deps: EscalationDeps, payload: { escalationId: string; run: number; step: number }): Promise<void> {
  const { db, clock } = deps.services;
  const e = await findEscalationById(db, payload.escalationId);
  if (!chainStillAt(e, payload.run, payload.step)) return;
  const policy = e.policy;
  const total = totalSteps(policy);
  const now = clock.now();
  const plan = payload.step < total ? await planFrom(deps, e.workspaceId, policy, payload.step, total, now) : [];
  await db.transaction().execute(async (trx) => {
    const locked = await lockEscalation(trx, e.id);
    if (!chainStillAt(locked, payload.run, payload.step)) return;
    const { escalation, notified } = await recordPlan(deps, trx, locked, policy, plan, 'policy', now);
    if (notified) await continueChain(deps, trx, escalation, policy, notified, now);
    else await recordExhausted(deps, trx, escalation, policy, now);
    const latest = await lockEscalation(trx, e.id);
    await deps.planner.card(trx, latest!);
  });
}

/** Levels above the current one, in the same round: where an overdue escalation moves up to. */
function higherLevels(e: Escalation & { policy: PolicySnapshot }): { from: number; until: number } | undefined {
  const policy = e.policy;
  const levels = policy.levels.length;
  if (levels === 0 || e.policyStep >= totalSteps(policy)) return undefined;
  const current = e.policyStep < 0 ? -1 : levelIndexOf(policy, e.policyStep);
  const roundStart = e.policyStep < 0 ? 0 : roundOf(policy, e.policyStep) * levels;
  if (current >= levels - 1) return undefined;
  return { from: roundStart + current + 1, until: roundStart + levels };
}

const dueStillAt = (e: Escalation | undefined, version: number): e is Escalation => !!e && isActive(e.status) && e.dueVersion === version;

/** Job `escalation.due`: the reminder before the due time, the due time itself, or a chase while overdue. */
export async function runDueStep(
  deps: EscalationDeps,
  payload: { escalationId: string; dueVersion: number; phase: ReminderPhase; n: number },
): Promise<void> {
  const { db, clock } = deps.services;
  const e = await findEscalationById(db, payload.escalationId);
  if (!dueStillAt(e, payload.dueVersion)) return;
  const now = clock.now();
  if (payload.phase === 'before') {
    if (e.remindedVersion === payload.dueVersion || now >= e.dueAt) return;
    await db.transaction().execute(async (trx) => {
      const locked = await lockEscalation(trx, e.id);
      if (!dueStillAt(locked, payload.dueVersion) || locked.remindedVersion === payload.dueVersion) return;
      const updated = await updateEscalation(trx, e.id, { remindedVersion: payload.dueVersion }, now, false);
      await appendEvent(trx, e.id, { kind: 'reminded', data: { dueAt: e.dueAt.toISOString() } }, null, now);
      await deps.planner.remind(trx, updated, 'before', 0);
    });
    return;
  }
  const settings = await loadSettings(db, e.workspaceId);
  const ownerZone = await deps.services.people.zoneOf(e.workspaceId, e.ownerId);
  if (payload.phase === 'chase') {
    if (e.chaseCount >= payload.n) return;
    // Due outside the owner's working hours (late after an outage, or the hours changed): it waits.
    const working = nextWorkingTime(now, settings.workingHours, ownerZone);
    if (working > now) return deps.planner.chase(db, e, payload.n, working, true);
    await db.transaction().execute(async (trx) => {
      const locked = await lockEscalation(trx, e.id);
      if (!dueStillAt(locked, payload.dueVersion) || locked.chaseCount >= payload.n) return;
      const updated = await updateEscalation(trx, e.id, { chaseCount: payload.n }, now, false);
      await appendEvent(trx, e.id, { kind: 'chased', data: { dueAt: e.dueAt.toISOString(), n: payload.n } }, null, now);
      await deps.planner.remind(trx, updated, 'chase', payload.n);
      // Counted from now: after an outage the owner is chased once, not once per missed chase.
      await deps.planner.chase(trx, updated, payload.n + 1, nextChaseAt(now, payload.n, settings, ownerZone));
    });
    return;
  }
  // The due time: overdue. Tell the owner, move up one policy level, start chasing.
  if (e.overdueAt) return;
  const higher = e.policy ? higherLevels(e as Escalation & { policy: PolicySnapshot }) : undefined;
  const plan = higher && e.policy ? await planFrom(deps, e.workspaceId, e.policy, higher.from, higher.until, now) : [];
  await db.transaction().execute(async (trx) => {
    const locked = await lockEscalation(trx, e.id);
    if (!dueStillAt(locked, payload.dueVersion) || locked.overdueAt) return;
    let current = await updateEscalation(trx, e.id, { overdueAt: now, chaseCount: 0 }, now);
    const id = await appendEvent(trx, e.id, { kind: 'overdue', data: { dueAt: e.dueAt.toISOString() } }, null, now);
    await deps.planner.notify(trx, current, id, 'thread', 'thread');
    const policy = current.policy;
    let ownerPaged: Paged | undefined;
    if (policy && plan.length > 0 && current.policyStep === e.policyStep && current.policyRun === e.policyRun) {
      // A running chain carries on from the level it moves up to, not from where it was.
      if (current.status === 'open') await deps.planner.stopLevels(trx, current);
      // The owner hears of it in the overdue reminder, not in a page of its own as well.
      const { escalation, notified, paged } = await recordPlan(
        deps,
        trx,
        current,
        policy,
        plan,
        'overdue',
        now,
        new Set([current.ownerId]),
      );
      current = escalation;
      ownerPaged = paged.get(current.ownerId);
      if (current.status === 'open') {
        if (notified) await continueChain(deps, trx, current, policy, notified, now);
        else current = await recordExhausted(deps, trx, current, policy, now);
      }
    }
    await deps.planner.remind(trx, current, 'due', 0, ownerPaged);
    // The first chase counts from the due time, or from now if an outage already passed it.
    const firstChase = nextChaseAt(e.dueAt, 0, settings, ownerZone);
    await deps.planner.chase(trx, current, 1, firstChase > now ? firstChase : nextChaseAt(now, 0, settings, ownerZone));
    await deps.planner.card(trx, current);
  });
}
