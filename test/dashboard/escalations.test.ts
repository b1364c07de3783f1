import { findEscalationByNumber } from '../../src/storage/escalation/escalations-repository';
import { listEvents } from '../../src/storage/escalation/events-repository';
import { raise } from '../escalation/support';
import { DashboardRig, pageText, parseCsv, raiseResolvedAndOpen, useDashboardRig } from './support';

let admin: string;
let member: string;

// Values a spreadsheet or a page could misread: a comma, quotes, a line break, a leading = + - @, markup.
const TITLE = 'Printer down, "again"';
const IMPACT = '=SUM(A1:A2), "quoted"\nsecond line';
const OPTIONS = '+1 for a new printer';
const RESOLUTION = '-Bought a new one, "cheap"\nDone';
const MARKUP = '<script>alert(1)</script> & co';

const rig = useDashboardRig({
  async seed(rig) {
    await raiseResolvedAndOpen(rig, { title: TITLE, impact: IMPACT, options: OPTIONS, resolution: RESOLUTION });
    await rig.h.advance('2026-12-03T10:00:00Z');
    await raise(rig.h, 'dave', { title: MARKUP, severity: 'SEV2', owner: 'dave' });
    admin = await rig.session('alice');
    member = await rig.session('bob');
  },
});

const listed = async (query: string, cookie = admin) => {
  const res = await rig.get(`/dashboard/escalations${query}`, cookie);
  const text = await res.text();
  return {
    status: res.status,
    refs: [...text.matchAll(/href="\/dashboard\/escalations\/(ESC-\d+)"/g)].map((m) => m[1]),
    text: pageText(text),
  };
};

describe('who sees what', () => {
  test('an admin sees every escalation of the workspace, and is told so', async () => {
    expect((await listed('', admin)).refs).toEqual(['ESC-3', 'ESC-2', 'ESC-1']);
    expect(pageText(await (await rig.get('/dashboard', admin)).text())).toContain(
      'As a workspace admin you see every escalation of this workspace.',
    );
  });

  test('anyone else sees what chat shows them: /escalate show answers them for every escalation, so the dashboard lists each one', async () => {
    for (const ref of ['ESC-1', 'ESC-2', 'ESC-3']) {
      await rig.h.as('bob').command('escalate', `show ${ref}`);
      expect(rig.h.repliesTo('bob').at(-1)).toContain(`${ref} · `);
      expect((await rig.get(`/dashboard/escalations/${ref}`, member)).status).toBe(200);
    }
    expect((await listed('', member)).refs).toEqual(['ESC-3', 'ESC-2', 'ESC-1']);
    expect(pageText(await (await rig.get('/dashboard', member)).text())).toContain(
      'You see what chat shows you: every escalation of this workspace, as /escalate show does.',
    );
    // What chat refuses, the dashboard refuses too.
    await rig.h.as('bob').command('escalate', 'show ESC-9');
    expect(rig.h.repliesTo('bob').at(-1)).toContain('There is no ESC-9 in this workspace.');
    const missing = await rig.get('/dashboard/escalations/ESC-9', member);
    expect(missing.status).toBe(404);
    expect(pageText(await missing.text())).toContain('There is no ESC-9 in this workspace.');
  });
});

