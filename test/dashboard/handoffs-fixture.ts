import type { Db } from '../../db/schema';
import { toJson } from '../../db/tables/json';
import type { HandoffNote } from '../../src/handoff/model';
import { makeAdmin } from '../escalation/support';
import { insertHandoff } from '../insight/support';
import { createRotation } from '../integration/support';
import type { DashboardRig } from './support';

/**
 * A hand-made fortnight of handoffs, the page's figures worked out by hand. The clock stands at
 * Mon 30 Nov 2026 08:00Z (09:00 in Berlin, everyone's zone); the default period is the last 28
 * days, 3 to 30 Nov. Ops (members alice, bob; supervisor erin), shift changes at 07:00 and 15:00
 * Berlin (06:00Z and 14:00Z):
 *
 *   #  incoming shift   note                     delivered  confirmed  wait  chased  raised
 *   1  20 Nov 07–15     05:30Z on time            06:00Z     06:10Z     10m
 *   2  21 Nov 07–15     06:20Z late               06:20Z     06:50Z     30m   06:05Z
 *   3  22 Nov 07–15     missing                   -          -                06:05Z  no note 06:30Z
 *   4  22 Nov 15–23     13:00Z on time            14:00Z     15:00Z     60m
 *   5  23 Nov 15–23     13:50Z on time            14:00Z     -                        not confirmed 14:30Z
 *   6  24 Nov 15–23     13:00Z on time            14:00Z     14:20Z     20m
 *   not counted: 1 Oct (before the period), 25 Nov alice to alice (skipped), 30 Nov 14:00Z (not yet)
 *
 * Handoffs 6; notes on time 4, late 1, missing 1; delivered 5, confirmed 4: 80%; waits 10, 20, 30,
 * 60 minutes: median 25m, p90 (nearest rank, the 4th of 4) 1h; chased 2; raised to the supervisor 2.
 * By shift: 07:00–15:00 three handoffs, 2 of 2 delivered confirmed, waits 10 and 30: median 20m,
 * p90 30m; 15:00–23:00 three, 2 of 3, waits 60 and 20: median 40m, p90 1h.
 * "=Night shift, "B"" (members carol, dave; supervisor alice): one handoff on 26 Nov, confirmed in 5m.
 */
export const NOTE: HandoffNote = {
  status: 'watch',
  sections: [
    { label: 'Summary', text: 'Boiler 2 tripped, "reset" twice,\nwatch it' },
    { label: 'Open items (what, owner, by when)', text: '' },
  ],
  escalations: [{ id: '1', reference: 'ESC-4', title: 'Printer down', dueAt: '2026-11-21T09:00:00.000Z' }],
  blockers: [{ userId: 'carol', text: 'Waiting on the vendor', standupName: 'Daily' }],
  transfer: false,
};

/** A handoff of the fixture: a written note reads "All quiet" unless one is given; rows made before the period. */
function handoff(
  db: Db,
  rotation: { id: string; versionId: string; workspaceId?: string },
  start: string,
  h: Omit<Parameters<typeof insertHandoff>[3], 'createdAt'>,
): Promise<void> {
  const quiet: HandoffNote = {
    ...NOTE,
    sections: [{ label: 'Summary', text: `All quiet (${start})` }],
    escalations: [],
    blockers: [],
    status: 'steady',
  };
  const note = h.note ?? (h.written ? quiet : undefined);
  return insertHandoff(db, rotation, start, { ...h, ...(note ? { note } : {}), createdAt: '2026-09-01T08:00:00Z' });
}

async function rotationNamed(db: Db, name: string): Promise<{ id: string; versionId: string }> {
  const row = await db
    .selectFrom('rotations')
    .innerJoin('rotation_versions', 'rotation_versions.rotation_id', 'rotations.id')
    .select(['rotations.id as id', 'rotation_versions.id as versionId'])
    .where('rotations.name', '=', name)
    .executeTakeFirstOrThrow();
  return { id: String(row.id), versionId: String(row.versionId) };
}

