import { randomBytes } from 'node:crypto';
import { StoredInstallations } from '../../../adapters/slack/oauth/stored-installations';
import { TokenCipher } from '../../../adapters/slack/oauth/token-cipher';
import { SlackApi } from '../../../adapters/slack/slack-api';
import type { SlackOAuthConfig } from '../../../adapters/slack/settings';
import { message, section } from '../../../src/core/message';
import { findJobs } from '../../../src/storage/jobs-repository';
import { rows, silentLog } from '../../support/database';
import { CLIENT_ID, CLIENT_SECRET, type FakeGrant } from '../../support/fake-slack';
import { SlackRig } from '../../support/slack-rig';
import { ALICE } from '../../support/slack-people';
import { useSlackRig } from '../../support/use-slack-rig';

/**
 * Slack OAuth distribution, as the people installing Steady and Slack itself use it: two
 * workspaces and one Enterprise Grid org install through /slack/install and /slack/oauth_redirect,
 * commands from each are served with that workspace's token, tokens rotate before they expire,
 * and an uninstall deletes one workspace's tokens and stops its jobs only.
 */
const KEY = randomBytes(32);
const oauth: SlackOAuthConfig = {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  stateSecret: 'state-secret-0123456789abcdef',
  encryptionKey: KEY.toString('base64'),
  oldEncryptionKeys: [],
};

const ALPHA: FakeGrant = { team: { id: 'T0ALPHA', name: 'Alpha Ops' }, botUserId: 'U0BOTA' };
const BETA: FakeGrant = { team: { id: 'T0BETA', name: 'Beta Support' }, botUserId: 'U0BOTB', expiresIn: 12 * 3600 };
const GRID: FakeGrant = { enterprise: { id: 'E0ACME', name: 'Acme Corp' }, orgWide: true, botUserId: 'U0BOTG' };
const GRID_TEAM = { teamId: 'T0GRIDA', enterpriseId: 'E0ACME' };

const setup = useSlackRig({ oauth, users: { [ALICE]: { name: 'alice', tz: 'Europe/Berlin' } } });

/** A person opens /slack/install, approves in Slack, and comes back to the redirect with Slack's code. */
async function install(grant: FakeGrant, code: string, tamper?: (state: string) => string): Promise<{ status: number; page: string }> {
  setup.rig.slack.oauthCodes.set(code, grant);
  const start = await fetch(`${setup.rig.baseUrl}/slack/install`);
  const html = await start.text();
  const authorize = new URL(html.match(/href="([^"]+)"/)![1]!.replace(/&amp;/g, '&'));
  expect(authorize.origin + authorize.pathname).toBe('https://slack.com/oauth/v2/authorize');
  expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const state = authorize.searchParams.get('state')!;
  const sent = tamper ? tamper(state) : state;
  const back = await fetch(`${setup.rig.baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(sent)}`, {
    headers: { cookie: tamper ? cookie.replace(state, sent) : cookie },
  });
  return { status: back.status, page: await back.text() };
}

/** The token Slack saw on the modal `/escalate` opens, typed by alice in `place`. */
async function tokenServing(place?: { teamId: string; enterpriseId?: string }): Promise<string | undefined> {
  const before = setup.rig.slack.callsOf('views.open').length;
  await setup.rig.as(ALICE, 'C0OPS', place).command('/escalate', 'Printer down');
  const calls = setup.rig.slack.callsOf('views.open');
  expect(calls.length).toBe(before + 1);
  return calls.at(-1)!.token;
}

const installation = (id: string) =>
  setup.database.db.selectFrom('slack_installations').selectAll().where('id', '=', id).executeTakeFirst();

