import { platformModule } from '../../src/adapter';
import { teamsConfig, teamsEnv, teamsProblems, TEAMS_SECRETS } from './settings';
import { teamsMigrations } from './storage/migrations';

/**
 * Microsoft Teams, as the composition root sees it. teams-ai and botbuilder load only when Teams is
 * configured (`create`): they are large, and the console needs neither.
 */
export const teamsPlatform = platformModule({
  name: 'teams',
  env: teamsEnv,
  secrets: TEAMS_SECRETS,
  sdk: ['@microsoft/', 'botbuilder', 'botframework-'],
  problems: teamsProblems,
  enabled: (env) => teamsConfig(env) !== undefined,
  async create(context) {
    const config = teamsConfig(context.env);
    if (!config) throw new Error('Teams is not configured');
    // require, not import(): this is CommonJS, and the module should load only now.
    const { createTeamsAdapter } = require('./index') as typeof import('./index');
    return createTeamsAdapter(config, { ...context, host: context.core.host });
  },
  migrations: teamsMigrations,
  incidentalTables: ['teams_conversations', 'teams_members', 'teams_forms'],
});
