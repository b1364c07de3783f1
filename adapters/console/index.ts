import type { Readable, Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Platforms } from '../../src/core/platform';
import type { Steady } from '../../src/steady';
import { TerminalDisplay } from './console-display';
import { CONSOLE_WORKSPACE, ConsolePlatform } from './console-platform';
import { ConsoleSession, restoredConsoleInteraction, type SessionClock } from './console-session';
import { ConsoleDirectory } from './newcomers';

export { CONSOLE_WORKSPACE, ConsolePlatform } from './console-platform';
export { ConsoleClock } from './console-clock';
export { ConsoleSession } from './console-session';

/**
 * How the console's Steady runs its jobs: one at a time, in due order, so the terminal reads in the
 * order things happened and button numbers come out the same on every run.
 */
export const CONSOLE_SCHEDULER = { oneAtATime: true } as const;

export interface ConsoleIo {
  readonly input: Readable;
  readonly output: Writable;
  readonly ansi?: boolean;
  /** Repeat each line read (input piped from a script has no terminal to show it). */
  readonly echo?: boolean;
}

/**
 * The console in two steps, because the core and the platform need each other: `platform` is
 * registered (in `platforms`, when given) before the core is built, `session` is made from the core
 * once it exists. The composition root starts it through its descriptor (platform.ts).
 */
export function prepareConsole(io: ConsoleIo, platforms?: Platforms) {
  let steady: Steady | undefined;
  let session: ConsoleSession | undefined;
  const display = new TerminalDisplay(
    io.output,
    async (userId) => (steady && session ? steady.people.zoneOf(CONSOLE_WORKSPACE, userId ?? session.currentUser) : 'UTC'),
    io.ansi ?? false,
  );
  const platform = new ConsolePlatform(display);
  platforms?.register(platform);
  return {
    platform,
    session(core: Steady, options: { clock: SessionClock; log: Logger; user: string }): ConsoleSession {
      steady = core;
      core.kept.restoreWith('console', (kept) => restoredConsoleInteraction(core, kept));
      const directory = new ConsoleDirectory({ db: core.services.db, people: core.people, platform, clock: options.clock });
      session = new ConsoleSession({ input: io.input, display, steady: core, directory, ...(io.echo ? { echo: true } : {}), ...options });
      return session;
    },
  };
}
