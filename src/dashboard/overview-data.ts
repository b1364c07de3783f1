import type { Executor } from '../../db/schema';
import { digestFigures, digestPeriods, type DigestFigures } from '../insight/digest-figures';

export const TREND_WEEKS = 12;

/**
 * The ends of the trend's weeks, oldest first, the last being `now`: each week is the digest's own
 * week (seven local days at the same wall-clock time, so 167 or 169 hours across a DST change).
 */
export function trendEnds(now: Date, zone: string, weeks = TREND_WEEKS): Date[] {
  const ends = [now];
  while (ends.length < weeks) ends.push(digestPeriods(ends.at(-1)!, zone).current.from);
  return ends.reverse();
}

export interface Overview {
  /** The digest's figures for the last 7 days against the 7 before. */
  readonly figures: DigestFigures;
  /** The digest's figures for each of the last 12 weeks, oldest first; the last is `figures`. */
  readonly weeks: readonly DigestFigures[];
}

/**
 * The overview's numbers: the digest's figures, once per week for twelve weeks. Nothing is computed
 * here a second way: each week is what the digest would have said at that week's end.
 */
export async function loadOverview(db: Executor, workspaceId: string, now: Date, zone: string, weeks = TREND_WEEKS): Promise<Overview> {
  // Together: on PostgreSQL the pool runs them side by side; PGlite, one connection, takes them in turn.
  const all = await Promise.all(trendEnds(now, zone, weeks).map((end) => digestFigures(db, workspaceId, end, zone)));
  return { figures: all.at(-1)!, weeks: all };
}
