import type { Db } from '../../db/schema';
import { toJson } from '../../db/tables/json';
import type { HandoffNote } from '../../src/handoff/model';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { makeAdmin } from '../escalation/support';
import { createRotation } from '../integration/support';
import { DashboardRig, pageText, parseCsv } from './support';

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
let database: TestDatabase;
let rig: DashboardRig;
const cookies = new Map<string, string>();

const NOTE: HandoffNote = {
  status: 'watch',
  sections: [
    { label: 'Summary', text: 'Boiler 2 tripped, "reset" twice,\nwatch it' },
    { label: 'Open items (what, owner, by when)', text: '' },
  ],
  escalations: [{ id: '1', reference: 'ESC-4', title: 'Printer down', dueAt: '2026-11-21T09:00:00.000Z' }],
  blockers: [{ userId: 'carol', text: 'Waiting on the vendor', standupName: 'Daily' }],
  transfer: false,
};

const t = (iso?: string) => (iso ? new Date(iso) : null);

async function handoff(
  db: Db,
  rotation: { id: string; versionId: string; workspaceId?: string },
  start: string,
  h: { from?: string; to?: string; note?: HandoffNote; written?: string; posted?: string; confirmed?: string; chased?: string; noNote?: string; noConfirm?: string; skipped?: boolean },
): Promise<void> {
  const incomingStart = new Date(start);
  await db
    .insertInto('handoffs')
    .values({
      rotation_id: rotation.id,
      workspace_id: rotation.workspaceId ?? 'test:W1',
      version_id: rotation.versionId,
      outgoing_start: new Date(incomingStart.getTime() - 8 * 3_600_000),
      outgoing_end: incomingStart,
      incoming_start: incomingStart,
      incoming_end: new Date(incomingStart.getTime() + 8 * 3_600_000),
      outgoing_id: h.from ?? 'alice',
      incoming_id: h.to ?? 'bob',
      note: h.note || h.written ? toJson(h.note ?? { ...NOTE, sections: [{ label: 'Summary', text: `All quiet (${start})` }], escalations: [], blockers: [], status: 'steady' }) : null,
      note_written_at: t(h.written),
      note_written_by: h.written ? (h.from ?? 'alice') : null,
      posted_at: t(h.posted),
      confirmed_at: t(h.confirmed),
      confirmed_by: h.confirmed ? (h.to ?? 'bob') : null,
      chased_at: t(h.chased),
      supervisor_note_at: t(h.noNote),
      supervisor_confirm_at: t(h.noConfirm),
      skipped_at: h.skipped ? incomingStart : null,
      skip_reason: h.skipped ? 'same person' : null,
      created_at: new Date('2026-09-01T08:00:00Z'),
    })
    .execute();
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

beforeAll(async () => {
  database = await openTestDatabase();
  rig = await DashboardRig.start(database);
  const { h } = rig;
  const db = database.db;
  await makeAdmin(h, 'carol');
  // Rotations starting long after the fixture, so only the handoffs below fall in the period.
  await createRotation(h, 'erin', { name: 'Ops', members: ['alice', 'bob'], supervisor: 'erin', start: '2027-02-01' });
  await createRotation(h, 'erin', { name: 'Night', members: ['carol', 'dave'], supervisor: 'alice', start: '2027-02-01' });
  await db.updateTable('rotations').set({ name: '=Night shift, "B"' }).where('name', '=', 'Night').execute();
  const ops = await rotationNamed(db, 'Ops');
  const night = await rotationNamed(db, '=Night shift, "B"');
  await handoff(db, ops, '2026-11-20T06:00:00Z', { note: NOTE, written: '2026-11-20T05:30:00Z', posted: '2026-11-20T06:00:00Z', confirmed: '2026-11-20T06:10:00Z' });
  await handoff(db, ops, '2026-11-21T06:00:00Z', { from: 'bob', to: 'alice', written: '2026-11-21T06:20:00Z', posted: '2026-11-21T06:20:00Z', confirmed: '2026-11-21T06:50:00Z', chased: '2026-11-21T06:05:00Z' });
  await handoff(db, ops, '2026-11-22T06:00:00Z', { chased: '2026-11-22T06:05:00Z', noNote: '2026-11-22T06:30:00Z' });
  await handoff(db, ops, '2026-11-22T14:00:00Z', { written: '2026-11-22T13:00:00Z', posted: '2026-11-22T14:00:00Z', confirmed: '2026-11-22T15:00:00Z' });
  await handoff(db, ops, '2026-11-23T14:00:00Z', { written: '2026-11-23T13:50:00Z', posted: '2026-11-23T14:00:00Z', noConfirm: '2026-11-23T14:30:00Z' });
  await handoff(db, ops, '2026-11-24T14:00:00Z', { written: '2026-11-24T13:00:00Z', posted: '2026-11-24T14:00:00Z', confirmed: '2026-11-24T14:20:00Z' });
  await handoff(db, ops, '2026-10-01T06:00:00Z', { written: '2026-10-01T05:00:00Z', posted: '2026-10-01T06:00:00Z', confirmed: '2026-10-01T06:01:00Z' });
  await handoff(db, ops, '2026-11-25T06:00:00Z', { to: 'alice', skipped: true });
  await handoff(db, ops, '2026-11-30T14:00:00Z', {});
  await handoff(db, night, '2026-11-26T06:00:00Z', { from: 'carol', to: 'dave', written: '2026-11-26T05:00:00Z', posted: '2026-11-26T06:00:00Z', confirmed: '2026-11-26T06:05:00Z' });
  // Another workspace's rotation and handoff, with Ops's settings: no session here may see them.
  const other = await db.insertInto('rotations').values({ workspace_id: 'test:W2', name: 'Other Ops', created_by: 'zed', created_at: new Date(), updated_at: new Date(), deleted_at: null }).returning('id').executeTakeFirstOrThrow();
  const opsVersion = await db.selectFrom('rotation_versions').selectAll().where('id', '=', ops.versionId as never).executeTakeFirstOrThrow();
  const { id: _id, ...copy } = opsVersion;
  const otherVersion = await db
    .insertInto('rotation_versions')
    .values({ ...copy, rotation_id: String(other.id), pattern: toJson(copy.pattern), days: toJson(copy.days), members: toJson(['zed', 'alice']), template: toJson(copy.template), supervisor_id: 'bob' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await handoff(db, { id: String(other.id), versionId: String(otherVersion.id), workspaceId: 'test:W2' }, '2026-11-27T06:00:00Z', { from: 'zed', to: 'alice', written: '2026-11-27T05:00:00Z' });
  for (const who of ['alice', 'bob', 'carol', 'dave', 'erin']) cookies.set(who, await rig.session(who));
});
afterAll(async () => {
  await rig?.close();
  await database?.close();
});

const sections = (markup: string) => [...markup.matchAll(/<h2 id="h-rotation-\d+">([^<]*)<\/h2>/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));

describe('the handoffs page', () => {
  test('each rotation’s figures for the last 28 days, as worked out by hand, and per shift', async () => {
    const res = await rig.get('/dashboard/handoffs', cookies.get('carol'));
    expect(res.status).toBe(200);
    const markup = await res.text();
    const text = pageText(markup);
    expect(text).toContain('Shift changes from Tue, 3 Nov 2026 to Mon, 30 Nov 2026 (the last 28 days)');
    const ops = text.slice(text.indexOf('Ops: figures for the period'));
    for (const row of [
      'Handoffs 6',
      'Notes written on time 4 of 6',
      'Notes written late 1 of 6',
      'Notes missing 1 of 6',
      'Confirmation rate 80% (4 of 5 delivered)',
      'Median time to confirm 25m',
      'p90 time to confirm 1h',
      'Outgoing people chased for a note 2',
      'Raised to the supervisor 2',
    ]) expect(ops).toContain(row);
    expect(ops).toContain('Ops: time to confirm by shift (shift times in Europe/Berlin) Shift Handoffs Confirmed Median time to confirm p90 time to confirm 07:00–15:00 3 2 of 2 delivered 20m 30m 15:00–23:00 3 2 of 3 delivered 40m 1h');
    const night = text.slice(text.indexOf('=Night shift, "B": figures'), text.indexOf('Ops: figures'));
    expect(night).toContain('Confirmation rate 100% (1 of 1 delivered)');
    expect(night).toContain('Median time to confirm 5m');
  });

  test('the list: each handoff that counts, newest first, with every state in words', async () => {
    const text = pageText(await (await rig.get('/dashboard/handoffs', cookies.get('carol'))).text());
    const list = text.slice(text.indexOf('Ops: handoffs, newest first'));
    expect(list).toContain('Shift change Outgoing Incoming Note written Confirmed Chased Raised to the supervisor');
    const rows = list.split('Tue, 24 Nov 2026, 15:00 CET')[1]!;
    expect(rows).toContain('Alice Bob Tue, 24 Nov 2026, 14:00 CET (on time) Tue, 24 Nov 2026, 15:20 CET No No');
    expect(rows).toContain('Mon, 23 Nov 2026, 15:00 CET Alice Bob Mon, 23 Nov 2026, 14:50 CET (on time) Not confirmed No Not confirmed: Mon, 23 Nov 2026, 15:30 CET');
    expect(rows).toContain('Sun, 22 Nov 2026, 07:00 CET Alice Bob Missing Not delivered Sun, 22 Nov 2026, 07:05 CET No note: Sun, 22 Nov 2026, 07:30 CET');
    expect(rows).toContain('Sat, 21 Nov 2026, 07:00 CET Bob Alice Sat, 21 Nov 2026, 07:20 CET (late) Sat, 21 Nov 2026, 07:50 CET Sat, 21 Nov 2026, 07:05 CET No');
    // Not counted: before the period, the same person on both sides, a shift change still to come.
    expect(list).not.toContain('1 Oct 2026');
    expect(list).not.toContain('25 Nov 2026');
    expect(list).not.toContain('Mon, 30 Nov 2026, 15:00 CET');
  });

  test('a period chosen in the form; the download links carry it; a bad one gets a 400 saying how to fix it', async () => {
    const res = await rig.get('/dashboard/handoffs?from=2026-11-22&to=2026-11-23', cookies.get('carol'));
    const markup = await res.text();
    expect(markup).toContain('<label for="f-from">');
    expect(markup).toContain('<input id="f-from" name="from" type="date" value="2026-11-22">');
    expect(markup).toContain('<a href="/dashboard/export/handoffs.csv?from=2026-11-22&amp;to=2026-11-23">CSV</a>');
    expect(markup).toContain('<a href="/dashboard/handoffs">Handoffs</a>');
    expect(pageText(markup)).toContain('Handoffs 3 Notes written on time 2 of 3');
    const bad = await rig.get('/dashboard/handoffs?from=22.11.2026', cookies.get('carol'));
    expect(bad.status).toBe(400);
    expect(pageText(await bad.text())).toContain('"from" must be a date written YYYY-MM-DD, such as 2026-11-30');
  });
});

describe('who sees which rotation', () => {
  test.each([
    ['carol', 'a workspace admin: every rotation', ['=Night shift, "B"', 'Ops']],
    ['alice', 'a member of Ops and the supervisor of Night', ['=Night shift, "B"', 'Ops']],
    ['bob', 'a member of Ops only', ['Ops']],
    ['erin', 'the supervisor of Ops only (and the creator of both)', ['Ops']],
    ['dave', 'a member of Night only', ['=Night shift, "B"']],
  ])('%s, %s', async (who, _role, expected) => {
    const markup = await (await rig.get('/dashboard/handoffs', cookies.get(who))).text();
    expect(sections(markup)).toEqual(expected);
    expect(markup).not.toContain('Other Ops');
    const json: any = await (await rig.get('/dashboard/export/handoffs.json', cookies.get(who))).json();
    expect([...new Set(json.handoffs.map((x: { rotation: string }) => x.rotation))]).toEqual(expected);
  });

  test('someone in no rotation sees none, and is told why', async () => {
    const cookie = await rig.session('zoe');
    const markup = await (await rig.get('/dashboard/handoffs', cookie)).text();
    expect(sections(markup)).toEqual([]);
    expect(pageText(markup)).toContain('You are not a member or the supervisor of any rotation, so there is nothing to show here. Workspace admins see every rotation.');
    const csv = parseCsv(await (await rig.get('/dashboard/export/handoffs.csv', cookie)).text());
    expect(csv).toHaveLength(1);
  });
});

describe('exports of handoff notes', () => {
  test('CSV: one row per handoff, the note as written, quoted where needed and guarded against formulas', async () => {
    const res = await rig.get('/dashboard/export/handoffs.csv?from=2026-11-01&to=2026-11-30', cookies.get('carol'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=steady-handoffs-2026-11-01-to-2026-11-30.csv');
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual([
      'rotation', 'outgoing_shift_start', 'outgoing_shift_end', 'incoming_shift_start', 'incoming_shift_end', 'outgoing', 'outgoing_id', 'incoming', 'incoming_id',
      'note', 'note_text', 'written_at', 'delivered_at', 'confirmed_at', 'confirmed_by', 'chased_at', 'raised_to_supervisor_no_note_at', 'raised_to_supervisor_not_confirmed_at',
    ]);
    const col = (row: string[], name: string) => row[header!.indexOf(name)];
    // The stored handoffs that count, rotations by name, oldest first.
    const stored = await database.db.selectFrom('handoffs').selectAll().where('workspace_id', '=', 'test:W1').where('skipped_at', 'is', null).where('incoming_start', '>=', new Date('2026-10-31T23:00:00Z')).where('incoming_start', '<=', new Date('2026-11-30T08:00:00Z')).orderBy('incoming_start').execute();
    expect(stored).toHaveLength(7);
    expect(rows.map((r) => [col(r, 'rotation'), col(r, 'incoming_shift_start')])).toEqual([
      [`'=Night shift, "B"`, '2026-11-26T06:00:00.000Z'],
      ...stored.filter((s) => s.outgoing_id !== 'carol').map((s) => ['Ops', s.incoming_start.toISOString()]),
    ]);
    for (const row of rows) {
      const s = stored.find((x) => x.incoming_start.toISOString() === col(row, 'incoming_shift_start'))!;
      expect([col(row, 'written_at'), col(row, 'confirmed_at'), col(row, 'chased_at'), col(row, 'outgoing_id'), col(row, 'incoming_id')]).toEqual([
        s.note_written_at?.toISOString() ?? '', s.confirmed_at?.toISOString() ?? '', s.chased_at?.toISOString() ?? '', s.outgoing_id, s.incoming_id,
      ]);
    }
    const first = rows[1]!;
    expect([col(first, 'outgoing'), col(first, 'incoming'), col(first, 'note'), col(first, 'outgoing_shift_end')]).toEqual(['Alice', 'Bob', 'on time', '2026-11-20T06:00:00.000Z']);
    expect(col(first, 'note_text')).toBe(
      'Status: Watch\nSummary: Boiler 2 tripped, "reset" twice,\nwatch it\nOpen escalation: ESC-4 Printer down (due 2026-11-21T09:00:00.000Z)\nStand-up blocker: Carol: Waiting on the vendor (Daily)',
    );
    const missing = rows.find((r) => col(r, 'incoming_shift_start') === '2026-11-22T06:00:00.000Z')!;
    expect([col(missing, 'note'), col(missing, 'note_text'), col(missing, 'raised_to_supervisor_no_note_at')]).toEqual(['missing', '', '2026-11-22T06:30:00.000Z']);
  });

  test('JSON: the note as stored, with the period and every step’s time', async () => {
    const json: any = await (await rig.get('/dashboard/export/handoffs.json?from=2026-11-20&to=2026-11-20', cookies.get('bob'))).json();
    expect(json.period).toEqual({ from: '2026-11-20', to: '2026-11-20', timeZone: 'Europe/Berlin' });
    expect(json.handoffs).toEqual([
      expect.objectContaining({
        rotation: 'Ops',
        outgoingId: 'alice',
        outgoingName: 'Alice',
        incomingName: 'Bob',
        note: NOTE,
        noteTiming: 'on time',
        writtenAt: '2026-11-20T05:30:00.000Z',
        deliveredAt: '2026-11-20T06:00:00.000Z',
        confirmedAt: '2026-11-20T06:10:00.000Z',
        chasedAt: null,
        raisedNoNoteAt: null,
      }),
    ]);
  });

  test('a bad period is refused with how to fix it; an export is whole or refused', async () => {
    const cases: [string, string][] = [
      ['?to=2026-13-01', '"to" must be a date written YYYY-MM-DD, such as 2026-11-30.'],
      ['?from=2026-12-02&to=2026-12-01', '"from" must be on or before "to".'],
      ['?from=2024-01-01&to=2026-01-01', 'An export covers at most 366 days: choose a shorter period.'],
    ];
    for (const [query, sentence] of cases) {
      const res = await rig.get(`/dashboard/export/handoffs.csv${query}`, cookies.get('carol'));
      expect([query, res.status]).toEqual([query, 400]);
      expect(pageText(await res.text())).toContain(sentence);
    }
    expect((await rig.get('/dashboard/export/handoffs.xml', cookies.get('carol'))).status).toBe(404);
    const small = await DashboardRig.start(database, { exportRows: 6 });
    try {
      const cookie = await small.session('carol');
      const res = await small.get('/dashboard/export/handoffs.csv', cookie);
      expect(res.status).toBe(400);
      expect(pageText(await res.text())).toContain('7 handoffs took place in this period; an export holds at most 6. Choose a shorter period.');
    } finally {
      await small.close();
    }
  });
});
