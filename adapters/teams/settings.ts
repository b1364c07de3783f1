import { z } from 'zod';
import type { RawEnv } from '../../src/adapter';
import { isLoopback, onOff } from '../../src/config';

/** The Teams adapter's variables (the Bot Framework's own names); `.env.example` describes them. */
export const teamsEnv = z.object({
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { error: 'must be MultiTenant, SingleTenant or UserAssignedMSI' })
    .optional(),
  MicrosoftAppTenantId: z.string().optional(),
  TEAMS_AUTH: onOff('on'),
});

export type TeamsEnv = z.output<typeof teamsEnv>;

export const TEAMS_SECRETS = ['MicrosoftAppPassword'] as const;

/** How the Teams adapter starts. */
export interface TeamsConfig {
  readonly appId?: string;
  readonly password?: string;
  readonly appType: string;
  readonly tenantId?: string;
  readonly authenticated: boolean;
}

/** Rules between the Teams variables (and the core's HOST), on the raw values. */
export function teamsProblems(env: RawEnv): string[] {
  const problems: string[] = [];
  if (env.MicrosoftAppId && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
    problems.push('MicrosoftAppPassword is required when MicrosoftAppId is set');
  }
  if (env.MicrosoftAppId && (env.MicrosoftAppType ?? 'SingleTenant') === 'SingleTenant' && !env.MicrosoftAppTenantId) {
    problems.push(
      env.MicrosoftAppType
        ? 'MicrosoftAppTenantId is required for a SingleTenant app'
        : 'MicrosoftAppTenantId is required: MicrosoftAppType is SingleTenant unless set (set MicrosoftAppType=MultiTenant for an existing multi-tenant bot registration)',
    );
  }
  if (env.TEAMS_AUTH === 'off' && env.MicrosoftAppId) {
    problems.push('TEAMS_AUTH cannot be off when MicrosoftAppId is set');
  }
  if (env.TEAMS_AUTH === 'off' && !isLoopback(env.HOST ?? '0.0.0.0')) {
    problems.push(`TEAMS_AUTH=off is only allowed when HOST is a loopback address such as 127.0.0.1 (got "${env.HOST ?? '0.0.0.0'}")`);
  }
  return problems;
}

/** How Teams starts, from its checked variables; undefined when it is not configured. */
export function teamsConfig(env: TeamsEnv): TeamsConfig | undefined {
  if (!env.MicrosoftAppId && env.TEAMS_AUTH !== 'off') return undefined;
  return {
    ...(env.MicrosoftAppId ? { appId: env.MicrosoftAppId } : {}),
    ...(env.MicrosoftAppPassword ? { password: env.MicrosoftAppPassword } : {}),
    // Azure creates no new multi-tenant bots: a registration made today is single-tenant.
    appType: env.MicrosoftAppType ?? 'SingleTenant',
    ...(env.MicrosoftAppTenantId ? { tenantId: env.MicrosoftAppTenantId } : {}),
    authenticated: env.TEAMS_AUTH === 'on',
  };
}
