import { platformModule } from '../../src/adapter';
import { slackConfig, slackEnv, slackProblems, SLACK_SECRETS } from './settings';
import { slackMigrations } from './storage/migrations';

/**
 * Slack, as the composition root sees it. Bolt and the rest of the adapter load only when Slack is
 * configured (`create`): they are large, and the console needs neither.
 */
export const slackPlatform = platformModule({
  name: 'slack',
  env: slackEnv,
  secrets: SLACK_SECRETS,
  sdk: ['@slack/'],
  problems: slackProblems,
  enabled: (env) => slackConfig(env, {}) !== undefined,
  async create(context) {
    const config = slackConfig(context.env, context.core);
    if (!config) throw new Error('Slack is not configured');
    // require, not import(): this is CommonJS, and the module should load only now.
    const { createSlackAdapter } = require('./index') as typeof import('./index');
    return createSlackAdapter(config, context);
  },
  migrations: slackMigrations,
  incidentalTables: ['slack_installations'],
});
