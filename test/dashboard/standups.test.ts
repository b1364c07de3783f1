import { sessionsBetween } from '../../src/storage/standup/sessions-repository';
import { createStandup } from '../standup/support';
import { ANSWERS, FROM, TO, seedStandupFortnight, type StandupsFixture } from './standups-fixture';
import { DashboardRig, pageText, parseCsv, useDashboardRig } from './support';

let f: StandupsFixture;
const rig = useDashboardRig({
  async seed(rig) {
    f = await seedStandupFortnight(rig);
  },
});

const standups = async (query: string, cookie: string) => {
  const res = await rig.get(`/dashboard/standups${query}`, cookie);
  const markup = await res.text();
  return {
    status: res.status,
    markup,
    text: pageText(markup),
    sections: [...markup.matchAll(/<h2 id="su-\d+">([^<]*)<\/h2>/g)].map((m) => m[1]),
  };
};

/** One stand-up's heat map as read from the page: per person the cells' kinds (+ a blocker), their totals; the day rates. */
function heatMap(markup: string, standupId: string) {
  const start = markup.indexOf(`<table class="heatmap" id="hm-${standupId}" `);
  expect(start).toBeGreaterThan(0);
  const table = markup.slice(start, markup.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => ({
    name: /<th scope="row">([^<]*)<\/th>/.exec(m[1]!)![1],
    cells: [...m[1]!.matchAll(/<td class="hm hm-(\w+)( hm-blocker)?">/g)].map((c) => c[1]! + (c[2] ? '+blocker' : '')),
    words: [...m[1]!.matchAll(/<span class="visually-hidden">([^<]*)<\/span>/g)].map((c) => c[1]),
    totals: [...m[1]!.matchAll(/<td class="hm-total">([^<]*)<\/td>/g)].map((c) => c[1]),
  }));
  const foot = table.slice(table.indexOf('<tfoot>'));
  const rates = [...foot.matchAll(/<td class="hm-rate">(.*?)<\/td>/g)].map((m) => pageText(m[1]!));
  const days = [...table.matchAll(/<th scope="col" class="hm-day[^"]*">.*?<span class="visually-hidden">([^<]*)<\/span><\/th>/g)].map(
    (m) => m[1],
  );
  return { rows, rates, days };
}

const period = `?from=${FROM}&to=${TO}`;

/** The CSV export's rows as objects by column name. */
const csvOf = async (query: string, cookie: string) => {
  const res = await rig.get(`/dashboard/export/standups.csv${query}`, cookie);
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv(await res.text());
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
};

