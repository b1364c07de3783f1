import { z } from 'zod';
import { platformModule } from '../../src/adapter';
import { ConsoleClock } from './console-clock';
import { CONSOLE_SCHEDULER, prepareConsole } from './index';
import { consoleMigrations } from './storage/migrations';

/** The console's variables; `.env.example` describes them. */
const consoleEnv = z.object({
  /** Who you are when it starts. */
  CONSOLE_USER: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/i, { error: 'must be a short user name (letters, digits, . _ -)' })
    .default('you'),
  /** auto: the console runs when no platform is configured; on: always; off: never (a server with no platform yet). */
  CONSOLE: z.enum(['auto', 'on', 'off'], { error: 'must be auto, on or off' }).default('auto'),
});

/** The terminal chat, as the composition root sees it: it runs when asked to, or when no other platform does. */
export const consolePlatform = platformModule({
  name: 'console',
  env: consoleEnv,
  secrets: [],
  enabled: (env, running) => env.CONSOLE === 'on' || (env.CONSOLE === 'auto' && running.length === 0),
  async create(context) {
    const { clock } = context;
    if (!(clock instanceof ConsoleClock)) throw new Error('the console runs on its own clock (its terminal.clock)');
    const parts = prepareConsole(context.terminal);
    const session = parts.session(context.steady, { clock, log: context.log, user: context.env.CONSOLE_USER });
    return { platform: parts.platform, session };
  },
  migrations: consoleMigrations,
  incidentalTables: ['console_channels'],
  terminal: { clock: (db) => ConsoleClock.open(db), ...CONSOLE_SCHEDULER },
});