describe('the escalations page', () => {
  test('filters by status, severity, owner and period, with labelled fields that keep their choice', async () => {
    expect((await listed('?status=resolved')).refs).toEqual(['ESC-1']);
    expect((await listed('?status=active')).refs).toEqual(['ESC-3', 'ESC-2']);
    expect((await listed('?severity=SEV3')).refs).toEqual(['ESC-2']);
    expect((await listed('?owner=dave')).refs).toEqual(['ESC-3']);
    expect((await listed('?from=2026-12-01&to=2026-12-31')).refs).toEqual(['ESC-3']);
    expect((await listed('?from=2026-11-30&to=2026-11-30&severity=SEV1')).refs).toEqual(['ESC-1']);
    const none = await listed('?status=cancelled');
    expect(none.refs).toEqual([]);
    expect(none.text).toContain('No escalation matches these filters.');

    const page = await (await rig.get('/dashboard/escalations?severity=SEV3&from=2026-11-01', admin)).text();
    for (const id of ['f-status', 'f-severity', 'f-owner', 'f-from', 'f-to']) expect(page).toContain(`<label for="${id}">`);
    expect(page).toContain('<option value="SEV3" selected>SEV3: minor</option>');
    expect(page).toContain('<input id="f-from" name="from" type="date" value="2026-11-01">');
    expect(page).toContain('<option value="dave">Dave</option>');
    expect(page).toContain('<th scope="col">Owner</th>');
    expect(page).toContain('<a href="/dashboard/export/escalations.csv?from=2026-11-01">CSV</a>');
  });

  test('a filter that is not valid gets a 400 saying what is wrong', async () => {
    const bad = await listed('?from=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('"from" must be a date written YYYY-MM-DD, such as 2026-11-30');
    expect((await listed('?severity=SEV9')).text).toContain('severity must be one of SEV1, SEV2, SEV3, SEV4');
    expect((await listed('?from=2026-12-02&to=2026-12-01')).text).toContain('"from" must be on or before "to"');
  });

  test('every stored value is escaped', async () => {
    const raw = await (await rig.get('/dashboard/escalations', admin)).text();
    expect(raw).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(raw).not.toContain('<script>');
    const one = await (await rig.get('/dashboard/escalations/ESC-3', admin)).text();
    expect(one).toContain('<h1>ESC-3 · SEV2 · &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</h1>');
    expect(one).not.toContain('<script>');
  });
});

describe('an escalation page', () => {
  test('shows every field and the whole timeline in the chat’s words, with names and the reader’s times', async () => {
    const res = await rig.get('/dashboard/escalations/ESC-1', member);
    expect(res.status).toBe(200);
    const text = pageText(await res.text());
    expect(text).toContain(`ESC-1 · SEV1 · ${TITLE}`);
    expect(text).toContain('Status Resolved by @Bob');
    expect(text).toContain('Owner @Bob');
    expect(text).toContain('Raised by @Alice');
    expect(text).toContain('Impact =SUM(A1:A2), "quoted" second line');
    expect(text).toContain(`Options considered ${OPTIONS}`);
    expect(text).toContain('Decision -Bought a new one, "cheap" Done');
    expect(text).toContain('Resolved Mon, 30 Nov 2026, 10:00 CET by Bob');
    const events = await listEvents(rig.database.db, (await findEscalationByNumber(rig.database.db, 'test:W1', 1))!.id);
    expect(events.map((e) => e.kind)).toEqual(['raised', 'acknowledged', 'resolved']);
    expect(text).toContain('Mon, 30 Nov 2026, 09:00 CET · Raised by @Alice: SEV1, owner @Bob, due');
    expect(text).toContain('Mon, 30 Nov 2026, 09:00 CET · Acknowledged by @Bob');
    expect(text).toContain('Mon, 30 Nov 2026, 10:00 CET · Resolved by @Bob: -Bought a new one, "cheap" Done');
  });

  test('by its reference only, in any spelling chat accepts', async () => {
    expect((await rig.get('/dashboard/escalations/esc-2', admin)).status).toBe(200);
    expect((await rig.get('/dashboard/escalations/nonsense', admin)).status).toBe(404);
  });
});

describe('exports', () => {
  test('CSV: one row per escalation with its timeline, quoted where needed and guarded against formulas', async () => {
    const res = await rig.get('/dashboard/export/escalations.csv?from=2026-11-01&to=2026-12-31', admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=steady-escalations-2026-11-01-to-2026-12-31.csv');
    const body = await res.text();
    expect(body).toContain('"\'=SUM(A1:A2), ""quoted""\nsecond line"');
    const [header, ...lines] = parseCsv(body);
    const column = (row: string[], name: string) => row[header!.indexOf(name)];
    expect(lines.map((l) => l[0])).toEqual(['ESC-1', 'ESC-2', 'ESC-3']);
    const stored = (await findEscalationByNumber(rig.database.db, 'test:W1', 1))!;
    const first = lines[0]!;
    expect(column(first, 'title')).toBe(stored.title);
    expect(stored.title).toBe(TITLE);
    expect(column(first, 'impact')).toBe(`'${stored.impact}`);
    expect(stored.impact).toBe(IMPACT);
    expect(column(first, 'options')).toBe(`'${OPTIONS}`);
    expect(column(first, 'resolution')).toBe(`'${RESOLUTION}`);
    expect(column(first, 'owner')).toBe('Bob');
    expect(column(first, 'status')).toBe('resolved');
    expect(column(first, 'created_at')).toBe(stored.createdAt.toISOString());
    expect(column(first, 'resolved_at')).toBe(stored.resolvedAt!.toISOString());
    expect(column(first, 'timeline')!.split('\n')).toEqual([
      expect.stringMatching(/^2026-11-30T08:00:00\.000Z Raised by @Alice: SEV1, owner @Bob, due /),
      '2026-11-30T08:00:00.000Z Acknowledged by @Bob',
      '2026-11-30T09:00:00.000Z Resolved by @Bob: -Bought a new one, "cheap" / Done',
    ]);
    expect(column(lines[2]!, 'title')).toBe(MARKUP);
  });

  test('JSON: the stored values as they are, with every timeline event and its data', async () => {
    const res = await rig.get('/dashboard/export/escalations.json?from=2026-11-30&to=2026-11-30', member);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=steady-escalations-2026-11-30-to-2026-11-30.json');
    const json: any = await res.json();
    expect(json.period).toEqual({ from: '2026-11-30', to: '2026-11-30', timeZone: 'Europe/Berlin' });
    expect(json.escalations.map((e: { reference: string }) => e.reference)).toEqual(['ESC-1', 'ESC-2']);
    const stored = (await findEscalationByNumber(rig.database.db, 'test:W1', 1))!;
    const events = await listEvents(rig.database.db, stored.id);
    expect(json.escalations[0]).toMatchObject({
      reference: 'ESC-1',
      title: TITLE,
      impact: IMPACT,
      options: OPTIONS,
      resolution: RESOLUTION,
      ownerId: 'bob',
      ownerName: 'Bob',
      status: 'resolved',
      createdAt: stored.createdAt.toISOString(),
      resolvedAt: stored.resolvedAt!.toISOString(),
    });
    expect(json.escalations[0].timeline.map((t: { kind: string; at: string; data: unknown }) => [t.kind, t.at, t.data])).toEqual(
      events.map((e) => [e.kind, e.at.toISOString(), e.data]),
    );
  });

  test('the default period is the last 30 days; bad dates get a 400 that says what is wrong', async () => {
    const all: any = await (await rig.get('/dashboard/export/escalations.json', admin)).json();
    expect(all.period).toEqual({ from: '2026-11-04', to: '2026-12-03', timeZone: 'Europe/Berlin' });
    expect(all.escalations).toHaveLength(3);
    const cases: [string, string][] = [
      ['?from=30.11.2026', '"from" must be a date written YYYY-MM-DD, such as 2026-11-30.'],
      ['?to=2026-13-01', '"to" must be a date written YYYY-MM-DD, such as 2026-11-30.'],
      ['?from=2026-12-02&to=2026-12-01', '"from" must be on or before "to".'],
      ['?from=2024-01-01&to=2026-01-01', 'An export covers at most 366 days: choose a shorter period.'],
    ];
    for (const [query, sentence] of cases) {
      const res = await rig.get(`/dashboard/export/escalations.csv${query}`, admin);
      expect([query, res.status]).toEqual([query, 400]);
      expect(pageText(await res.text())).toContain(sentence);
    }
    expect((await rig.get('/dashboard/export/escalations.xml', admin)).status).toBe(404);
  });

  test('an export is whole or refused: more escalations than it may hold get a 400, not a cut-off file', async () => {
    const small = await DashboardRig.start(rig.database, { exportRows: 2 });
    try {
      const cookie = await small.session('alice');
      const res = await small.get('/dashboard/export/escalations.csv?from=2026-11-01&to=2026-12-31', cookie);
      expect(res.status).toBe(400);
      expect(pageText(await res.text())).toContain(
        '3 escalations were raised in this period; an export holds at most 2. Choose a shorter period.',
      );
      expect((await small.get('/dashboard/export/escalations.csv?from=2026-11-30&to=2026-11-30', cookie)).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