describe('the heat map of a hand-made fortnight', () => {
  test("each cell is that person's day as /standup report counts it, with each person's and each day's rate", async () => {
    const { status, markup, text } = await standups(period, f.cookies.carol);
    expect(status).toBe(200);
    expect(markup).not.toMatch(/<script|\sstyle=|\son\w+=/i);
    const map = heatMap(markup, f.dailyId);
    expect(map.days).toEqual([
      'Fri, 27 Nov 2026',
      'Sat, 28 Nov 2026',
      'Sun, 29 Nov 2026',
      'Mon, 30 Nov 2026',
      'Tue, 1 Dec 2026',
      'Wed, 2 Dec 2026',
      'Thu, 3 Dec 2026',
      'Fri, 4 Dec 2026',
      'Sat, 5 Dec 2026',
      'Sun, 6 Dec 2026',
    ]);
    // By hand (standups-fixture.ts): Friday 27 was a stand-up day nobody was asked on; weekends have none.
    expect(map.rows.map((r) => [r.name, r.cells])).toEqual([
      ['Alice', ['none', 'off', 'off', 'answered', 'late', 'answered+blocker', 'missed', 'waiting', 'off', 'off']],
      ['Bob', ['none', 'off', 'off', 'missed', 'skipped', 'answered+blocker', 'unreachable', 'answered', 'off', 'off']],
    ]);
    // Not colour alone: every cell says what it is, with the row's person and the column's date.
    expect(map.rows[0]!.words).toEqual([
      'not asked',
      'no stand-up that day',
      'no stand-up that day',
      'answered on time',
      'answered late',
      'answered on time, raised a blocker',
      'missed',
      'not answered yet',
      'no stand-up that day',
      'no stand-up that day',
    ]);
    expect(map.rows[1]!.words.slice(3, 8)).toEqual([
      'missed',
      'skipped',
      'answered on time, raised a blocker',
      'missed: could not be reached',
      'answered on time',
    ]);
    // Answered, late, missed, participation: alice 3 of 4 counted days (Friday is still open), bob 2 of 4 (skipped not counted, unreachable is missed).
    expect(map.rows.map((r) => r.totals)).toEqual([
      ['3', '1', '1', '75%'],
      ['2', '0', '2', '50%'],
    ]);
    // Each day: answered ÷ (answered + missed); Tuesday counts alice only (bob skipped), Friday bob only (alice's is open).
    expect(map.rates).toEqual([
      '–nobody counted',
      '–nobody counted',
      '–nobody counted',
      '50% (1 of 2)',
      '100% (1 of 1)',
      '100% (2 of 2)',
      '0% (0 of 2)',
      '100% (1 of 1)',
      '–nobody counted',
      '–nobody counted',
    ]);
    // The team: 5 of 8 counted days answered, 4 on time; two blockers, one escalated.
    expect(text).toContain('Participation 63% · On time 50% · Blockers 2 · Escalated 1');
    expect(text).toContain('Daily: who answered each day, Fri, 27 Nov 2026 to Sun, 6 Dec 2026');
  });

  test('the blockers of the period: who, when, the words (escaped), and the escalation it became, linked', async () => {
    const { markup, text } = await standups(period, f.cookies.alice);
    expect(text).toContain('Daily: blockers raised (2, 1 escalated)');
    expect(text).toContain('Wed, 2 Dec 2026 Alice Waiting on the vendor Wed, 2 Dec 2026, 10:00 CET ESC-1');
    expect(text).toContain('Wed, 2 Dec 2026 Bob Need VPN access <b>now</b> & soon Wed, 2 Dec 2026, 10:00 CET Not escalated');
    expect(markup).toContain('Need VPN access &lt;b&gt;now&lt;/b&gt; &amp; soon');
    expect(markup).toContain('<a href="/dashboard/escalations/ESC-1">ESC-1</a>');
    // A blocker's cell links to its row: from the map to the words, by keyboard too.
    const cellLinks = [...markup.matchAll(/<td class="hm hm-answered hm-blocker"><a href="#(blocker-[\d-]+)">/g)].map((m) => m[1]);
    expect(cellLinks).toHaveLength(2);
    for (const id of cellLinks) expect(markup).toContain(`<tr id="${id}">`);
  });

  test('the default period is the last 28 days, today included; the navigation links the page', async () => {
    const { markup, text } = await standups('', f.cookies.carol);
    expect(text).toContain('Daily: who answered each day, Sat, 7 Nov 2026 to Fri, 4 Dec 2026');
    expect(heatMap(markup, f.dailyId).days).toHaveLength(28);
    expect(markup).toContain('href="/dashboard/export/standups.csv?from=2026-11-07&amp;to=2026-12-04"');
    const overview = await (await rig.get('/dashboard', f.cookies.carol)).text();
    expect(overview).toContain('<a href="/dashboard/standups">Stand-ups</a>');
  });

  test('a bad period or stand-up gets a 400 that says what is wrong, and the form to fix it', async () => {
    const cases: [string, string][] = [
      ['?from=27.11.2026', '"from" must be a date written YYYY-MM-DD, such as 2026-11-30.'],
      ['?from=2026-12-06&to=2026-11-27', '"from" must be on or before "to".'],
      ['?from=2026-01-01&to=2026-12-04', 'The page shows at most 92 days: choose a shorter period (an export covers up to a year).'],
      ['?standup=Daily', 'Stand-up must be chosen from the list.'],
    ];
    for (const [query, sentence] of cases) {
      const { status, text, markup } = await standups(query, f.cookies.carol);
      expect([query, status]).toEqual([query, 400]);
      expect(text).toContain(sentence);
      expect(markup).toContain('<form class="filters" method="get" action="/dashboard/standups">');
    }
  });
});

