import { Writable } from 'node:stream';
import pino from 'pino';
import { Ticker } from '../../src/scheduler/ticker';

/**
 * node-cron warns when a beat comes late (a busy process). Its own logger prints coloured
 * `[NODE-CRON] [WARN]` lines straight to the terminal, into a console form or the JSON logs;
 * Steady's ticker sends them to its pino log at debug level instead.
 */
describe('the ticker', () => {
  const written: string[] = [];
  const spies: jest.SpyInstance[] = [];
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-07T09:00:00.500Z') });
    written.length = 0;
    for (const stream of [process.stdout, process.stderr]) {
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          written.push(String(chunk));
          return true;
        }),
      );
    }
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))));
    }
  });
  afterEach(() => {
    for (const s of spies.splice(0)) s.mockRestore();
    jest.useRealTimers();
  });

  test("a beat missed while the process was busy goes to Steady's log at debug level, nothing to the terminal", async () => {
    const lines: { level: number; msg: string; component?: string }[] = [];
    const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => done(void lines.push(JSON.parse(String(chunk)))) }));
    let beats = 0;
    const ticker = new Ticker(async () => void beats++, 1, log);
    ticker.start();
    await jest.advanceTimersByTimeAsync(1_000);
    const before = beats;
    // The process is busy for five seconds: the clock moves on, no timer fires meanwhile.
    jest.setSystemTime(Date.now() + 5_000);
    await jest.advanceTimersByTimeAsync(1_000);
    await ticker.stop();

    expect(before).toBeGreaterThan(0);
    expect(beats).toBeGreaterThan(before);
    const missed = lines.filter((l) => l.msg.includes('missed execution'));
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.every((l) => l.level === 20 && l.component === 'ticker')).toBe(true);
    expect(written.filter((w) => /NODE-CRON|missed execution/.test(w))).toEqual([]);
  });
});
