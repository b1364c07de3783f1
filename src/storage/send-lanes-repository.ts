import { sql } from 'kysely';
import type { Executor } from '../../db/schema';

export interface LaneRequest {
  readonly lane: string;
  /** Time between sends at the sustained rate. */
  readonly intervalMs: number;
  /** Sends allowed at once after a quiet spell. */
  readonly burst: number;
}

export interface LaneSlot {
  readonly lane: string;
  /** When this send may go out (now or later); undefined when the lane is paused or too far ahead. */
  readonly at: Date | undefined;
  /** Set while the platform asked this lane to wait (Retry-After). */
  readonly pausedUntil: Date | undefined;
  /** When the lane would have a place, had it been free to reserve one. */
  readonly nextFree: Date;
}

/**
 * Reserves one send in each lane, in one statement: the generic cell rate algorithm, with the
 * lane's theoretical arrival time (tat) kept in the database so every instance paces by the same
 * clock. A lane that is paused, or whose next place is more than `maxWaitMs` away, reserves
 * nothing: the sender hands its job back for then instead of holding it.
 */
export async function reserveSlots(db: Executor, lanes: readonly LaneRequest[], now: Date, maxWaitMs: number): Promise<LaneSlot[]> {
  if (lanes.length === 0) return [];
  const { rows } = await sql<{ lane: string; tat: Date; interval_ms: number; burst: number; paused_until: Date | null; reserved: boolean }>`
    with wanted as (
      select * from unnest(${lanes.map((l) => l.lane)}::text[], ${lanes.map((l) => l.intervalMs)}::float8[], ${lanes.map((l) => l.burst)}::int[])
        as w(lane, interval_ms, burst)
    ), current as (
      select w.lane, w.interval_ms, w.burst,
             greatest(coalesce(s.tat, ${now}::timestamptz), ${now}::timestamptz) as base,
             case when s.paused_until > ${now}::timestamptz then s.paused_until end as paused_until
        from wanted w left join send_lanes s on s.lane = w.lane
    ), decided as (
      select lane, interval_ms, burst, base, paused_until,
             paused_until is null
               and base - make_interval(secs => (burst - 1) * interval_ms / 1000.0) <= ${now}::timestamptz + make_interval(secs => ${maxWaitMs} / 1000.0)
               as reserved
        from current
    ), upserted as (
      insert into send_lanes as s (lane, interval_ms, burst, tat, paused_until, updated_at)
      select lane, interval_ms, burst, base + make_interval(secs => interval_ms / 1000.0), null, ${now}::timestamptz
        from decided where reserved
      on conflict (lane) do update
        set interval_ms = excluded.interval_ms, burst = excluded.burst,
            tat = greatest(s.tat, ${now}::timestamptz) + make_interval(secs => excluded.interval_ms / 1000.0),
            updated_at = excluded.updated_at
      returning s.lane, s.tat
    )
    select d.lane, coalesce(u.tat, d.base) as tat, d.interval_ms, d.burst, d.paused_until, d.reserved
      from decided d left join upserted u on u.lane = d.lane`.execute(db);
  return rows.map((row) => {
    // The send's place: the lane's new tat (one interval past the old), less what a burst may run
    // ahead of the sustained rate.
    const ahead = Number(row.burst) * Number(row.interval_ms);
    const tat = new Date(row.tat).getTime();
    const place = new Date(Math.max(now.getTime(), tat - ahead));
    return {
      lane: row.lane,
      at: row.reserved ? place : undefined,
      pausedUntil: row.paused_until ? new Date(row.paused_until) : undefined,
      nextFree: new Date(Math.max(now.getTime(), tat - ahead + (row.reserved ? 0 : Number(row.interval_ms)))),
    };
  });
}

/** The platform asked to wait (a 429 with Retry-After): no instance sends in this lane until then. */
export async function pauseLane(db: Executor, lane: LaneRequest, until: Date, now: Date): Promise<void> {
  await sql`
    insert into send_lanes as s (lane, interval_ms, burst, tat, paused_until, updated_at)
    values (${lane.lane}, ${lane.intervalMs}, ${lane.burst}, ${now}, ${until}, ${now})
    on conflict (lane) do update
      set paused_until = greatest(coalesce(s.paused_until, ${until}::timestamptz), ${until}::timestamptz), updated_at = ${now}`.execute(db);
}

