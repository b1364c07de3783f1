import { z } from 'zod';
import type { CoreSettings, RawEnv } from '../../src/adapter';
import { int } from '../../src/config';
import { OAUTH_REDIRECT_PATH } from './app-config';

/** The Slack adapter's variables; `.env.example` describes them. */
export const slackEnv = z.object({
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, { error: 'must be a bot token starting with xoxb-' })
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, { error: 'must be the signing secret from the Slack app settings' }).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, { error: 'must be an app-level token starting with xapp-' })
    .optional(),
  SLACK_API_URL: z.url({ error: 'must be a URL such as https://slack.com/api/' }).optional(),
  // Slack OAuth distribution (instead of SLACK_BOT_TOKEN): installs in any workspace or Grid org, tokens kept encrypted.
  SLACK_CLIENT_ID: z
    .string()
    .regex(/^\d+\.\d+$/, { error: 'must be the Client ID from the Slack app\'s "Basic Information" page (digits, a dot, digits)' })
    .optional(),
  SLACK_CLIENT_SECRET: z
    .string()
    .regex(/^[0-9a-f]{16,64}$/i, { error: 'must be the Client Secret from the Slack app\'s "Basic Information" page' })
    .optional(),
  SLACK_STATE_SECRET: z.string().min(16, { error: 'must be at least 16 random characters (e.g. from `openssl rand -hex 32`)' }).optional(),
  SLACK_TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine(isKey, { error: 'must be 32 random bytes in base64 (e.g. from `openssl rand -base64 32`)' })
    .optional(),
  /** Keys that sealed tokens before the current one: they still open them until all are sealed again. */
  SLACK_TOKEN_ENCRYPTION_OLD_KEYS: z
    .string()
    .refine((v) => v.split(',').every((k) => isKey(k.trim())), {
      error: 'must be a comma-separated list of earlier keys, each 32 bytes in base64',
    })
    .optional(),
  /** Slack's workspace-wide ceiling for chat.postMessage is not published: Steady paces itself to this, and a 429 slows it further. */
  SLACK_POSTS_PER_SECOND: int(1, 1000, 20),
});

export type SlackEnv = z.output<typeof slackEnv>;

export const SLACK_SECRETS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_TOKEN_ENCRYPTION_KEY',
  'SLACK_TOKEN_ENCRYPTION_OLD_KEYS',
] as const;

/** How the Slack adapter starts. */
export interface SlackConfig {
  /** Single-token mode; absent with OAuth distribution. */
  readonly botToken?: string;
  readonly oauth?: SlackOAuthConfig;
  readonly signingSecret: string;
  readonly appToken?: string;
  readonly apiUrl?: string;
  readonly postsPerSecond: number;
}

export interface SlackOAuthConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly stateSecret: string;
  /** Base64, 32 bytes each. */
  readonly encryptionKey: string;
  readonly oldEncryptionKeys: readonly string[];
  /** PUBLIC_URL + /slack/oauth_redirect when PUBLIC_URL is set; else Slack uses the app's only redirect URL. */
  readonly redirectUrl?: string;
}

const SLACK_OAUTH = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_ENCRYPTION_KEY'] as const;

/** Rules between the Slack variables, on the raw values. */
export function slackProblems(env: RawEnv): string[] {
  const problems: string[] = [...slackOAuthProblems(env)];
  const slackOAuth = SLACK_OAUTH.some((name) => env[name]);
  if (!slackOAuth && Boolean(env.SLACK_BOT_TOKEN) !== Boolean(env.SLACK_SIGNING_SECRET)) {
    const missing = env.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    problems.push(`${missing} is required when the other Slack credential is set`);
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET && !slackOAuth) {
    problems.push('SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN is set');
  }
  return problems;
}

/** OAuth distribution needs all four of its variables and the signing secret, and excludes a single bot token. */
function slackOAuthProblems(env: RawEnv): string[] {
  const set = SLACK_OAUTH.filter((name) => env[name]);
  if (set.length === 0)
    return env.SLACK_TOKEN_ENCRYPTION_OLD_KEYS
      ? ['SLACK_TOKEN_ENCRYPTION_KEY is required when SLACK_TOKEN_ENCRYPTION_OLD_KEYS is set']
      : [];
  const problems = SLACK_OAUTH.filter((name) => !env[name]).map(
    (name) => `${name} is required for Slack OAuth distribution (${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set)`,
  );
  if (!env.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET is required for Slack OAuth distribution');
  if (env.SLACK_BOT_TOKEN)
    problems.push(
      'SLACK_BOT_TOKEN cannot be set with Slack OAuth distribution: choose one workspace with SLACK_BOT_TOKEN, or installs through /slack/install with SLACK_CLIENT_ID',
    );
  return problems;
}

/** How Slack starts, from its checked variables; undefined when it is not configured. */
export function slackConfig(env: SlackEnv, core: Pick<CoreSettings, 'publicUrl'>): SlackConfig | undefined {
  const oauth: SlackOAuthConfig | undefined =
    env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET && env.SLACK_TOKEN_ENCRYPTION_KEY
      ? {
          clientId: env.SLACK_CLIENT_ID,
          clientSecret: env.SLACK_CLIENT_SECRET,
          stateSecret: env.SLACK_STATE_SECRET,
          encryptionKey: env.SLACK_TOKEN_ENCRYPTION_KEY,
          oldEncryptionKeys: env.SLACK_TOKEN_ENCRYPTION_OLD_KEYS ? env.SLACK_TOKEN_ENCRYPTION_OLD_KEYS.split(',').map((k) => k.trim()) : [],
          ...(core.publicUrl ? { redirectUrl: `${core.publicUrl}${OAUTH_REDIRECT_PATH}` } : {}),
        }
      : undefined;
  if (!(env.SLACK_BOT_TOKEN || oauth) || !env.SLACK_SIGNING_SECRET) return undefined;
  return {
    ...(env.SLACK_BOT_TOKEN ? { botToken: env.SLACK_BOT_TOKEN } : {}),
    ...(oauth ? { oauth } : {}),
    signingSecret: env.SLACK_SIGNING_SECRET,
    ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
    ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
    postsPerSecond: env.SLACK_POSTS_PER_SECOND,
  };
}

function isKey(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text) && Buffer.from(text, 'base64').length === 32;
}
