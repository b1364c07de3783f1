import { PassThrough } from 'node:stream';
import { start } from '../../../src/main';
import { onPostgres, openTestDatabase, type TestDatabase } from '../../support/database';
import { BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, FakeSlack } from '../../support/fake-slack';
import { SIGNING_SECRET, slackSignature } from '../../support/slack-rig';

/** Steady started as `npm start` starts it, with the Slack variables set, Slack played by the fake. */
let slack: FakeSlack;
let database: TestDatabase | undefined;
beforeAll(async () => {
  slack = await FakeSlack.start();
  slack.users.set('U0ALICE', { name: 'alice', tz: 'Europe/Berlin' });
  // On PostgreSQL, a database of this file's own; on PGlite, one in memory.
  if (onPostgres) database = await openTestDatabase({ migrate: false });
});
afterAll(async () => {
  await slack.close();
  await database?.close();
});

function io(env: Record<string, string>) {
  const stderr = new PassThrough();
  let errors = '';
  stderr.on('data', (chunk) => (errors += String(chunk)));
  return {
    io: {
      env: {
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        ...(database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: ':memory:' }),
        ...env,
      },
      stdin: new PassThrough(),
      stdout: process.stdout,
      stderr,
    },
    errors: () => errors,
  };
}

describe('npm start with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET', () => {
  test('serves Slack on /slack/events of the one HTTP server, the console off', async () => {
    const { io: startIo } = io({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl });
    const running = await start(startIo);
    try {
      expect(running.httpPort).toBeGreaterThan(0);
      const body = new URLSearchParams({
        team_id: slack.team.id,
        channel_id: 'C0GENERAL',
        user_id: 'U0ALICE',
        command: '/steady',
        text: 'help',
        response_url: slack.responseUrl('main-1'),
        trigger_id: 'trigger-main-1',
      }).toString();
      const res = await fetch(`http://127.0.0.1:${running.httpPort}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...slackSignature(body) },
        body,
      });
      expect(res.status).toBe(200);
      // Help is ready at once, so it rides in the acknowledgement.
      expect(await res.text()).toContain('Steady commands');
      expect((await fetch(`http://127.0.0.1:${running.httpPort}/healthz`)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });

  test('a token Slack refuses stops start-up with a sentence that says what to do', async () => {
    const { io: startIo } = io({ SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl });
    await expect(start(startIo)).rejects.toThrow(
      'Slack refused SLACK_BOT_TOKEN (invalid_auth). Copy the Bot User OAuth Token (xoxb-…) from the app\'s "OAuth & Permissions" page.',
    );
  });
});

describe('npm start with the Slack OAuth distribution variables', () => {
  test('serves the install page, whose link sends people back to PUBLIC_URL/slack/oauth_redirect', async () => {
    const { io: startIo } = io({
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: 'state-secret-0123456789abcdef',
      SLACK_TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PUBLIC_URL: 'https://steady.example.com',
    });
    const running = await start(startIo);
    try {
      const page = await fetch(`http://127.0.0.1:${running.httpPort}/slack/install`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Add to Slack');
      const link = new URL(html.match(/href="([^"]+)"/)![1]!.replace(/&amp;/g, '&'));
      expect(link.searchParams.get('redirect_uri')).toBe('https://steady.example.com/slack/oauth_redirect');
      expect(link.searchParams.get('scope')).toContain('chat:write');
    } finally {
      await running.stop();
    }
  });
});
