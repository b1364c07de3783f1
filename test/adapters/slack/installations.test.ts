import { FakeClock } from '../../../src/core/clock';
import { SingleTokenInstallation, tokenFingerprint } from '../../../adapters/slack/installations';
import { SlackApi } from '../../../adapters/slack/slack-api';
import { openTestDatabase, rows, silentLog, type TestDatabase } from '../../support/database';
import { BOT_TOKEN, FakeSlack } from '../../support/fake-slack';

let database: TestDatabase;
let slack: FakeSlack;
beforeAll(async () => {
  database = await openTestDatabase();
  slack = await FakeSlack.start();
});
afterAll(async () => {
  await slack.close();
  await database.close();
});

const verify = (token = BOT_TOKEN) =>
  SingleTokenInstallation.verify({
    api: new SlackApi({ apiUrl: slack.apiUrl, log: silentLog }),
    db: database.db,
    clock: new FakeClock('2026-11-30T08:00:00Z'),
    log: silentLog,
    token,
    retryDelayMs: 10,
  });

describe('the installation lookup (single bot token)', () => {
  test('serves its own team only, inbound and outbound', async () => {
    const lookup = await verify();
    expect(await lookup.admit('T0STEADY', undefined)).toMatchObject({ teamId: 'T0STEADY', botUserId: 'U0BOT', botToken: BOT_TOKEN });
    expect(await lookup.admit('T0OTHER', undefined)).toBeUndefined();
    expect(await lookup.admit(undefined, undefined)).toBeUndefined();
    expect(await lookup.forWorkspace('T0OTHER')).toBeUndefined();
    const [row] = await rows(database.db, 'slack_installations');
    expect(row).toMatchObject({ id: 'T0STEADY', token_fingerprint: tokenFingerprint(BOT_TOKEN), is_enterprise_install: false });
  });

  test('an org-wide (Enterprise Grid) install serves the teams of its organisation, and keeps the enterprise id', async () => {
    slack.team = { id: 'T0GRID', name: 'Grid Org', enterpriseId: 'E0ACME', enterpriseInstall: true };
    slack.validTokens.add('xoxb-org-wide');
    try {
      const lookup = await verify('xoxb-org-wide');
      expect(await lookup.admit('T0ANYTEAM', 'E0ACME')).toMatchObject({ enterpriseId: 'E0ACME', isEnterpriseInstall: true });
      expect(await lookup.admit('T0ANYTEAM', 'E0OTHER')).toBeUndefined();
      expect(await lookup.admit('T0ANYTEAM', undefined)).toBeUndefined();
      const row = await database.db.selectFrom('slack_installations').selectAll().where('id', '=', 'E0ACME').executeTakeFirst();
      expect(row).toMatchObject({ enterprise_id: 'E0ACME', is_enterprise_install: true, team_id: null });
    } finally {
      slack.team = { id: 'T0STEADY', name: 'Acme Ops', enterpriseId: undefined, enterpriseInstall: false };
    }
  });

  test('when Slack cannot be reached at start, the installation recorded for the same token is used', async () => {
    await verify();
    slack.failNext('auth.test', { status: 503 }, { status: 503 }, { status: 503 });
    const lookup = await verify();
    expect(await lookup.admit('T0STEADY', undefined)).toMatchObject({ botUserId: 'U0BOT' });
    expect(slack.callsOf('auth.test').length).toBeGreaterThanOrEqual(3);

    slack.failNext('auth.test', { status: 503 }, { status: 503 }, { status: 503 });
    slack.validTokens.add('xoxb-never-seen');
    await expect(verify('xoxb-never-seen')).rejects.toThrow('Could not check SLACK_BOT_TOKEN with Slack: Slack auth.test: HTTP 503');
  });
});
