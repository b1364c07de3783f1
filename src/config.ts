import { z } from 'zod';
import { canonicalZone, isTimeZone } from './core/zoned-time';

/**
 * The whole environment Steady reads, in one schema. `.env.example` lists the same variables.
 * Values that are secrets are never echoed back in error messages or logs.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SECRETS = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_TOKEN_ENCRYPTION_KEY',
  'SLACK_TOKEN_ENCRYPTION_OLD_KEYS',
  'MicrosoftAppPassword',
  'DATABASE_URL',
  'METRICS_TOKEN',
]);

const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` })
    .default(fallback);

const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default(fallback);

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, { error: 'must be a PostgreSQL URL like postgres://user:password@host:5432/steady' })
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PORT: int(0, 65535, 3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Start the HTTP server (health checks) even when only the console runs. */
  HTTP: onOff('off'),
  /** When set, GET /metrics asks for `Authorization: Bearer <this>`. */
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, { error: 'must be 16 to 256 printable characters without spaces (e.g. from `openssl rand -hex 32`)' })
    .optional(),
  /** Where people reach this Steady in a browser; dashboard sign-in links start with it. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) address people reach Steady at, such as https://steady.example.com' })
    .refine((u) => !/[?#]/.test(u), { error: 'must be an address without ? or # (such as https://steady.example.com)' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  TICK_SECONDS: int(1, 60, 5),
  JOB_CONCURRENCY: int(1, 1000, 32),
  REQUEST_CONCURRENCY: int(1, 1000, 16),
  DATABASE_JOB_CONNECTIONS: int(1, 200, 10),
  DATABASE_REQUEST_CONNECTIONS: int(1, 200, 5),
  JOB_MAX_ATTEMPTS: int(1, 100, 8),
  JOB_LEASE_SECONDS: int(10, 3600, 30),
  JOB_RETENTION_DAYS: int(1, 3650, 14),
  SHUTDOWN_GRACE_SECONDS: int(0, 300, 10),
  DEFAULT_TIME_ZONE: z
    .string()
    .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin or America/New_York' })
    .transform((zone) => canonicalZone(zone)!)
    .default('UTC'),
  /** Workspace admins besides those added by command: `workspaceId/userId` or a bare user id, comma-separated. */
  STEADY_ADMINS: z
    .string()
    .regex(/^[^,\s]+(\s*,\s*[^,\s]+)*$/, { error: 'must be a comma-separated list such as slack:T0123/U0456,console:local/you' })
    .optional(),
  /** Console adapter: who you are when it starts. */
  CONSOLE_USER: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/i, { error: 'must be a short user name (letters, digits, . _ -)' })
    .default('you'),
  /** auto: the console runs when no platform is configured; on: always; off: never (a server with no platform yet). */
  CONSOLE: z.enum(['auto', 'on', 'off'], { error: 'must be auto, on or off' }).default('auto'),
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
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppType: z
    .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { error: 'must be MultiTenant, SingleTenant or UserAssignedMSI' })
    .optional(),
  MicrosoftAppTenantId: z.string().optional(),
  TEAMS_AUTH: onOff('on'),
});