/** Seeds the fortnight above into the rig's database (carol becomes a workspace admin). */
export async function seedHandoffFortnight(rig: DashboardRig): Promise<void> {
  const { h } = rig;
  const db = rig.database.db;
  await makeAdmin(h, 'carol');
  // Rotations starting long after the fixture, so only the handoffs below fall in the period.
  await createRotation(h, 'erin', { name: 'Ops', members: ['alice', 'bob'], supervisor: 'erin', start: '2027-02-01' });
  await createRotation(h, 'erin', { name: 'Night', members: ['carol', 'dave'], supervisor: 'alice', start: '2027-02-01' });
  await db.updateTable('rotations').set({ name: '=Night shift, "B"' }).where('name', '=', 'Night').execute();
  const ops = await rotationNamed(db, 'Ops');
  const night = await rotationNamed(db, '=Night shift, "B"');
  await handoff(db, ops, '2026-11-20T06:00:00Z', {
    note: NOTE,
    written: '2026-11-20T05:30:00Z',
    posted: '2026-11-20T06:00:00Z',
    confirmed: '2026-11-20T06:10:00Z',
  });
  await handoff(db, ops, '2026-11-21T06:00:00Z', {
    from: 'bob',
    to: 'alice',
    written: '2026-11-21T06:20:00Z',
    posted: '2026-11-21T06:20:00Z',
    confirmed: '2026-11-21T06:50:00Z',
    chased: '2026-11-21T06:05:00Z',
  });
  await handoff(db, ops, '2026-11-22T06:00:00Z', { chased: '2026-11-22T06:05:00Z', supervisorNote: '2026-11-22T06:30:00Z' });
  await handoff(db, ops, '2026-11-22T14:00:00Z', {
    written: '2026-11-22T13:00:00Z',
    posted: '2026-11-22T14:00:00Z',
    confirmed: '2026-11-22T15:00:00Z',
  });
  await handoff(db, ops, '2026-11-23T14:00:00Z', {
    written: '2026-11-23T13:50:00Z',
    posted: '2026-11-23T14:00:00Z',
    supervisorConfirm: '2026-11-23T14:30:00Z',
  });
  await handoff(db, ops, '2026-11-24T14:00:00Z', {
    written: '2026-11-24T13:00:00Z',
    posted: '2026-11-24T14:00:00Z',
    confirmed: '2026-11-24T14:20:00Z',
  });
  await handoff(db, ops, '2026-10-01T06:00:00Z', {
    written: '2026-10-01T05:00:00Z',
    posted: '2026-10-01T06:00:00Z',
    confirmed: '2026-10-01T06:01:00Z',
  });
  await handoff(db, ops, '2026-11-25T06:00:00Z', { to: 'alice', skipped: true });
  await handoff(db, ops, '2026-11-30T14:00:00Z', {});
  await handoff(db, night, '2026-11-26T06:00:00Z', {
    from: 'carol',
    to: 'dave',
    written: '2026-11-26T05:00:00Z',
    posted: '2026-11-26T06:00:00Z',
    confirmed: '2026-11-26T06:05:00Z',
  });
  // Another workspace's rotation and handoff, with Ops's settings: no session here may see them.
  const other = await db
    .insertInto('rotations')
    .values({
      workspace_id: 'test:W2',
      name: 'Other Ops',
      created_by: 'zed',
      created_at: new Date(),
      updated_at: new Date(),
      deleted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const opsVersion = await db
    .selectFrom('rotation_versions')
    .selectAll()
    .where('id', '=', ops.versionId as never)
    .executeTakeFirstOrThrow();
  const { id: _id, ...copy } = opsVersion;
  const otherVersion = await db
    .insertInto('rotation_versions')
    .values({
      ...copy,
      rotation_id: String(other.id),
      pattern: toJson(copy.pattern),
      days: toJson(copy.days),
      members: toJson(['zed', 'alice']),
      template: toJson(copy.template),
      supervisor_id: 'bob',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await handoff(db, { id: String(other.id), versionId: String(otherVersion.id), workspaceId: 'test:W2' }, '2026-11-27T06:00:00Z', {
    from: 'zed',
    to: 'alice',
    written: '2026-11-27T05:00:00Z',
  });
}
