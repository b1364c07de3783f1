import fc from 'fast-check';
import { KEPT_REQUEST_KIND } from '../../src/inbound/kept-requests';
import { sql } from 'kysely';
import pino from 'pino';
import type { Db } from '../../db/schema';
import { raise } from '../escalation/support';
import { rotationValues } from '../handoff/support';
import { createStandup } from '../standup/support';
import type { Harness } from '../support/harness';

/**
 * Shared pieces of the property-based tests. CI runs them with a fixed seed and a modest number of
 * runs, so the suite stays fast and a failure is reproducible; `FUZZ_RUNS=2000 npm test --
 * test/property` runs more, and `FUZZ_SEED` picks another seed (fast-check prints the seed and the
 * shrunk counterexample of a failure).
 */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261206);

export function runs(fallback: number): number {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}

export function settings(fallback: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: runs(fallback), endOnFailure: true, timeout: 10_000 };
}

/** The pieces hostile or careless input is made of: what PostgreSQL refuses, line breaks, absurd numbers. */
const NASTY = [
  '\u0000',
  '\n',
  '\r\n',
  '\t',
  '\ud800',
  '\udfff',
  '\ud83d',
  '😀',
  '\u202e',
  '\u200b',
  '"',
  "'",
  '\\',
  '<@U1>',
  '<@bob>',
  '<#C1>',
  '<!here>',
  '&lt;',
  'ESC-1',
  'ESC-99999999999999999999',
  'ESC-0',
  '1e308',
  '-1e308',
  '9007199254740993',
  '99999999999999999999',
  '-1',
  '0',
  'NaN',
  'Infinity',
  '+4h',
  '+99999999999999h',
  '99999999999d',
  '2026-12-01',
  '2026-02-30',
  '9999-12-31 23:59',
  '+275760-09-13',
  '25:61',
  '09:30',
  'daily',
  'Daily',
  'ops',
  'mine',
  'all',
  'none',
  '7d',
  '999d',
  'Europe/Berlin',
  'Mars/Olympus',
  '@alice',
  '#ops',
  '{}',
  '[]',
  'null',
  '__proto__',
  'constructor',
  'x'.repeat(3100),
];

/** A piece of text: one nasty piece, or a few random characters (any code point, including none at all). */
export const piece: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

/** Text as a careless or hostile person might type it: pieces joined by spaces, line breaks or nothing. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(fc.tuple(piece, fc.constantFrom(' ', ' ', '\n', '', '  ')), { maxLength: 6 })
  .map((parts) => parts.map(([p, sep]) => p + sep).join(''));

/** What Steady logged, for telling a refusal ("refused") from a failure ("handling failed"). */
export class LogCapture {
  readonly records: Record<string, unknown>[] = [];
  readonly log = pino({ level: 'info' }, { write: (line: string) => void this.records.push(JSON.parse(line) as Record<string, unknown>) });

  /** Messages logged since `from` (an index into records). */
  since(from: number): Record<string, unknown>[] {
    return this.records.slice(from);
  }

  failuresSince(from: number): Record<string, unknown>[] {
    return this.since(from).filter((r) => Number(r.level) >= 50);
  }

  refusedSince(from: number): boolean {
    return this.since(from).some((r) => r.msg === 'refused');
  }
}

/** The words of Steady's generic failure answer: no generated input may get it. */
export const GENERIC_FAILURE = /something went wrong/i;

/**
 * Rows per table, except what every event touches (the actor's profile, the dedupe keys, the
 * record of the request itself, kept before it is handled) and what a refusal itself sends (the
 * outbox of private answers): a rejected input must change none of it.
 */
const TOUCHED_BY_EVERY_EVENT = new Set([
  'people',
  'workspaces',
  'inbound_events',
  'outbox',
  'send_lanes',
  'kysely_migration',
  'kysely_migration_lock',
]);

export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await sql<{
    name: string;
  }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
    db,
  );
  const names = tables.rows.map((t) => t.name).filter((n) => !TOUCHED_BY_EVERY_EVENT.has(n));
  const query = names
    .map((n) => `select '${n}' as name, count(*)::int as n from "${n}"${n === 'jobs' ? ` where kind <> '${KEPT_REQUEST_KIND}'` : ''}`)
    .join(' union all ');
  const counted = await sql.raw<{ name: string; n: number }>(query).execute(db);
  return Object.fromEntries(counted.rows.map((r) => [r.name, Number(r.n)]));
}

/** Something for generated commands and forms to find: an admin, ESC-1, the stand-up Daily, a rotation. */
export async function seedWorkspace(h: Harness): Promise<void> {
  await h.as('alice').command('steady', 'admins add <@alice>');
  expect(await raise(h, 'alice', { title: 'Printer down', severity: 'SEV2', owner: 'bob', recommendation: 'Buy a new one' })).toEqual({
    status: 'done',
  });
  expect(await createStandup(h, 'alice', { name: 'Daily', participants: ['bob', 'carol'] })).toEqual({ status: 'done' });
  await h.as('eve').command('handoff', 'rotation create');
  expect(await h.as('eve').submit(rotationValues())).toEqual({ status: 'done' });
}
