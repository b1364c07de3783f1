import { CONSOLE_SCHEDULER, prepareConsole } from '../../adapters/console';
import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { createSteady } from '../../src/steady';
import { silentLog, type TestDatabase } from './database';
import { capture, script } from './streams';

/**
 * A console session with Steady's own workflows, as `npm start` runs them, on a fake clock: the
 * lines are typed one after another and what the terminal showed comes back. `echo` shows each
 * line typed, as a script piped into `npm start` does.
 */
export async function runConsole(
  database: TestDatabase,
  lines: readonly string[],
  options: { readonly start: string; readonly user?: string; readonly echo?: boolean },
): Promise<string> {
  const clock = new FakeClock(options.start);
  const platforms = new Platforms();
  const output = capture();
  const parts = prepareConsole({ input: script(lines), output: output.stream, ...(options.echo ? { echo: true } : {}) }, platforms);
  const steady = createSteady({ db: database.db, clock, log: silentLog, platforms, scheduler: CONSOLE_SCHEDULER });
  await parts.session(steady, { clock, log: silentLog, user: options.user ?? 'you' }).run();
  return output.text();
}

/** Everything the console showed from the first `marker` on; fails the test when it was never shown. */
export function shownFrom(out: string, marker: string): string {
  const at = out.indexOf(marker);
  if (at < 0) throw new Error(`never shown: ${marker}\n${out}`);
  return out.slice(at);
}
