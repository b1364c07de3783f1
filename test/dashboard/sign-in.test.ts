import { issueLink, hashToken } from '../../src/dashboard/links';
import { rows } from '../support/database';
import { DashboardRig, PUBLIC_URL, otherWorkspaceEscalation, pageText, raisePrinterDown, sessionCookie, useDashboardRig } from './support';

const rig = useDashboardRig({ seed: raisePrinterDown });

const EXPECTED_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function expectSecurityHeaders(res: Response): void {
  for (const [name, value] of Object.entries(EXPECTED_HEADERS)) expect([name, res.headers.get(name)]).toEqual([name, value]);
}

describe('a sign-in link from chat', () => {
  test('/steady dashboard answers privately with a 12-hour link under PUBLIC_URL; only its hash is stored', async () => {
    const link = await rig.linkFor('alice');
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/dashboard/signin\\?token=[A-Za-z0-9_-]{43}$`));
    const reply = rig.h.repliesTo('alice').at(-1)!;
    expect(reply).toContain('Your dashboard: open the dashboard (');
    expect(reply).toContain('it signs you in for 12 hours (until Mon, 30 Nov 2026, 21:00 CET)');
    expect(reply).toContain('/steady dashboard revoke signs out every link you were given');
    // Nobody else was told, in any channel.
    expect(rig.h.platform.sent.filter((s) => s.text.includes('signin?token='))).toEqual([]);
    const token = new URL(link).searchParams.get('token')!;
    const stored = await rows(rig.database.db, 'dashboard_links');
    const mine = stored.find((r) => r.token_hash === hashToken(token))!;
    expect(mine).toMatchObject({ workspace_id: 'test:W1', user_id: 'alice', revoked_at: null });
    expect((mine.expires_at as Date).toISOString()).toBe('2026-11-30T20:00:00.000Z');
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  test('the link sets an HttpOnly, Secure, SameSite=Lax cookie and sends the browser on to /dashboard', async () => {
    const res = await rig.get(await rig.linkFor('alice'));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    expectSecurityHeaders(res);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('steady_session='))!;
    expect(setCookie).toMatch(/; Path=\/dashboard/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Max-Age=43200/);

    const start = await rig.get('/dashboard', sessionCookie(res));
    expect(start.status).toBe(200);
    expectSecurityHeaders(start);
    expect(start.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = pageText(await start.text());
    expect(text).toContain('Signed in as Alice until Mon, 30 Nov 2026, 21:00 CET');
    expect(text).toContain('Escalations: filter by status, severity, owner and period');
  });

  test('with an http:// PUBLIC_URL (a trial on a laptop) the cookie is not Secure', async () => {
    const local = await DashboardRig.start(rig.database, { publicUrl: 'http://localhost:3000' });
    try {
      const link = await local.linkFor('carol');
      expect(link.startsWith('http://localhost:3000/dashboard/signin?token=')).toBe(true);
      const res = await local.get(link);
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie().find((c) => c.startsWith('steady_session='))).not.toMatch(/Secure/);
    } finally {
      await local.close();
    }
  });

  test('without PUBLIC_URL the command says an admin must set it, and no link is made', async () => {
    const before = (await rows(rig.database.db, 'dashboard_links')).length;
    const bare = await DashboardRig.start(rig.database, { publicUrl: '' });
    try {
      await bare.h.as('dave').command('steady', 'dashboard');
      expect(bare.h.repliesTo('dave').at(-1)).toContain('an admin must set PUBLIC_URL');
      expect((await rows(rig.database.db, 'dashboard_links')).length).toBe(before);
    } finally {
      await bare.close();
    }
  });

  test('every /dashboard page and the 401 page carry the security headers; the style sheet is served from /dashboard/static', async () => {
    const cookie = await rig.session('alice');
    for (const path of [
      '/dashboard',
      '/dashboard/escalations',
      '/dashboard/escalations/ESC-1',
      '/dashboard/export/escalations.csv',
      '/dashboard/nowhere',
    ]) {
      const res = await rig.get(path, cookie);
      expect([path, res.status]).toEqual([path, path === '/dashboard/nowhere' ? 404 : 200]);
      expectSecurityHeaders(res);
    }
    const refused = await rig.get('/dashboard/escalations');
    expect(refused.status).toBe(401);
    expectSecurityHeaders(refused);
    const css = await rig.get('/dashboard/static/dashboard.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expectSecurityHeaders(css);
    const page = await (await rig.get('/dashboard', cookie)).text();
    expect(page).toContain('<link rel="stylesheet" href="/dashboard/static/dashboard.css">');
    expect(page).not.toMatch(/<script|\sstyle=|\son\w+=/i);
  });
});

describe('refused links and sessions', () => {
  const notSignedIn = async (res: Response, sentence: string) => {
    expect(res.status).toBe(401);
    const text = pageText(await res.text());
    expect(text).toContain(sentence);
    expect(text).toContain('To get a new link, type /steady dashboard in chat.');
  };

  test('no cookie, a forged cookie or a forged link: the 401 page says how to get a link', async () => {
    await notSignedIn(await rig.get('/dashboard'), 'You are not signed in to the dashboard.');
    await notSignedIn(
      await rig.get('/dashboard/escalations/ESC-1', 'steady_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      'This sign-in link or session is not valid.',
    );
    await notSignedIn(await rig.get('/dashboard', 'steady_session=nonsense'), 'This sign-in link or session is not valid.');
    await notSignedIn(
      await rig.get('/dashboard/signin?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      'This sign-in link or session is not valid.',
    );
    await notSignedIn(await rig.get('/dashboard/signin'), 'This sign-in link or session is not valid.');
  });

  test('after 12 hours the link and the session it started say they have expired', async () => {
    const link = await rig.linkFor('bob');
    const cookie = await rig.signIn(link);
    expect((await rig.get('/dashboard', cookie)).status).toBe(200);
    rig.h.clock.advance(12 * 3_600_000 - 1000);
    expect((await rig.get('/dashboard', cookie)).status).toBe(200);
    rig.h.clock.advance(1000);
    await notSignedIn(await rig.get('/dashboard', cookie), 'This sign-in link has expired');
    await notSignedIn(await rig.get(link), 'This sign-in link has expired: links sign you in for 12 hours.');
  });

  test('a person’s links that ended over a week ago are deleted when they get a new one; newer ones still say "expired"', async () => {
    const old = await rig.linkFor('erin');
    rig.h.clock.advance(12 * 3_600_000 + 7 * 86_400_000 + 1000);
    const recent = await rig.linkFor('erin');
    rig.h.clock.advance(13 * 3_600_000);
    await rig.linkFor('erin');
    await notSignedIn(await rig.get(old), 'This sign-in link or session is not valid.');
    await notSignedIn(await rig.get(recent), 'This sign-in link has expired');
    expect((await rows(rig.database.db, 'dashboard_links')).filter((r) => r.user_id === 'erin')).toHaveLength(2);
  });

  test('/steady dashboard revoke ends every link and session of that person, and nobody else’s', async () => {
    const first = await rig.linkFor('carol');
    const session = await rig.signIn(first);
    const unused = await rig.linkFor('carol');
    const bobs = await rig.session('bob');
    await rig.h.as('carol').command('steady', 'dashboard revoke');
    expect(rig.h.repliesTo('carol').at(-1)).toBe(
      'Revoked your 2 dashboard links: they sign nobody in any more, and browsers signed in with them are signed out. /steady dashboard gives you a new one.',
    );
    await notSignedIn(await rig.get('/dashboard', session), 'This sign-in link has been revoked.');
    await notSignedIn(await rig.get(unused), 'This sign-in link has been revoked.');
    await notSignedIn(await rig.get(first), 'This sign-in link has been revoked.');
    expect((await rig.get('/dashboard', bobs)).status).toBe(200);
    await rig.h.as('carol').command('steady', 'dashboard revoke');
    expect(rig.h.repliesTo('carol').at(-1)).toBe('You had no dashboard link in use. Nothing to revoke.');
    // A new link works again.
    expect((await rig.get('/dashboard', await rig.session('carol'))).status).toBe(200);
  });

  test('signing out revokes that session only', async () => {
    const one = await rig.session('dave');
    const two = await rig.session('dave');
    const out = await rig.post('/dashboard/signout', one);
    expect(out.status).toBe(401);
    expect(pageText(await out.text())).toContain('You are signed out.');
    expect((await rig.get('/dashboard', one)).status).toBe(401);
    expect((await rig.get('/dashboard', two)).status).toBe(200);
  });

  test('a session from another workspace sees nothing of this one, whatever the URL says', async () => {
    const now = rig.h.clock.now();
    await otherWorkspaceEscalation(rig.database.db, { raisedAt: now, dueAt: new Date(now.getTime() + 3_600_000) });
    const { token } = await issueLink(rig.database.db, { workspaceId: 'test:W2', userId: 'zed' }, now);
    const cookie = await rig.signIn(`/dashboard/signin?token=${token}`);
    const list = pageText(await (await rig.get('/dashboard/escalations?workspace=test:W1', cookie)).text());
    expect(list).toContain('Other team’s boiler');
    expect(list).not.toContain('Printer down');
    const other = await rig.get('/dashboard/escalations/ESC-1?workspace=test:W1', cookie);
    expect(pageText(await other.text())).toContain('Other team’s boiler');
    const json: any = await (await rig.get('/dashboard/export/escalations.json?workspace=test:W1', cookie)).json();
    expect(json.escalations.map((e: { title: string }) => e.title)).toEqual(['Other team’s boiler']);
    // And this workspace's people do not see the other's.
    const alices = pageText(await (await rig.get('/dashboard/escalations', await rig.session('alice'))).text());
    expect(alices).toContain('Printer down');
    expect(alices).not.toContain('boiler');
  });
});
