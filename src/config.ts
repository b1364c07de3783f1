import { z } from 'zod';
import type { ConfiguredPlatform, PlatformModule, RawEnv } from './adapter';
import { canonicalZone, isTimeZone } from './core/zoned-time';

/**
 * The core's variables, in one schema; each platform adds its own (PlatformDescriptor.env), checked
 * in the same pass. `.env.example` lists them all. Values that are secrets are never echoed back in
 * error messages or logs.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const CORE_SECRETS = ['DATABASE_URL', 'METRICS_TOKEN'];

/** A whole number within bounds, with a default (for a platform's variables too). */
export const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` })
    .default(fallback);

/** "on" or "off", with a default. */
export const onOff = (fallback: 'on' | 'off') => z.enum(['on', 'off'], { error: 'must be "on" or "off"' }).default(fallback);

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
    .regex(/^[^,\s]+(\s*,\s*[^,\s]+)*$/, {
      error: 'must be a comma-separated list such as console:local/you,console:local/ann (workspace id/user id)',
    })
    .optional(),
});

/** Rules between variables, checked on the raw values so they are reported with the others. */
function crossProblems(env: RawEnv): string[] {
  const problems: string[] = [];
  if (env.JOB_BATCH_SIZE !== undefined) {
    problems.push(
      'JOB_BATCH_SIZE is no longer read: jobs are claimed as places free up; set JOB_CONCURRENCY (jobs run at once, default 32) instead',
    );
  }
  return problems;
}

export type Env = z.output<typeof envSchema>;

export interface Config {
  readonly env: Env;
  readonly database:
    | { readonly engine: 'postgres'; readonly url: string; readonly poolSize: number; readonly requestConnections: number }
    | { readonly engine: 'pglite'; readonly dataDir: string | null };
  /** The platforms that run, in the order of the list given to loadConfig. */
  readonly platforms: readonly ConfiguredPlatform[];
  /** One of them chats in this terminal (the console): jobs run after each line, logs are for a person. */
  readonly interactive: boolean;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly admins: readonly string[];
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
function withoutBlanks(source: Readonly<Record<string, string | undefined>>): RawEnv {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  return out;
}

/**
 * Reads and checks the environment: the core's variables, then each platform's (its schema and its
 * rules); throws one ConfigError naming every bad variable at once.
 */
export function loadConfig(source: Readonly<Record<string, string | undefined>>, platforms: readonly PlatformModule[] = []): Config {
  const raw = withoutBlanks(source);
  const secrets = new Set([...CORE_SECRETS, ...platforms.flatMap((p) => p.secrets)]);
  const described = (issues: readonly z.core.$ZodIssue[]) =>
    issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const value = raw[name];
      const shown = value === undefined || secrets.has(name) ? '' : ` (got "${value.length > 60 ? `${value.slice(0, 57)}...` : value}")`;
      return `${name} ${issue.message}${shown}`;
    });
  const parsed = envSchema.safeParse(raw);
  const problems = parsed.success ? [] : described(parsed.error.issues);
  const configured: ConfiguredPlatform[] = [];
  for (const platform of platforms) {
    const read = platform.read(raw);
    if (read.ok) configured.push(read.platform);
    else problems.push(...described(read.issues));
  }
  problems.push(...crossProblems(raw), ...platforms.flatMap((p) => p.problems?.(raw) ?? []));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  // Terminal platforms decide last, knowing which others run (the console runs when nothing else does).
  const servers = configured.filter((p) => !p.module.terminal && p.enabled([]));
  const running = servers.map((p) => p.name);
  const terminals = configured.filter((p) => p.module.terminal && p.enabled(running));
  const enabled = configured.filter((p) => servers.includes(p) || terminals.includes(p));
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
    platforms: enabled,
    interactive: terminals.length > 0,
    logLevel: env.LOG_LEVEL ?? (terminals.length > 0 ? 'warn' : 'info'),
    admins: env.STEADY_ADMINS ? env.STEADY_ADMINS.split(',').map((a) => a.trim()) : [],
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
