import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../db/schema';
import type { Clock } from '../core/clock';
import type { ChatPlatform, Rate } from '../core/platform';
import type { WorkspaceId } from '../core/refs';
import { RetryLater } from '../scheduler/job';
import { pauseLane as pauseLaneRow, reserveBlocks, reserveSlots, type LaneRequest } from '../storage/send-lanes-repository';

export type SendOp = 'post' | 'update';

export interface PaceOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** Waits until the clock reads `until` (a reserved place); tests pass one that moves a fake clock. */
  readonly wait?: (until: Date, signal?: AbortSignal) => Promise<void>;
  /** A place further ahead than this hands the job back for then, instead of holding it. */
  readonly maxWaitMs?: number;
}

function lane(name: string, rate: Rate): LaneRequest {
  return { lane: name, intervalMs: 1000 / rate.perSecond, burst: Math.max(1, Math.floor(rate.burst)) };
}

/** The lanes a send goes through: its workspace's, and its conversation's when the platform limits those. */
function lanesFor(op: SendOp, platform: ChatPlatform, workspaceId: WorkspaceId, conversation: string | undefined): LaneRequest[] {
  const limits = platform.limits?.[op];
  if (!limits) return [];
  const lanes: LaneRequest[] = [];
  if (limits.workspace) lanes.push(lane(`${op}|${workspaceId}`, limits.workspace));
  if (limits.conversation && conversation) lanes.push(lane(`${op}|${conversation}`, limits.conversation));
  return lanes;
}

/**
 * Waits for this send's place in its lanes, shared by every instance through the database. A lane
 * the platform paused (a 429's Retry-After), or one whose place is too far ahead, hands the job
 * back for then without using up an attempt.
 */
export async function pace(
  options: PaceOptions,
  op: SendOp,
  platform: ChatPlatform,
  workspaceId: WorkspaceId,
  conversation: string | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const lanes = lanesFor(op, platform, workspaceId, conversation);
  if (lanes.length === 0) return;
  const now = options.clock.now();
  const slots = await reserveSlots(options.db, lanes, now, options.maxWaitMs ?? 5_000);
  const paused = Math.max(0, ...slots.map((s) => s.pausedUntil?.getTime() ?? 0));
  if (paused > now.getTime())
    throw new RetryLater(`${platform.name} asked to wait before sending more`, paused - now.getTime(), { uncounted: true });
  const busy = slots.filter((s) => !s.at);
  if (busy.length) {
    const free = Math.max(...busy.map((s) => s.nextFree.getTime()));
    throw new RetryLater('the send lane is full for now', free - now.getTime(), { uncounted: true });
  }
  const at = Math.max(...slots.map((s) => s.at!.getTime()));
  if (at <= now.getTime()) return;
  if (options.wait) await options.wait(new Date(at), signal);
  else await sleep(at - now.getTime(), undefined, signal ? { signal } : {});
}

export interface Send {
  readonly platform: ChatPlatform;
  readonly workspaceId: WorkspaceId;
  readonly conversation: string | undefined;
}

/**
 * The places of several sends at once (a wave), reserved in a couple of statements whatever their
 * number: each send's time, or a RetryLater for one whose lane is paused or whose place is too far.
 */
export async function reserveMany(options: PaceOptions, op: SendOp, sends: readonly Send[]): Promise<(Date | RetryLater)[]> {
  const lanesOf = sends.map((s) => lanesFor(op, s.platform, s.workspaceId, s.conversation));
  const counts = new Map<string, LaneRequest & { count: number }>();
  for (const lanes of lanesOf) for (const l of lanes) counts.set(l.lane, { ...l, count: (counts.get(l.lane)?.count ?? 0) + 1 });
  const now = options.clock.now().getTime();
  const blocks = new Map(
    (await reserveBlocks(options.db, [...counts.values()], new Date(now), options.maxWaitMs ?? 5_000)).map((b) => [b.lane, b]),
  );
  const taken = new Map<string, number>();
  return lanesOf.map((lanes) => {
    let at = now;
    for (const l of lanes) {
      const block = blocks.get(l.lane)!;
      const i = taken.get(l.lane) ?? 0;
      taken.set(l.lane, i + 1);
      if (!block.first)
        return new RetryLater('the platform asked to wait before sending more', block.nextFree.getTime() - now, { uncounted: true });
      if (i >= block.reserved) return new RetryLater('the send lane is full for now', block.nextFree.getTime() - now, { uncounted: true });
      at = Math.max(at, block.first.getTime() + i * block.intervalMs);
    }
    return new Date(at);
  });
}

/** Waits until the clock reads `until`. */
export async function waitUntil(options: PaceOptions, until: Date, signal?: AbortSignal): Promise<void> {
  const ms = until.getTime() - options.clock.now().getTime();
  if (ms <= 0) return;
  if (options.wait) await options.wait(until, signal);
  else await sleep(ms, undefined, signal ? { signal } : {});
}

/**
 * A platform's "slow down" (HTTP 429): no instance sends this kind of call in the conversation, or
 * the whole workspace (as the platform declares its limits apply), until it passes.
 */
export async function pauseLane(
  options: PaceOptions,
  op: SendOp,
  platform: ChatPlatform,
  workspaceId: WorkspaceId,
  conversation: string | undefined,
  waitMs: number,
): Promise<void> {
  const limits = platform.limits?.[op];
  const byConversation = limits?.pauses === 'conversation' && conversation !== undefined;
  const rate = (byConversation ? limits?.conversation : limits?.workspace) ?? { perSecond: 1, burst: 1 };
  const now = options.clock.now();
  await pauseLaneRow(options.db, lane(`${op}|${byConversation ? conversation : workspaceId}`, rate), new Date(now.getTime() + waitMs), now);
}