/** Forgets lanes nobody sent in since `before`. */
export async function pruneLanes(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('send_lanes')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('paused_until', 'is', null), eb('paused_until', '<', before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface LaneBlock {
  readonly lane: string;
  /**
   * The first of the places reserved in a row, one interval apart (place i is at first + i ×
   * interval, or now if that has passed); undefined when the lane is paused.
   */
  readonly first: Date | undefined;
  /** How many of the places asked for were reserved: those that fit within the longest wait. */
  readonly reserved: number;
  readonly intervalMs: number;
  /** When the lane has room again, for the sends that got no place. */
  readonly nextFree: Date;
}

/**
 * Reserves up to `count` places in each lane at once (a wave of sends), in two statements whatever
 * the number of lanes: the generic cell rate algorithm as in `reserveSlots`, moved as many intervals
 * ahead as places fit within `maxWaitMs`. A paused lane reserves nothing.
 */
export async function reserveBlocks(
  db: Executor,
  lanes: readonly (LaneRequest & { readonly count: number })[],
  now: Date,
  maxWaitMs: number,
): Promise<LaneBlock[]> {
  if (lanes.length === 0) return [];
  const names = lanes.map((l) => l.lane);
  const intervals = lanes.map((l) => l.intervalMs);
  const bursts = lanes.map((l) => l.burst);
  await sql`
    insert into send_lanes (lane, interval_ms, burst, tat, paused_until, updated_at)
    select lane, interval_ms, burst, ${now}, null, ${now}
      from unnest(${names}::text[], ${intervals}::float8[], ${bursts}::int[]) as w(lane, interval_ms, burst)
    on conflict (lane) do nothing`.execute(db);
  const { rows } = await sql<{ lane: string; tat: Date; interval_ms: number; burst: number; reserved: number; paused_until: Date | null }>`
    with wanted as (
      select * from unnest(${names}::text[], ${intervals}::float8[], ${bursts}::int[], ${lanes.map((l) => l.count)}::int[]) as w(lane, interval_ms, burst, count)
    ), fitting as (
      select w.*, greatest(s.tat, ${now}::timestamptz) as base, s.paused_until,
             case when s.paused_until > ${now}::timestamptz then 0
                  else least(w.count, greatest(0, floor(
                         (extract(epoch from (${now}::timestamptz - greatest(s.tat, ${now}::timestamptz))) * 1000 + ${maxWaitMs} + (w.burst - 1) * w.interval_ms)
                         / w.interval_ms)::int + 1)) end as reserved
        from wanted w join send_lanes s on s.lane = w.lane
    ), moved as (
      update send_lanes s
         set tat = greatest(s.tat, ${now}::timestamptz) + make_interval(secs => f.reserved * f.interval_ms / 1000.0),
             interval_ms = f.interval_ms, burst = f.burst, updated_at = ${now}
        from fitting f
       where s.lane = f.lane and f.reserved > 0
      returning s.lane, s.tat
    )
    select f.lane, coalesce(m.tat, f.base) as tat, f.interval_ms, f.burst, f.reserved, f.paused_until
      from fitting f left join moved m on m.lane = f.lane`.execute(db);
  return rows.map((row) => {
    const interval = Number(row.interval_ms);
    const reserved = Number(row.reserved);
    const tat = new Date(row.tat).getTime();
    const ahead = (Number(row.burst) - 1) * interval;
    const paused = row.paused_until && row.paused_until > now ? new Date(row.paused_until) : undefined;
    return {
      lane: row.lane,
      // The block ends at the new tat: its first place is `reserved` intervals back, less what a burst may run ahead.
      first: paused ? undefined : new Date(tat - reserved * interval - ahead),
      reserved,
      intervalMs: interval,
      nextFree: paused ?? new Date(Math.max(now.getTime(), tat - ahead)),
    };
  });
}
