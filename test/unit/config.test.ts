import { PLATFORMS } from '../../adapters';
import { slackConfig, slackEnv } from '../../adapters/slack/settings';
import { teamsConfig, teamsEnv } from '../../adapters/teams/settings';
import { ConfigError, loadConfig as loadCoreConfig } from '../../src/config';
import { start } from '../../src/main';
import { capture, script } from '../support/streams';

/** The configuration as main.ts reads it: the core's variables and every platform's. */
const loadConfig = (env: Record<string, string>) => loadCoreConfig(env, PLATFORMS);
const running = (env: Record<string, string>) => loadConfig(env).platforms.map((p) => p.name);
/** How Slack and Teams would start (each adapter's own reading of its checked variables). */
const slackOf = (env: Record<string, string>) => slackConfig(slackEnv.parse(env), {});
const teamsOf = (env: Record<string, string>) => teamsConfig(teamsEnv.parse(env));

describe('configuration', () => {
  test('defaults: the console on PGlite under ./data, health server off', () => {
    const config = loadConfig({});
    expect(config.interactive).toBe(true);
    expect(config.platforms.map((p) => p.name)).toEqual(['console']);
    expect(config.database).toEqual({ engine: 'pglite', dataDir: './data' });
    expect(config.env).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', TICK_SECONDS: 5, HTTP: 'off' });
  });

  test('DATABASE_URL selects PostgreSQL; blank values count as unset', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://steady:pw@db:5432/steady', PORT: '  ' });
    expect(config.database).toEqual({
      engine: 'postgres',
      url: 'postgres://steady:pw@db:5432/steady',
      poolSize: 10,
      requestConnections: 5,
    });
    expect(config.env.PORT).toBe(3000);
  });

  test('every bad variable is named at once, with why, and secrets are not echoed', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        TICK_SECONDS: '0',
        DEFAULT_TIME_ZONE: 'Mars/Olympus',
        DATABASE_URL: 'mysql://root:hunter2@db/steady',
        SLACK_BOT_TOKEN: 'xoxb-secret-value',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = error!.problems.join('\n');
    for (const name of ['PORT', 'LOG_LEVEL', 'TICK_SECONDS', 'DEFAULT_TIME_ZONE', 'DATABASE_URL', 'SLACK_SIGNING_SECRET']) {
      expect(problems).toContain(name);
    }
    expect(problems).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(problems).toContain('SLACK_SIGNING_SECRET is required when the other Slack credential is set');
    expect(error!.message).not.toContain('hunter2');
    expect(error!.message).not.toContain('xoxb-secret-value');
    expect(error!.message).toMatch(/^Steady cannot start: 6 settings are wrong\./);
  });

  test('the delivery engine settings: defaults, bounds, and the retired batch size named with its replacement', () => {
    const { env } = loadConfig({});
    expect([env.JOB_CONCURRENCY, env.JOB_LEASE_SECONDS, env.JOB_RETENTION_DAYS, slackEnv.parse({}).SLACK_POSTS_PER_SECOND]).toEqual([
      32, 30, 14, 20,
    ]);
    expect(() => loadConfig({ JOB_CONCURRENCY: '0', JOB_LEASE_SECONDS: '5', JOB_BATCH_SIZE: '20' })).toThrow(ConfigError);
    try {
      loadConfig({ JOB_CONCURRENCY: '0', JOB_LEASE_SECONDS: '5', JOB_BATCH_SIZE: '20' });
    } catch (err) {
      const problems = (err as ConfigError).problems;
      expect(problems).toEqual([
        'JOB_CONCURRENCY must be a whole number from 1 to 1000 (got "0")',
        'JOB_LEASE_SECONDS must be a whole number from 10 to 3600 (got "5")',
        'JOB_BATCH_SIZE is no longer read: jobs are claimed as places free up; set JOB_CONCURRENCY (jobs run at once, default 32) instead',
      ]);
    }
  });

  test('Slack or Teams credentials turn the console off unless CONSOLE=on', () => {
    const slack = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh' });
    expect(slack.interactive).toBe(false);
    expect(slack.platforms.map((p) => p.name)).toEqual(['slack']);
    expect(slackOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh' })).toEqual({
      botToken: 'xoxb-1',
      signingSecret: 'abcdefgh',
      postsPerSecond: 20,
    });
    expect(running({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh', CONSOLE: 'on' })).toEqual(['slack', 'console']);
    const teams = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', MicrosoftAppTenantId: 'tenant' };
    expect(running(teams)).toEqual(['teams']);
    expect(teamsOf(teams)).toMatchObject({ appId: 'app', authenticated: true });
    expect(running({ ...teams, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abcdefgh', CONSOLE: 'off' })).toEqual(['slack', 'teams']);
  });

  test('a Teams bot is SingleTenant unless MicrosoftAppType says otherwise, and then needs its tenant id', () => {
    const teams = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' };
    expect(running({ ...teams, MicrosoftAppTenantId: 'tenant' })).toEqual(['teams']);
    expect(teamsOf({ ...teams, MicrosoftAppTenantId: 'tenant' })).toMatchObject({ appType: 'SingleTenant', tenantId: 'tenant' });
    expect(() => loadConfig(teams)).toThrow(
      /MicrosoftAppTenantId is required: MicrosoftAppType is SingleTenant unless set \(set MicrosoftAppType=MultiTenant/,
    );
    expect(running({ ...teams, MicrosoftAppType: 'MultiTenant' })).toEqual(['teams']);
    expect(teamsOf({ ...teams, MicrosoftAppType: 'MultiTenant' })).toMatchObject({ appType: 'MultiTenant' });
  });

  test('TEAMS_AUTH=off is refused unless the server listens on loopback', () => {
    expect(() => loadConfig({ TEAMS_AUTH: 'off' })).toThrow(/loopback/);
    expect(running({ TEAMS_AUTH: 'off', HOST: '127.0.0.1' })).toEqual(['teams']);
    expect(teamsOf({ TEAMS_AUTH: 'off' })).toMatchObject({ authenticated: false });
  });

  test('npm start with a bad configuration prints one message and exits with code 2', async () => {
    const stderr = capture();
    const stdout = capture();
    const running = await start({ env: { PORT: '-1', HTTP: 'maybe' }, stdin: script([]), stdout: stdout.stream, stderr: stderr.stream });
    expect(await running.done).toBe(2);
    expect(stderr.text()).toContain('Steady cannot start: 2 settings are wrong.');
    expect(stderr.text()).toContain('HTTP must be "on" or "off" (got "maybe")');
    expect(stdout.text()).toBe('');
  });
});