describe('who sees which stand-up', () => {
  test('a workspace admin sees every stand-up of the workspace, with per-person totals', async () => {
    const page = await standups(period, f.cookies.erin);
    expect(page.sections).toEqual(['Daily', 'Ops']);
    expect(page.text).toContain('As a workspace admin you see every stand-up of this workspace.');
    expect(heatMap(page.markup, f.dailyId).rows[0]!.totals).toEqual(['3', '1', '1', '75%']);
    expect(page.text).not.toContain('Theirs');
  });

  test("a stand-up's creator sees theirs in full, and not the others", async () => {
    const page = await standups(period, f.cookies.carol);
    expect(page.sections).toEqual(['Daily']);
    expect(page.markup).toContain('<th scope="col" class="hm-total">Missed</th>');
    const dave = await standups(period, f.cookies.dave);
    expect(dave.sections).toEqual(['Ops']);
    expect(heatMap(dave.markup, f.opsId).rows.map((r) => [r.name, r.totals])).toEqual([['Dave', ['1', '0', '0', '100%']]]);
  });

  test('a participant sees the days and blockers their channel shows, but no per-person totals; not other stand-ups', async () => {
    const page = await standups(period, f.cookies.alice);
    expect(page.sections).toEqual(['Daily']);
    const map = heatMap(page.markup, f.dailyId);
    expect(map.rows[1]!.cells).toEqual([
      'none',
      'off',
      'off',
      'missed',
      'skipped',
      'answered+blocker',
      'unreachable',
      'answered',
      'off',
      'off',
    ]);
    expect(map.rows.map((r) => r.totals)).toEqual([[], []]);
    expect(page.markup).not.toContain('>Missed</th>');
    expect(page.text).toContain("Per-person totals (answered, missed, participation) are shown to the stand-up's creator and admins only");
    // Another stand-up of the workspace, asked for by its id, is not shown.
    const ops = await standups(`${period}&standup=${f.opsId}`, f.cookies.alice);
    expect(ops.status).toBe(400);
    expect(ops.text).toContain('There is no such stand-up among those you can see.');
    expect(ops.sections).toEqual([]);
  });

  test('anyone else sees no stand-up; another workspace sees only its own', async () => {
    const frank = await standups(period, f.cookies.frank);
    expect(frank.status).toBe(200);
    expect(frank.sections).toEqual([]);
    expect(frank.text).toContain('You take part in no stand-up and manage none, so there is nothing to show here.');
    expect(frank.markup).not.toContain('/dashboard/export/standups.csv');
    const zed = await standups(period, f.cookies.zed);
    expect(zed.sections).toEqual(['Theirs']);
    expect((await standups(`${period}&standup=${f.dailyId}`, f.cookies.zed)).sections).toEqual([]);
  });
});

