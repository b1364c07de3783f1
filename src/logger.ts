import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

/**
 * pino JSON logs; pretty, on standard error, when a person is chatting in the terminal. Keys that
 * can hold credentials are censored wherever they appear; message bodies are never logged at info
 * (callers log them, if at all, at debug).
 */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'password',
  'secret',
  'signingSecret',
  'authorization',
  'cookie',
  'DATABASE_URL',
  'connectionString',
];

/** The keys above and a platform's secret variables (its descriptor's `secrets`), wherever they appear. */
function redactPaths(platformSecrets: readonly string[]): string[] {
  const keys = [...new Set([...SECRET_KEYS, ...platformSecrets])];
  return [
    ...keys,
    ...keys.map((k) => `*.${k}`),
    'headers.authorization',
    '*.headers.authorization',
    'req.headers.authorization',
    'req.headers.cookie',
  ];
}

export interface LoggerOptions {
  readonly level: string;
  /** Human-readable lines instead of JSON (the console adapter). */
  readonly pretty?: boolean;
  readonly destination?: DestinationStream;
  /** The scheduler's worker id (it names this process on job leases), so instances can be told apart. */
  readonly instance?: string;
  /** The platforms' secret variables, censored like the keys above. */
  readonly secretKeys?: readonly string[];
}

export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    // Every line says which machine (a container's or pod's name), process and scheduler instance
    // wrote it: with several replicas behind one address, that is how their logs are told apart.
    base: { app: 'steady', hostname: hostname(), pid: process.pid, ...(options.instance ? { instance: options.instance } : {}) },
    redact: { paths: redactPaths(options.secretKeys ?? []), censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.pretty) {
    return pino(base, pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY, ignore: 'pid,hostname,app,instance' }));
  }
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: false }));
}

export type { Logger };
