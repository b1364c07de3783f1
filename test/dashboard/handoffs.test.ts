import { NOTE, seedHandoffFortnight } from './handoffs-fixture';
import { DashboardRig, pageText, parseCsv, useDashboardRig } from './support';

/** The handoffs page and the notes export on the fortnight worked out by hand in handoffs-fixture.ts. */
const cookies = new Map<string, string>();
const rig = useDashboardRig({
  async seed(rig) {
    await seedHandoffFortnight(rig);
    for (const who of ['alice', 'bob', 'carol', 'dave', 'erin']) cookies.set(who, await rig.session(who));
  },
});

const sections = (markup: string) =>
  [...markup.matchAll(/<h2 id="h-rotation-\d+">([^<]*)<\/h2>/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));

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
    ])
      expect(ops).toContain(row);
    expect(ops).toContain(
      'Ops: time to confirm by shift (shift times in Europe/Berlin) Shift Handoffs Confirmed Median time to confirm p90 time to confirm 07:00–15:00 3 2 of 2 delivered 20m 30m 15:00–23:00 3 2 of 3 delivered 40m 1h',
    );
    // The same delays as bars, an image whose description states every value.
    expect(markup).toMatch(/<svg class="chart-svg" role="img" aria-labelledby="chart-shifts-\d+-title chart-shifts-\d+-desc"/);
    expect(markup).toContain('<desc id="chart-shifts-');
    expect(markup).toContain('">07:00–15:00: median 20m, p90 30m. 15:00–23:00: median 40m, p90 1h.</desc>');
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
    expect(rows).toContain(
      'Mon, 23 Nov 2026, 15:00 CET Alice Bob Mon, 23 Nov 2026, 14:50 CET (on time) Not confirmed No Not confirmed: Mon, 23 Nov 2026, 15:30 CET',
    );
    expect(rows).toContain(
      'Sun, 22 Nov 2026, 07:00 CET Alice Bob Missing Not delivered Sun, 22 Nov 2026, 07:05 CET No note: Sun, 22 Nov 2026, 07:30 CET',
    );
    expect(rows).toContain(
      'Sat, 21 Nov 2026, 07:00 CET Bob Alice Sat, 21 Nov 2026, 07:20 CET (late) Sat, 21 Nov 2026, 07:50 CET Sat, 21 Nov 2026, 07:05 CET No',
    );
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
    const badMarkup = await bad.text();
    expect(pageText(badMarkup)).toContain('"from" must be a date written YYYY-MM-DD, such as 2026-11-30');
    expect(badMarkup).toContain('<input id="f-from" name="from" type="date" value="22.11.2026">');
    expect(badMarkup).not.toContain('nothing to show');
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
    expect(pageText(markup)).toContain(
      'You are not a member or the supervisor of any rotation, so there is nothing to show here. Workspace admins see every rotation.',
    );
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
      'rotation',
      'outgoing_shift_start',
      'outgoing_shift_end',
      'incoming_shift_start',
      'incoming_shift_end',
      'outgoing',
      'outgoing_id',
      'incoming',
      'incoming_id',
      'note',
      'note_text',
      'written_at',
      'delivered_at',
      'confirmed_at',
      'confirmed_by',
      'chased_at',
      'raised_to_supervisor_no_note_at',
      'raised_to_supervisor_not_confirmed_at',
    ]);
    const col = (row: string[], name: string) => row[header!.indexOf(name)];
    // The stored handoffs that count, rotations by name, oldest first.
    const stored = await rig.database.db
      .selectFrom('handoffs')
      .selectAll()
      .where('workspace_id', '=', 'test:W1')
      .where('skipped_at', 'is', null)
      .where('incoming_start', '>=', new Date('2026-10-31T23:00:00Z'))
      .where('incoming_start', '<=', new Date('2026-11-30T08:00:00Z'))
      .orderBy('incoming_start')
      .execute();
    expect(stored).toHaveLength(7);
    expect(rows.map((r) => [col(r, 'rotation'), col(r, 'incoming_shift_start')])).toEqual([
      [`'=Night shift, "B"`, '2026-11-26T06:00:00.000Z'],
      ...stored.filter((s) => s.outgoing_id !== 'carol').map((s) => ['Ops', s.incoming_start.toISOString()]),
    ]);
    for (const row of rows) {
      const s = stored.find((x) => x.incoming_start.toISOString() === col(row, 'incoming_shift_start'))!;
      expect([
        col(row, 'written_at'),
        col(row, 'confirmed_at'),
        col(row, 'chased_at'),
        col(row, 'outgoing_id'),
        col(row, 'incoming_id'),
      ]).toEqual([
        s.note_written_at?.toISOString() ?? '',
        s.confirmed_at?.toISOString() ?? '',
        s.chased_at?.toISOString() ?? '',
        s.outgoing_id,
        s.incoming_id,
      ]);
    }
    const first = rows[1]!;
    expect([col(first, 'outgoing'), col(first, 'incoming'), col(first, 'note'), col(first, 'outgoing_shift_end')]).toEqual([
      'Alice',
      'Bob',
      'on time',
      '2026-11-20T06:00:00.000Z',
    ]);
    expect(col(first, 'note_text')).toBe(
      'Status: Watch\nSummary: Boiler 2 tripped, "reset" twice,\nwatch it\nOpen escalation: ESC-4 Printer down (due 2026-11-21T09:00:00.000Z)\nStand-up blocker: Carol: Waiting on the vendor (Daily)',
    );
    const missing = rows.find((r) => col(r, 'incoming_shift_start') === '2026-11-22T06:00:00.000Z')!;
    expect([col(missing, 'note'), col(missing, 'note_text'), col(missing, 'raised_to_supervisor_no_note_at')]).toEqual([
      'missing',
      '',
      '2026-11-22T06:30:00.000Z',
    ]);
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
    const small = await DashboardRig.start(rig.database, { exportRows: 6 });
    try {
      const cookie = await small.session('carol');
      const res = await small.get('/dashboard/export/handoffs.csv', cookie);
      expect(res.status).toBe(400);
      expect(pageText(await res.text())).toContain(
        '7 handoffs took place in this period; an export holds at most 6. Choose a shorter period.',
      );
    } finally {
      await small.close();
    }
  });
});