describe('Slack OAuth distribution', () => {
  test('two workspaces and one Grid org install through /slack/install; each is served with its own token, stored encrypted', async () => {
    expect(await install(ALPHA, 'code-alpha')).toMatchObject({
      status: 200,
      page: expect.stringContaining('Steady is installed in the workspace Alpha Ops'),
    });
    expect(await install(BETA, 'code-beta')).toMatchObject({ status: 200 });
    expect(await install(GRID, 'code-grid')).toMatchObject({ status: 200, page: expect.stringContaining('the organisation Acme Corp') });

    const tokens = [...setup.rig.slack.tokenGrants.keys()];
    const tokenOf = (grant: FakeGrant) => tokens.find((t) => setup.rig.slack.tokenGrants.get(t) === grant);
    expect(await tokenServing({ teamId: 'T0ALPHA' })).toBe(tokenOf(ALPHA));
    expect(await tokenServing({ teamId: 'T0BETA' })).toBe(tokenOf(BETA));
    expect(await tokenServing(GRID_TEAM)).toBe(tokenOf(GRID));
    // A workspace nobody installed Steady in gets nothing.
    const before = setup.rig.slack.calls.length;
    await setup.rig.as(ALICE, 'C0OPS', { teamId: 'T0NOBODY' }).command('/escalate', 'Printer down');
    expect(setup.rig.slack.calls.slice(before).filter((c) => c.method === 'views.open')).toEqual([]);

    expect(await installation('E0ACME')).toMatchObject({
      is_enterprise_install: true,
      team_id: null,
      enterprise_id: 'E0ACME',
      bot_user_id: 'U0BOTG',
    });
    expect(await installation('T0BETA')).toMatchObject({
      team_name: 'Beta Support',
      bot_token_expires_at: new Date(setup.rig.clock.now().getTime() + 12 * 3600_000),
    });
    const stored = JSON.stringify(await rows(setup.database.db, 'slack_installations'));
    for (const token of [...tokens, ...setup.rig.slack.refreshTokens.keys()]) expect(stored).not.toContain(token);
    const cipher = new TokenCipher(KEY);
    const sealed = String((await installation('T0ALPHA'))!.bot_token);
    expect(cipher.open(sealed, 'T0ALPHA')).toBe(tokenOf(ALPHA));
    // A sealed token copied to another row does not open there.
    expect(() => cipher.open(sealed, 'T0BETA')).toThrow('does not open');
    // Outbound: the Grid team's DMs go out with the org's token.
    await setup.rig.adapter.platform.postDirect('slack:T0GRIDA', ALICE, message([section('hello')], 'hello'));
    expect(setup.rig.slack.callsOf('chat.postMessage').at(-1)!.token).toBe(tokenOf(GRID));
  });

  test('a forged or expired state is refused with a page that says what to do, and nothing is stored', async () => {
    const forged = await install(
      { team: { id: 'T0EVIL', name: 'Evil' }, botUserId: 'U0X' },
      'code-evil',
      (state) => `${state.split('.')[0]}.forgedsignature`,
    );
    expect(forged.status).toBe(400);
    expect(forged.page).toContain('This install link is not valid');
    expect(forged.page).toContain('href="/slack/install"');

    setup.rig.slack.oauthCodes.set('code-late', { team: { id: 'T0LATE', name: 'Late' }, botUserId: 'U0Y' });
    const start = await fetch(`${setup.rig.baseUrl}/slack/install`);
    const state = new URL((await start.text()).match(/href="([^"]+)"/)![1]!.replace(/&amp;/g, '&')).searchParams.get('state')!;
    setup.rig.clock.advance(11 * 60_000);
    const late = await fetch(`${setup.rig.baseUrl}/slack/oauth_redirect?code=code-late&state=${encodeURIComponent(state)}`, {
      headers: { cookie: start.headers.get('set-cookie')!.split(';')[0]! },
    });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('more than ten minutes ago');

    const cancelled = await fetch(`${setup.rig.baseUrl}/slack/oauth_redirect?error=access_denied&state=x`);
    expect(await cancelled.text()).toContain('The install was cancelled in Slack');
    expect(await installation('T0EVIL')).toBeUndefined();
    expect(await installation('T0LATE')).toBeUndefined();
  });

  test('a rotating token is refreshed before it expires, once, and the new pair is stored encrypted', async () => {
    const first = await tokenServing({ teamId: 'T0BETA' });
    expect(setup.rig.slack.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token')).toEqual([]);
    setup.rig.clock.advance(10 * 3600_000 + 60_000); // within two hours of the 12-hour expiry
    const second = await tokenServing({ teamId: 'T0BETA' });
    const refreshes = setup.rig.slack.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.args).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(second).not.toBe(first);
    expect(setup.rig.slack.grantOf(second)).toBe(BETA);
    expect(await tokenServing({ teamId: 'T0BETA' })).toBe(second);
    expect(setup.rig.slack.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token')).toHaveLength(1);
    const row = (await installation('T0BETA'))!;
    expect(row.bot_token_expires_at).toEqual(new Date(setup.rig.clock.now().getTime() + 12 * 3600_000));
    const newRefresh = [...setup.rig.slack.refreshTokens.entries()].find(([, g]) => g === BETA)![0];
    expect(new TokenCipher(KEY).open(String(row.bot_refresh_token), 'T0BETA')).toBe(newRefresh);
    expect(JSON.stringify(row)).not.toContain(second!);
  });

  test('two instances rotating the same token at once spend its refresh token once, and both use the new token', async () => {
    setup.rig.clock.advance(10 * 3600_000 + 60_000);
    const instance = () =>
      new StoredInstallations({
        db: setup.database.db,
        clock: setup.rig.clock,
        log: silentLog,
        api: new SlackApi({ apiUrl: setup.rig.slack.apiUrl, log: silentLog }),
        cipher: new TokenCipher(KEY),
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      });
    const refreshes = () => setup.rig.slack.callsOf('oauth.v2.access').filter((c) => c.args.grant_type === 'refresh_token').length;
    const before = refreshes();
    const [a, b] = await Promise.all([instance().byId('T0BETA'), instance().byId('T0BETA')]);
    expect(refreshes()).toBe(before + 1);
    expect(a!.botToken).toBe(b!.botToken);
    expect(setup.rig.slack.grantOf(a!.botToken)).toBe(BETA);
    expect(await tokenServing({ teamId: 'T0BETA' })).toBe(a!.botToken);
  });

  test('app_uninstalled and tokens_revoked delete that workspace’s (or org’s) tokens and cancel its pending jobs only', async () => {
    const later = new Date(setup.rig.clock.now().getTime() + 86_400_000);
    const enqueue = (workspace: string) =>
      setup.rig.steady.scheduler.enqueue({
        kind: 'outbox.post',
        payload: { key: `test:${workspace}`, to: { workspaceId: workspace, userId: ALICE } },
        runAt: later,
        dedupeKey: `post:test:${workspace}`,
      });
    for (const w of ['slack:T0ALPHA', 'slack:T0BETA', 'slack:T0GRIDA']) await enqueue(w);
    // Jobs owned by a workflow's record (here a rotation's) belong to the record's workspace.
    const rotationJob = async (workspace: string) => {
      const now = setup.rig.clock.now();
      const { id } = await setup.database.db
        .insertInto('rotations')
        .values({
          workspace_id: workspace,
          name: `Ops ${workspace}`,
          created_by: ALICE,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await setup.rig.steady.scheduler.enqueue({
        kind: 'handoff.plan',
        payload: { rotationId: id },
        runAt: later,
        dedupeKey: `test-plan:${workspace}`,
        owner: `rotation:${id}`,
      });
    };
    await rotationJob('slack:T0ALPHA');
    await rotationJob('slack:T0BETA');

    await setup.rig.sendEvent({ type: 'app_uninstalled' }, { teamId: 'T0ALPHA' });
    expect(await installation('T0ALPHA')).toMatchObject({
      bot_token: null,
      bot_refresh_token: null,
      uninstalled_at: setup.rig.clock.now(),
      team_name: 'Alpha Ops',
    });
    expect((await findJobs(setup.database.db, { dedupeKey: 'post:test:slack:T0ALPHA' }))[0]!.state).toBe('cancelled');
    expect((await findJobs(setup.database.db, { dedupeKey: 'post:test:slack:T0BETA' }))[0]!.state).toBe('pending');
    expect((await findJobs(setup.database.db, { dedupeKey: 'test-plan:slack:T0ALPHA' }))[0]!.state).toBe('cancelled');
    expect((await findJobs(setup.database.db, { dedupeKey: 'test-plan:slack:T0BETA' }))[0]!.state).toBe('pending');
    expect(await setup.database.db.selectFrom('rotations').select('name').where('workspace_id', '=', 'slack:T0ALPHA').execute()).toEqual([
      { name: 'Ops slack:T0ALPHA' },
    ]);
    expect((await installation('T0BETA'))!.bot_token).not.toBeNull();
    const before = setup.rig.slack.callsOf('views.open').length;
    await setup.rig.as(ALICE, 'C0OPS', { teamId: 'T0ALPHA' }).command('/escalate', 'Printer down');
    expect(setup.rig.slack.callsOf('views.open')).toHaveLength(before);

    // The org's bot token revoked: the org's install goes, and the jobs of its teams.
    await setup.rig.sendEvent(
      { type: 'tokens_revoked', tokens: { oauth: ['U0SOMEONE'], bot: ['U0BOTG'] } },
      { teamId: 'T0GRIDA', enterpriseId: 'E0ACME', orgWide: true },
    );
    expect(await installation('E0ACME')).toMatchObject({ bot_token: null, uninstalled_at: setup.rig.clock.now() });
    expect((await findJobs(setup.database.db, { dedupeKey: 'post:test:slack:T0GRIDA' }))[0]!.state).toBe('cancelled');
    expect((await findJobs(setup.database.db, { dedupeKey: 'post:test:slack:T0BETA' }))[0]!.state).toBe('pending');

    // Reinstalling brings the workspace back.
    expect(await install(ALPHA, 'code-alpha-again')).toMatchObject({ status: 200 });
    expect(await installation('T0ALPHA')).toMatchObject({ uninstalled_at: null, bot_token: expect.any(String) });
  });
});

describe('single-token mode', () => {
  test("app_uninstalled cancels the workspace's pending jobs; the token lives in the environment, so nothing is deleted", async () => {
    const single = await SlackRig.start({ database: setup.database });
    try {
      const later = new Date(single.clock.now().getTime() + 86_400_000);
      await single.steady.scheduler.enqueue({
        kind: 'outbox.post',
        payload: { key: 'single', to: { workspaceId: `slack:${single.teamId}`, userId: ALICE } },
        runAt: later,
        dedupeKey: 'post:single',
      });
      await single.sendEvent({ type: 'app_uninstalled' }, { teamId: 'T0SOMEONEELSE' });
      expect((await findJobs(setup.database.db, { dedupeKey: 'post:single' }))[0]!.state).toBe('pending');
      await single.sendEvent({ type: 'app_uninstalled' });
      expect((await findJobs(setup.database.db, { dedupeKey: 'post:single' }))[0]!.state).toBe('cancelled');
      expect(await installation(single.teamId)).toMatchObject({ bot_token: null, uninstalled_at: null, bot_user_id: 'U0BOT' });
    } finally {
      await single.close();
    }
  });
});

describe('key rotation', () => {
  test('a start with a new key and the old one in SLACK_TOKEN_ENCRYPTION_OLD_KEYS seals every stored token again with the new key', async () => {
    const newKey = randomBytes(32);
    const before = await setup.database.db
      .selectFrom('slack_installations')
      .selectAll()
      .where('bot_token', 'is not', null)
      .orderBy('id')
      .execute();
    const old = new TokenCipher(KEY);
    const plain = before.map((r) => old.open(r.bot_token!, r.id));
    const rotated = new TokenCipher(newKey, [KEY]);
    const lookup = new StoredInstallations({
      db: setup.database.db,
      clock: setup.rig.clock,
      log: silentLog,
      api: new SlackApi({ log: silentLog }),
      cipher: rotated,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    expect(await lookup.resealWithCurrentKey()).toBe(before.length);
    expect(await lookup.resealWithCurrentKey()).toBe(0);
    const after = await setup.database.db
      .selectFrom('slack_installations')
      .selectAll()
      .where('bot_token', 'is not', null)
      .orderBy('id')
      .execute();
    const onlyNew = new TokenCipher(newKey);
    expect(after.map((r) => onlyNew.open(r.bot_token!, r.id))).toEqual(plain);
    expect(after.filter((r) => r.bot_refresh_token).map((r) => onlyNew.needsResealing(r.bot_refresh_token!))).toEqual([false]);
  });
});

describe('the token cipher', () => {
  test('a new key seals, an old key still opens, and values sealed with the old key are found for sealing again', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealed = new TokenCipher(oldKey).seal('xoxb-secret', 'T1');
    const rotated = new TokenCipher(newKey, [oldKey]);
    expect(rotated.open(sealed, 'T1')).toBe('xoxb-secret');
    expect(rotated.needsResealing(sealed)).toBe(true);
    expect(rotated.needsResealing(rotated.seal('xoxb-secret', 'T1'))).toBe(false);
    expect(() => new TokenCipher(newKey).open(sealed, 'T1')).toThrow(
      'neither SLACK_TOKEN_ENCRYPTION_KEY nor one of SLACK_TOKEN_ENCRYPTION_OLD_KEYS',
    );
  });
});
