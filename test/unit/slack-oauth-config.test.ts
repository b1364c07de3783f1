import { PLATFORMS } from '../../adapters';
import { slackConfig, slackEnv } from '../../adapters/slack/settings';
import { ConfigError, loadConfig as loadCoreConfig } from '../../src/config';

const loadConfig = (env: Record<string, string>) => loadCoreConfig(env, PLATFORMS);
/** How Slack would start: its adapter's own reading of the checked variables. */
const slackOf = (env: Record<string, string>) => {
  const { env: core } = loadConfig(env);
  return slackConfig(slackEnv.parse(env), core.PUBLIC_URL ? { publicUrl: core.PUBLIC_URL } : {});
};

/** Slack OAuth distribution's variables: all or none, never with a single bot token. */
const KEY = Buffer.alloc(32, 7).toString('base64');
const OLD_KEY = Buffer.alloc(32, 9).toString('base64');
const OAUTH = {
  SLACK_CLIENT_ID: '1234567890.0987654321',
  SLACK_CLIENT_SECRET: '0123456789abcdef0123456789abcdef',
  SLACK_STATE_SECRET: 'a-long-random-state-secret',
  SLACK_TOKEN_ENCRYPTION_KEY: KEY,
  SLACK_SIGNING_SECRET: 'signing-secret-123',
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('Slack OAuth distribution settings', () => {
  test('all four variables and the signing secret select OAuth mode, with the redirect URL from PUBLIC_URL', () => {
    const env = { ...OAUTH, SLACK_TOKEN_ENCRYPTION_OLD_KEYS: ` ${OLD_KEY} `, PUBLIC_URL: 'https://steady.example.com/' };
    const config = loadConfig(env);
    const slack = slackOf(env);
    expect(slack).toMatchObject({
      signingSecret: 'signing-secret-123',
      oauth: {
        clientId: '1234567890.0987654321',
        encryptionKey: KEY,
        oldEncryptionKeys: [OLD_KEY],
        redirectUrl: 'https://steady.example.com/slack/oauth_redirect',
      },
    });
    expect(slack?.botToken).toBeUndefined();
    expect(config.platforms.map((p) => p.name)).toEqual(['slack']);
    expect(config.interactive).toBe(false);
  });

  test('a half configuration names each missing variable, and OAuth with a bot token is refused', () => {
    expect(problems({ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID, SLACK_TOKEN_ENCRYPTION_KEY: KEY })).toEqual([
      'SLACK_CLIENT_SECRET is required for Slack OAuth distribution (SLACK_CLIENT_ID, SLACK_TOKEN_ENCRYPTION_KEY are set)',
      'SLACK_STATE_SECRET is required for Slack OAuth distribution (SLACK_CLIENT_ID, SLACK_TOKEN_ENCRYPTION_KEY are set)',
      'SLACK_SIGNING_SECRET is required for Slack OAuth distribution',
    ]);
    expect(problems({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      expect.stringContaining('SLACK_BOT_TOKEN cannot be set with Slack OAuth distribution'),
    ]);
    expect(problems({ SLACK_TOKEN_ENCRYPTION_OLD_KEYS: OLD_KEY })).toEqual([
      'SLACK_TOKEN_ENCRYPTION_KEY is required when SLACK_TOKEN_ENCRYPTION_OLD_KEYS is set',
    ]);
  });

  test('bad values are named with how to fix them, and no secret is echoed', () => {
    const found = problems({
      ...OAUTH,
      SLACK_CLIENT_ID: 'my-app',
      SLACK_TOKEN_ENCRYPTION_KEY: 'c2hvcnQ=',
      SLACK_STATE_SECRET: 'short',
      SLACK_TOKEN_ENCRYPTION_OLD_KEYS: `${OLD_KEY},nope`,
    });
    expect(found).toEqual([
      'SLACK_CLIENT_ID must be the Client ID from the Slack app\'s "Basic Information" page (digits, a dot, digits) (got "my-app")',
      'SLACK_STATE_SECRET must be at least 16 random characters (e.g. from `openssl rand -hex 32`)',
      'SLACK_TOKEN_ENCRYPTION_KEY must be 32 random bytes in base64 (e.g. from `openssl rand -base64 32`)',
      'SLACK_TOKEN_ENCRYPTION_OLD_KEYS must be a comma-separated list of earlier keys, each 32 bytes in base64',
    ]);
  });

  test('single-token mode is as before', () => {
    expect(slackOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'signing-secret-123' })).toMatchObject({
      botToken: 'xoxb-1',
    });
    expect(problems({ SLACK_SIGNING_SECRET: 'signing-secret-123' })).toEqual([
      'SLACK_BOT_TOKEN is required when the other Slack credential is set',
    ]);
  });
});
