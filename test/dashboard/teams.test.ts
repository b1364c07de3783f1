import type { RunningServer } from '../../src/http/server';
import { buildWorkflows } from '../../src/steady';
import { BERLIN_TEAM } from '../support/teams-people';
import { useTeamsRig } from '../support/use-teams-rig';
import { PUBLIC_URL, otherWorkspaceEscalation, pageText, parseCsv, serveDashboard, sessionCookie } from './support';
import { insertEscalation } from '../../src/storage/escalation/escalations-repository';

const BERLIN = 'Europe/Berlin';
const { alice } = BERLIN_TEAM;

const setup = useTeamsRig({
  defaultTimeZone: BERLIN,
  // Steady's own workflows with PUBLIC_URL set, as main.ts builds them from the environment.
  workflows: (services) => buildWorkflows({ ...services, publicUrl: PUBLIC_URL }),
});
let http: RunningServer;
beforeAll(async () => {
  await setup.rig.install(alice);
  http = await serveDashboard(setup.database.db, setup.rig.steady.services);
  setup.closeFirst(() => http.close());
});

/** The last message the connector received in alice's chat, as it reads now. */
function lastReply(): { text: string; activity: unknown } {
  const last = setup.rig.last(alice);
  return { text: setup.rig.text(last, BERLIN), activity: last.versions.at(-1) };
}

/** The sign-in link in that message (a card's Markdown or HTML). */
function linkInReply(): string {
  const sent = JSON.stringify(lastReply().activity);
  const found =
    /https:\/\/steady\.example\.com\/dashboard\/signin\?token=[A-Za-z0-9_-]{43}(?:(?:&amp;|&|\\u0026)next=[A-Za-z0-9%._-]+)?/.exec(
      sent,
    )?.[0];
  if (!found) throw new Error(`no sign-in link in: ${sent}`);
  return found.replace(/&amp;|\\u0026/g, '&');
}

const local = (link: string) => {
  const url = new URL(link);
  return `http://127.0.0.1:${http.port}${url.pathname}${url.search}`;
};

describe('the dashboard from Teams', () => {
  test('"steady dashboard" in the 1:1 chat is answered there with a link that signs alice in to her Teams workspace', async () => {
    await setup.rig.say(alice, 'steady dashboard');
    expect(lastReply().text).toContain('Your dashboard: open the dashboard (https://steady.example.com/dashboard/signin?token=');
    const signIn = await fetch(local(linkInReply()), { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/dashboard');
    const page = await fetch(`http://127.0.0.1:${http.port}/dashboard`, { headers: { cookie: sessionCookie(signIn)! } });
    expect(page.status).toBe(200);
    expect(pageText(await page.text())).toContain('Signed in as Alice Adams');
  });

  test('"steady export escalations csv 7d" gives a link that downloads the CSV of her workspace’s escalations only', async () => {
    const [link] = await setup.database.db.selectFrom('dashboard_links').select('workspace_id').execute();
    const workspaceId = link!.workspace_id;
    expect(workspaceId).toMatch(/^teams:/);
    const now = setup.rig.clock.now();
    await insertEscalation(setup.database.db, {
      workspaceId,
      number: 1,
      title: 'Printer down',
      impact: 'No printing',
      options: null,
      recommendation: null,
      severity: 'SEV2',
      ownerId: alice.id,
      raiserId: alice.id,
      createdBy: alice.id,
      conversation: 'teams:x',
      dueAt: new Date(now.getTime() + 3_600_000),
      policy: null,
      source: null,
      now,
    });
    await otherWorkspaceEscalation(setup.database.db, { raisedAt: now, dueAt: new Date(now.getTime() + 3_600_000) });

    await setup.rig.say(alice, 'steady export escalations csv 7d');
    expect(lastReply().text).toContain(
      'Your export of escalations with their timelines (CSV, Tue, 24 Nov 2026 to Mon, 30 Nov 2026, your days in Europe/Berlin): download escalations.csv (https://steady.example.com/dashboard/signin?token=',
    );
    const signIn = await fetch(local(linkInReply()), { redirect: 'manual' });
    expect(signIn.headers.get('location')).toBe('/dashboard/export/escalations.csv?from=2026-11-24&to=2026-11-30');
    const file = await fetch(`http://127.0.0.1:${http.port}${signIn.headers.get('location')}`, {
      headers: { cookie: sessionCookie(signIn)! },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename=steady-escalations-2026-11-24-to-2026-11-30.csv');
    const [header, ...rows] = parseCsv(await file.text());
    expect(rows.map((r) => [r[header!.indexOf('reference')], r[header!.indexOf('title')], r[header!.indexOf('owner')]])).toEqual([
      ['ESC-1', 'Printer down', 'Alice Adams'],
    ]);
  });
});
