import type { RunningServer } from '../../src/http/server';
import { buildWorkflows } from '../../src/steady';
import { ALICE, BERLIN_TEAM, peopleOf } from '../support/slack-people';
import { useSlackRig } from '../support/use-slack-rig';
import { PUBLIC_URL, pageText, serveDashboard, sessionCookie } from './support';

const setup = useSlackRig({
  // Steady's own workflows with PUBLIC_URL set, as main.ts builds them from the environment.
  workflows: (services) => buildWorkflows({ ...services, publicUrl: PUBLIC_URL }),
  users: peopleOf(BERLIN_TEAM, ALICE),
});
let http: RunningServer;
beforeAll(async () => {
  http = await serveDashboard(setup.database.db, setup.rig.steady.services);
  setup.closeFirst(() => http.close());
});

describe('the dashboard from Slack', () => {
  test('/steady dashboard is answered only to the person, with a link Slack shows; it signs in to their Slack workspace', async () => {
    const res = await setup.rig.as('U0ALICE').command('/steady', 'dashboard');
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.text);
    expect(answer.response_type).toBe('ephemeral');
    const mrkdwn = JSON.stringify(answer.blocks);
    const link = /<(https:\/\/steady\.example\.com\/dashboard\/signin\?token=[A-Za-z0-9_-]{43})\|open the dashboard>/.exec(mrkdwn)?.[1];
    expect(link).toBeDefined();
    expect(setup.rig.privateTo('U0ALICE').at(-1)).toContain('Your dashboard: open the dashboard. This link is yours alone');
    expect(setup.rig.postsIn('C0GENERAL')).toEqual([]);

    const base = `http://127.0.0.1:${http.port}`;
    const url = new URL(link!);
    const signIn = await fetch(`${base}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    const page = await fetch(`${base}/dashboard`, { headers: { cookie: sessionCookie(signIn)! } });
    expect(page.status).toBe(200);
    expect(pageText(await page.text())).toContain('Signed in as Alice Adams');
    const [stored] = await setup.database.db.selectFrom('dashboard_links').selectAll().execute();
    expect(stored).toMatchObject({ workspace_id: `slack:${setup.rig.teamId}`, user_id: 'U0ALICE' });
  });

  test('/steady export is answered only to the person with a link Slack shows whole; it lands on the export', async () => {
    const res = await setup.rig.as('U0ALICE').command('/steady', 'export handoffs json 2026-11-01..2026-11-30');
    const answer = JSON.parse(res.text);
    expect(answer.response_type).toBe('ephemeral');
    const link = /<(https:\/\/steady\.example\.com\/dashboard\/signin\?token=[^|>]+)\|download handoffs\.json>/.exec(
      JSON.stringify(answer.blocks),
    )?.[1];
    expect(link).toBeDefined();
    expect(setup.rig.postsIn('C0GENERAL')).toEqual([]);
    const url = new URL(link!);
    const signIn = await fetch(`http://127.0.0.1:${http.port}${url.pathname}${url.search}`, { redirect: 'manual' });
    expect(signIn.headers.get('location')).toBe('/dashboard/export/handoffs.json?from=2026-11-01&to=2026-11-30');
    const file = await fetch(`http://127.0.0.1:${http.port}${signIn.headers.get('location')}`, {
      headers: { cookie: sessionCookie(signIn)! },
    });
    expect(await file.json()).toMatchObject({ period: { from: '2026-11-01', to: '2026-11-30' }, handoffs: [] });
  });
});