describe('the export of stand-up answers', () => {
  test('CSV: one row per posted answer, matching what is stored, guarded against formulas', async () => {
    const res = await rig.get(`/dashboard/export/standups.csv${period}`, f.cookies.carol);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename=steady-standup-answers-${FROM}-to-${TO}.csv`);
    const body = await res.text();
    expect(body.split('\r\n')[0]).toBe('standup,person,person_id,date,question,answer,answered_at,late,blocker,escalation,edited_at');
    const rows = await csvOf(period, f.cookies.carol);
    // What is stored: every posted session of Daily in the period, each non-blank answer in the order of its questions.
    const stored = (await sessionsBetween(rig.database.db, [f.dailyId], FROM, TO, { answered: true })).flatMap((s) =>
      s.questions
        .filter((q) => /\S/.test(s.answers[q.id] ?? ''))
        .map((q) => [
          s.userId,
          s.date,
          q.text,
          s.answers[q.id]!.replace(/^([=+\-@])/, "'$1"),
          s.answeredAt!.toISOString(),
          s.late ? 'yes' : 'no',
        ]),
    );
    expect(rows.map((r) => [r.person_id, r.date, r.question, r.answer, r.answered_at, r.late])).toEqual(stored);
    // By hand: alice Monday 3 answers, Tuesday 2 (late), Wednesday 3; bob Wednesday 3, Friday 2. Not alice's open Friday or the day before the period.
    expect(rows.map((r) => `${r.person} ${r.date}`)).toEqual([
      ...Array(3).fill('Alice 2026-11-30'),
      ...Array(2).fill('Alice 2026-12-01'),
      ...Array(3).fill('Alice 2026-12-02'),
      ...Array(3).fill('Bob 2026-12-02'),
      ...Array(2).fill('Bob 2026-12-04'),
    ]);
    expect(rows[0]).toMatchObject({
      standup: 'Daily',
      question: 'What did you get done since the last stand-up?',
      answer: `'${ANSWERS.aliceMonday.q1}`,
      late: 'no',
      blocker: 'no',
    });
    expect(rows[1]!.answer).toBe(ANSWERS.aliceMonday.q2);
    expect(rows[2]).toMatchObject({ answer: 'none', blocker: 'no', escalation: '' });
    expect(rows[3]).toMatchObject({ late: 'yes', answered_at: '2026-12-01T13:00:00.000Z' });
    expect(rows[6]!.answer).toBe(`'${ANSWERS.aliceWednesday.q2}`);
    expect(rows[7]).toMatchObject({
      question: 'Anything blocking you?',
      answer: 'Waiting on the vendor',
      blocker: 'yes',
      escalation: 'ESC-1',
    });
    expect(rows[10]).toMatchObject({ answer: ANSWERS.bobWednesday.q3, blocker: 'yes', escalation: '' });
  });

  test('JSON: the stored values as they are', async () => {
    const res = await rig.get(`/dashboard/export/standups.json${period}&standup=${f.dailyId}`, f.cookies.alice);
    expect(res.status).toBe(200);
    const json: any = await res.json();
    expect(json.period).toEqual({ from: FROM, to: TO });
    expect(json.answers).toHaveLength(13);
    expect(json.answers[0]).toEqual({
      standup: 'Daily',
      standupId: f.dailyId,
      personId: 'alice',
      personName: 'Alice',
      date: '2026-11-30',
      questionId: 'q1',
      question: 'What did you get done since the last stand-up?',
      answer: ANSWERS.aliceMonday.q1,
      answeredAt: '2026-11-30T09:00:00.000Z',
      editedAt: null,
      late: false,
      blocker: false,
      escalation: null,
    });
  });

  test('the same visibility: an admin gets every stand-up, a participant theirs, anyone else nothing, another workspace its own', async () => {
    const standupsIn = async (cookie: string) => [...new Set((await csvOf(period, cookie)).map((r) => r.standup))];
    expect(await standupsIn(f.cookies.erin)).toEqual(['Daily', 'Ops']);
    expect(await standupsIn(f.cookies.alice)).toEqual(['Daily']);
    expect(await standupsIn(f.cookies.dave)).toEqual(['Ops']);
    expect(await csvOf(period, f.cookies.frank)).toEqual([]);
    expect((await csvOf(period, f.cookies.zed)).map((r) => r.answer)).toEqual(['Their secret', 'Theirs']);
    expect((await rig.get(`/dashboard/export/standups.csv${period}&standup=${f.opsId}`, f.cookies.alice)).status).toBe(404);
  });

  test('a bad period gets a 400 that says what is wrong; an export is whole or refused', async () => {
    const cases: [string, string][] = [
      ['?to=2026-13-01', '"to" must be a date written YYYY-MM-DD, such as 2026-11-30.'],
      ['?from=2026-12-02&to=2026-12-01', '"from" must be on or before "to".'],
      ['?from=2024-01-01&to=2026-01-01', 'An export covers at most 366 days: choose a shorter period.'],
    ];
    for (const [query, sentence] of cases) {
      const res = await rig.get(`/dashboard/export/standups.csv${query}`, f.cookies.erin);
      expect([query, res.status]).toEqual([query, 400]);
      expect(pageText(await res.text())).toContain(sentence);
    }
    expect((await rig.get('/dashboard/export/standups.xml', f.cookies.erin)).status).toBe(404);
    const small = await DashboardRig.start(rig.database, { exportRows: 12 });
    try {
      const cookie = await small.session('carol');
      const res = await small.get(`/dashboard/export/standups.csv${period}`, cookie);
      expect(res.status).toBe(400);
      expect(pageText(await res.text())).toContain(
        '13 answers were given in this period; an export holds at most 12. Choose a shorter period or one stand-up.',
      );
      expect((await small.get(`/dashboard/export/standups.csv?from=2026-12-02&to=${TO}`, cookie)).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

// Last in the file: it adds a stand-up (erin's "Real") that the tests above do not expect.
describe('answers given in chat', () => {
  test('are on the page and in the export as the person typed them, the blocker marked', async () => {
    const h = rig.h;
    if ((await createStandup(h, 'erin', { name: 'Real', participants: ['erin'] }, 'test:C-real'))?.status !== 'done')
      throw new Error('stand-up form refused');
    const realId = String(
      (await rig.database.db.selectFrom('standups').select('id').where('name', '=', 'Real').executeTakeFirstOrThrow()).id,
    );
    await h.as('erin', 'test:C-real').command('standup', 'now Real');
    await h.tick();
    const erin = h.as('erin', 'test:D-erin');
    for (const answer of ['Closed the quarter', '=Plan the next one', 'Printer jam <again>']) await erin.directMessage(answer);
    expect(h.repliesTo('erin').at(-1)).toContain('Your Real answers are in the channel');

    const today = '?from=2026-12-04&to=2026-12-04';
    const rows = await csvOf(`${today}&standup=${realId}`, f.cookies.erin);
    expect(rows.map((r) => [r.person, r.date, r.question, r.answer, r.late, r.blocker])).toEqual([
      ['Erin', '2026-12-04', 'What did you get done since the last stand-up?', 'Closed the quarter', 'no', 'no'],
      ['Erin', '2026-12-04', 'What will you do today?', "'=Plan the next one", 'no', 'no'],
      ['Erin', '2026-12-04', 'Anything blocking you?', 'Printer jam <again>', 'no', 'yes'],
    ]);
    expect(rows[0]!.answered_at).toBe(new Date(h.clock.now()).toISOString());
    const page = await standups(`${today}&standup=${realId}`, f.cookies.erin);
    expect(heatMap(page.markup, realId).rows).toEqual([
      expect.objectContaining({ name: 'Erin', cells: ['answered+blocker'], totals: ['1', '0', '0', '100%'] }),
    ]);
    expect(page.text).toContain('Fri, 4 Dec 2026 Erin Printer jam <again> Fri, 4 Dec 2026, 11:00 CET Not escalated');
  });
});
