/**
 * Who is on shift: what an escalation policy level asks each time it pages "whoever is on shift".
 * Printed as ratios against baselines measured in the same run:
 * - `onShift` (read the rotation, its versions and overrides, compute the shift) against one
 *   primary-key select on the same database: how many round trips' worth the answer costs;
 * - the pure shift computation for a rotation five years old against one a day old: turns are
 *   counted by arithmetic, so age must not matter (ratio near 1).
 *
 * Run: npm run build && node dist/bench/handoff-on-shift.js  (PGlite in memory; DATABASE_URL for PostgreSQL)
 */
import pino from 'pino';
import { FakeClock } from '../src/core/clock';
import { Platforms } from '../src/core/platform';
import { handoffModule } from '../src/handoff';
import { ShiftTimeline, type TimelineVersion } from '../src/handoff/shift-timeline';
import { createSteady, WORKFLOW_MODULES } from '../src/steady';
import { buildWorkflowModules } from '../src/workflow-modules';
import { connectDatabase } from '../src/storage/database';
import { MIGRATIONS } from '../adapters';
import { migrateToLatest } from '../src/storage/migrate';
import { insertOverride } from '../src/storage/handoff/overrides-repository';
import { insertRotation, insertVersion } from '../src/storage/handoff/rotations-repository';
import { DEFAULT_TEMPLATE } from '../src/handoff/model';
import { DAY_MS } from '../src/core/duration';

const log = pino({ level: 'silent' });

function version(effectiveFrom: Date): TimelineVersion {
  return {
    id: '1',
    effectiveFrom,
    zone: 'Europe/Berlin',
    pattern: {
      kind: 'windows',
      windows: [
        { start: '07:00', end: '15:00' },
        { start: '15:00', end: '23:00' },
        { start: '23:00', end: '07:00' },
      ],
    },
    days: [1, 2, 3, 4, 5],
    members: ['a', 'b', 'c', 'd'],
    firstMember: 0,
  };
}

async function time(label: string, n: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, n); i++) await fn(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  const perCallUs = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${label.padEnd(58)} ${perCallUs.toFixed(1).padStart(9)} µs/call`);
  return perCallUs;
}

export async function run(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const connection = url ? await connectDatabase({ engine: 'postgres', url }) : await connectDatabase({ engine: 'pglite', dataDir: null });
  try {
    await migrateToLatest(connection.db, MIGRATIONS, log);
    const now = new Date('2031-06-02T10:00:00Z');
    const clock = new FakeClock(now);
    const steady = createSteady({ db: connection.db, clock, log, platforms: new Platforms(), workflows: () => [] });
    // Steady's own modules, as start-up builds them: the bench asks only the handoff workflow's API.
    const api = buildWorkflowModules(steady.services, WORKFLOW_MODULES).apis[handoffModule.name];
    if (!api) throw new Error('the handoff workflow was not built');
    const db = connection.db;
    const ids: string[] = [];
    for (const [i, from] of [new Date('2031-06-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z')].entries()) {
      const rotation = await insertRotation(db, { workspaceId: 'bench:W', name: `R${i}-${Date.now()}`, createdBy: 'a', now });
      const v = version(from);
      await insertVersion(db, {
        ...v,
        rotationId: rotation.id,
        channel: 'bench:C',
        supervisorId: 'a',
        reminderLeadMinutes: 30,
        confirmTimeoutMinutes: 15,
        template: [...DEFAULT_TEMPLATE],
        createdBy: 'a',
        createdAt: now,
      });
      // A rotation with a year of history has overrides; only those near the instant are read.
      for (let d = 0; d < 50; d++) {
        const start = new Date(from.getTime() + d * 7 * DAY_MS);
        await insertOverride(db, {
          rotationId: rotation.id,
          userId: 'z',
          startsAt: start,
          endsAt: new Date(start.getTime() + 3_600_000),
          source: 'override',
          createdBy: 'a',
          now,
        });
      }
      ids.push(rotation.id);
    }
    const n = Number(process.env.BENCH_N ?? 2000);
    const at = (i: number) => new Date(now.getTime() + (i % 500) * 1_800_000);
    console.log(`handoff on-shift bench: ${connection.engine}, ${n} calls each`);
    const baseline = await time('baseline: select one rotation by primary key', n, (i) =>
      db
        .selectFrom('rotations')
        .selectAll()
        .where('id', '=', ids[i % 2]! as never)
        .executeTakeFirst(),
    );
    const young = await time('onShift, rotation a day old', n, (i) => api.onShift('bench:W', ids[0]!, at(i)));
    const old = await time('onShift, rotation five years old with overrides', n, (i) => api.onShift('bench:W', ids[1]!, at(i)));
    const pureYoung = new ShiftTimeline([version(new Date('2031-06-01T00:00:00Z'))]);
    const pureOld = new ShiftTimeline([version(new Date('2026-06-01T00:00:00Z'))]);
    const computeYoung = await time('shift computation only, a day old', n * 5, (i) => pureYoung.shiftAt(at(i)));
    const computeOld = await time('shift computation only, five years old', n * 5, (i) => pureOld.shiftAt(at(i)));
    console.log(`ratio onShift / baseline select:        ${(young / baseline).toFixed(2)} (young), ${(old / baseline).toFixed(2)} (old)`);
    console.log(`ratio computation old / young:          ${(computeOld / computeYoung).toFixed(2)} (1.00 = age does not matter)`);
    console.log(`memory: ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB RSS`);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