/** Rules between variables, checked on the raw values so they are reported with the others. */
function crossProblems(env: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [...slackOAuthProblems(env)];
  const slackOAuth = SLACK_OAUTH.some((name) => env[name]);
  if (!slackOAuth && Boolean(env.SLACK_BOT_TOKEN) !== Boolean(env.SLACK_SIGNING_SECRET)) {
    const missing = env.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    problems.push(`${missing} is required when the other Slack credential is set`);
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET && !slackOAuth) {
    problems.push('SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN is set');
  }
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
  if (env.JOB_BATCH_SIZE !== undefined) {
    problems.push(
      'JOB_BATCH_SIZE is no longer read: jobs are claimed as places free up; set JOB_CONCURRENCY (jobs run at once, default 32) instead',
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

const SLACK_OAUTH = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_TOKEN_ENCRYPTION_KEY'] as const;

/** OAuth distribution needs all four of its variables and the signing secret, and excludes a single bot token. */
function slackOAuthProblems(env: Readonly<Record<string, string>>): string[] {
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

function isKey(text: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(text) && Buffer.from(text, 'base64').length === 32;
}

export type Env = z.output<typeof envSchema>;

export interface Config {
  readonly env: Env;
  readonly database:
    | { readonly engine: 'postgres'; readonly url: string; readonly poolSize: number; readonly requestConnections: number }
    | { readonly engine: 'pglite'; readonly dataDir: string | null };
  readonly slack:
    | {
        /** Single-token mode; absent with OAuth distribution. */
        readonly botToken?: string;
        readonly oauth?: SlackOAuthConfig;
        readonly signingSecret: string;
        readonly appToken?: string;
        readonly apiUrl?: string;
        readonly postsPerSecond: number;
      }
    | undefined;
  readonly teams:
    | {
        readonly appId?: string;
        readonly password?: string;
        readonly appType: string;
        readonly tenantId?: string;
        readonly authenticated: boolean;
      }
    | undefined;
  /** The terminal chat runs: CONSOLE=on, or CONSOLE=auto with no platform configured. */
  readonly console: boolean;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly admins: readonly string[];
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

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(
      [
        `Steady cannot start: ${problems.length === 1 ? 'one setting is wrong' : `${problems.length} settings are wrong`}.`,
        ...problems.map((p) => `  - ${p}`),
        'Fix them in the environment (or .env) and start again; .env.example describes every variable.',
      ].join('\n'),
    );
  }
}

/** Blank values in an env file mean "not set". */
function withoutBlanks(source: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  return out;
}

/** Reads and checks the environment; throws ConfigError naming every bad variable at once. */
export function loadConfig(source: Readonly<Record<string, string | undefined>>): Config {
  const raw = withoutBlanks(source);
  const parsed = envSchema.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const value = raw[name];
        const shown = value === undefined || SECRETS.has(name) ? '' : ` (got "${value.length > 60 ? `${value.slice(0, 57)}...` : value}")`;
        return `${name} ${issue.message}${shown}`;
      });
  problems.push(...crossProblems(raw));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  const oauth: SlackOAuthConfig | undefined =
    env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET && env.SLACK_TOKEN_ENCRYPTION_KEY
      ? {
          clientId: env.SLACK_CLIENT_ID,
          clientSecret: env.SLACK_CLIENT_SECRET,
          stateSecret: env.SLACK_STATE_SECRET,
          encryptionKey: env.SLACK_TOKEN_ENCRYPTION_KEY,
          oldEncryptionKeys: env.SLACK_TOKEN_ENCRYPTION_OLD_KEYS ? env.SLACK_TOKEN_ENCRYPTION_OLD_KEYS.split(',').map((k) => k.trim()) : [],
          ...(env.PUBLIC_URL ? { redirectUrl: `${env.PUBLIC_URL}/slack/oauth_redirect` } : {}),
        }
      : undefined;
  const slack =
    (env.SLACK_BOT_TOKEN || oauth) && env.SLACK_SIGNING_SECRET
      ? {
          ...(env.SLACK_BOT_TOKEN ? { botToken: env.SLACK_BOT_TOKEN } : {}),
          ...(oauth ? { oauth } : {}),
          signingSecret: env.SLACK_SIGNING_SECRET,
          ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
          ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
          postsPerSecond: env.SLACK_POSTS_PER_SECOND,
        }
      : undefined;
  const teamsEnabled = Boolean(env.MicrosoftAppId) || env.TEAMS_AUTH === 'off';
  const teams = teamsEnabled
    ? {
        ...(env.MicrosoftAppId ? { appId: env.MicrosoftAppId } : {}),
        ...(env.MicrosoftAppPassword ? { password: env.MicrosoftAppPassword } : {}),
        // Azure creates no new multi-tenant bots: a registration made today is single-tenant.
        appType: env.MicrosoftAppType ?? 'SingleTenant',
        ...(env.MicrosoftAppTenantId ? { tenantId: env.MicrosoftAppTenantId } : {}),
        authenticated: env.TEAMS_AUTH === 'on',
      }
    : undefined;
  const consoleMode = env.CONSOLE === 'on' || (env.CONSOLE === 'auto' && !slack && !teams);
  return {
    env,
    database: env.DATABASE_URL
      ? {
          engine: 'postgres',
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_JOB_CONNECTIONS,
          requestConnections: env.DATABASE_REQUEST_CONNECTIONS,
        }
      : { engine: 'pglite', dataDir: env.DATA_DIR === ':memory:' ? null : env.DATA_DIR },
    slack,
    teams,
    console: consoleMode,
    logLevel: env.LOG_LEVEL ?? (consoleMode ? 'warn' : 'info'),
    admins: env.STEADY_ADMINS ? env.STEADY_ADMINS.split(',').map((a) => a.trim()) : [],
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
