import { PlatformError } from '../../src/core/errors';
import { claimDueJobs } from '../../src/storage/jobs-repository';
import { byRecipient } from '../support/by-recipient';
import { openTestDatabase, type TestDatabase } from '../support/database';
import type { Harness } from '../support/harness';
import { handoffHarness, resetHandoffs, rotationValues } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => resetHandoffs(database));

const sends = (...harnesses: Harness[]) =>
  harnesses.flatMap((h) => h.platform.sent.filter((s) => s.op !== 'update').map((s) => `${s.to}|${s.text}`));
const firstLines = (all: string[]) => all.map((s) => s.split('\n')[0]!);

describe('every step is durable', () => {
  test('a restart mid-chain, with a job held by the instance that died, neither loses nor repeats a message', async () => {
    const first = handoffHarness(database, '2026-11-30T22:00:00Z');
    const h1 = first.h;
    await h1.as('eve', 'test:C-ops').command('handoff', 'rotation create');
    await h1.as('eve').submit(rotationValues());
    await h1.advance('2026-12-01T13:35:00Z');
    await h1.as('alice').command('handoff', 'note');
    await h1.as('alice').submit({ status: 'steady', section1: 'Written before the crash.' });
    // At 15:00 the first instance claims the due steps, then dies before running them.
    h1.clock.set('2026-12-01T14:00:00Z');
    const { jobs: claimed } = await claimDueJobs(
      database.db,
      { worker: 'dead-instance', token: 'dead-instance.1', now: h1.clock.now(), until: new Date('2026-12-01T14:02:00Z') },
      50,
    );
    expect(claimed.map((j) => j.kind).sort()).toEqual(['handoff.chase', 'handoff.post', 'handoff.start']);
    await h1.steady.scheduler.stop();

    // A new instance on the same database takes over once the lease runs out.
    const { h: h2 } = handoffHarness(database, '2026-12-01T14:00:30Z');
    await h2.advance('2026-12-01T14:01:59Z');
    expect(h2.sentTo('bob')).toEqual([]);
    // (Ticking at the very instant the lease ends would find nothing claimable: the claim wants it past.)
    h2.clock.set('2026-12-01T14:02:01Z');
    await h2.tick();
    expect(h2.sentTo('bob')).toEqual([expect.stringContaining('Written before the crash.')]);
    await h2.advance('2026-12-02T07:00:00Z');

    const all = sends(h1, h2);
    expect(new Set(all).size).toBe(all.length);
    const welcome = (shift: string) =>
      `@eve added you to the Ops rotation: 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin. Your first shift: Tue, 1 Dec 2026, ${shift}.`;
    expect(byRecipient(firstLines(sends(h1)), '|')).toEqual({
      'test:C-ops': [
        'Handoff notes of the Ops rotation will be posted here. 07:00-15:00, 15:00-23:00, 23:00-07:00, every day in Europe/Berlin · members @alice, @bob, @carol · notes to the channel · supervisor @eve',
      ],
      alice: [welcome('07:00 CET–15:00 CET'), 'Handoff due: Ops'],
      bob: [welcome('15:00 CET–23:00 CET')],
      carol: [welcome('23:00 CET–07:00 CET')],
    });
    // After the restart.
    expect(byRecipient(firstLines(sends(h2)), '|')).toEqual({
      'test:C-ops': ['Handoff · Ops'],
      bob: [
        'Handoff · Ops',
        'Please confirm the Ops handoff from @alice: it reached you at 15:02 CET and is not confirmed yet.',
        'Handoff due: Ops',
        'Your Ops shift ended at 23:00 CET and there is no handoff note yet. @carol is waiting for it: please write it now.',
      ],
      carol: [
        "Your Ops shift started at 23:00 CET. @bob hasn't written the handoff note yet; I have asked for it and will send it to you as soon as it is written.",
        'Handoff due: Ops',
        'Your Ops shift ended at 07:00 CET and there is no handoff note yet. @alice is waiting for it: please write it now.',
      ],
      alice: [
        "Your Ops shift started at 07:00 CET. @carol hasn't written the handoff note yet; I have asked for it and will send it to you as soon as it is written.",
      ],
      eve: ['Handoff not confirmed: Ops', 'Handoff note missing: Ops', 'Handoff note missing: Ops'],
    });
  });

  test('a delivery that fails half-way is retried without repeating the half that worked', async () => {
    const { h } = handoffHarness(database, '2026-11-30T22:00:00Z');
    await h.as('eve', 'test:C-ops').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.advance('2026-12-01T13:35:00Z');
    await h.as('alice').command('handoff', 'note');
    await h.as('alice').submit({ status: 'steady', section1: 'Half and half.' });
    h.platform.failures.set('bob', new PlatformError('UNAVAILABLE', 'the platform is down'));
    await h.advance('2026-12-01T14:00:00Z');
    expect(h.sentTo('test:C-ops').filter((t) => t.startsWith('Handoff ·'))).toHaveLength(1);
    expect(h.sentTo('bob').filter((t) => t.startsWith('Handoff'))).toEqual([]);
    h.platform.failures.delete('bob');
    await h.advance('2026-12-01T14:10:00Z');
    expect(h.sentTo('test:C-ops').filter((t) => t.startsWith('Handoff ·'))).toHaveLength(1);
    expect(h.sentTo('bob').filter((t) => t.startsWith('Handoff ·'))).toHaveLength(1);
  });

  test('a channel the bot cannot post in is reported to the supervisor once; the incoming person still gets the note', async () => {
    const { h } = handoffHarness(database, '2026-11-30T22:00:00Z');
    await h.as('eve', 'test:C-ops').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    h.platform.failures.set('test:C-ops', new PlatformError('PERMISSION', 'not_in_channel'));
    for (const [writer, end] of [
      ['alice', '2026-12-01T14:00:00Z'],
      ['bob', '2026-12-01T22:00:00Z'],
    ] as const) {
      await h.advance(new Date(new Date(end).getTime() - 20 * 60_000).toISOString());
      await h.as(writer).command('handoff', 'note');
      await h.as(writer).submit({ status: 'steady', section1: `From ${writer}.` });
      await h.advance(end);
    }
    expect(h.sentTo('bob').filter((t) => t.startsWith('Handoff ·'))).toHaveLength(1);
    expect(h.sentTo('carol').filter((t) => t.startsWith('Handoff ·'))).toHaveLength(1);
    expect(h.sentTo('eve').filter((t) => t.startsWith('I could not'))).toEqual([
      'I could not post the Ops handoff notes in the handoff channel. Invite me to it, or choose another with /handoff rotation edit Ops.',
    ]);
  });

  test('a transfer refused for one escalation does not stop the others, and is shown', async () => {
    const { h, escalations } = handoffHarness(database, '2026-11-30T22:00:00Z');
    escalations.add('alice', 'ESC-7', 'Gone by then', '2026-12-02T09:00:00Z');
    escalations.add('alice', 'ESC-8', 'Still open', '2026-12-02T09:00:00Z');
    escalations.refuse.add('1');
    await h.as('eve', 'test:C-ops').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.advance('2026-12-01T13:40:00Z');
    await h.as('alice').command('handoff', 'note');
    await h.as('alice').submit({ status: 'steady', section1: 'Two open.' });
    await h.advance('2026-12-01T14:01:00Z');
    const confirm = h.buttonsOf(h.platform.sent.filter((s) => s.to === 'bob').at(-1)!)[0]!;
    await h.as('bob').press(confirm);
    await h.tick();
    expect(escalations.transfers.map((t) => t.escalationId)).toEqual(['2']);
    expect(h.platform.sent.filter((s) => s.op === 'update').at(-1)!.text).toContain(
      'Confirmed by @bob at 15:01 CET. Handed over: ESC-8. Not handed over: ESC-7 (That escalation is already resolved.).',
    );
    expect(h.sentTo('alice').at(-1)).toBe('@bob confirmed your Ops handoff at 15:01 CET. ESC-8 is now theirs.');
  });

  test('a partner workflow that cannot answer leaves its part out of the note form, not the note', async () => {
    const { h, escalations } = handoffHarness(database, '2026-11-30T22:00:00Z');
    escalations.openOwnedBy = () => Promise.reject(new Error('escalations are down'));
    await h.as('eve', 'test:C-ops').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.advance('2026-12-01T13:40:00Z');
    expect(h.sentTo('alice').at(-1)).toContain('Handoff due: Ops');
    await h.as('alice').command('handoff', 'note');
    expect(h.lastForm('alice')!.fields.map((f) => f.id)).toEqual(['status', 'section1', 'section2', 'section3', 'section4']);
    expect(await h.as('alice').submit({ status: 'steady', section1: 'Without escalations.' })).toEqual({ status: 'done' });
  });

  test('a note for a shift change that is long over is refused', async () => {
    const { h } = handoffHarness(database, '2026-11-30T22:00:00Z');
    await h.as('eve', 'test:C-ops').command('handoff', 'rotation create');
    await h.as('eve').submit(rotationValues());
    await h.advance('2026-12-01T13:40:00Z');
    const write = h.buttonsOf(h.platform.sent.filter((s) => s.to === 'alice').at(-1)!)[0]!;
    await h.advance('2026-12-01T22:00:00Z');
    await h.as('alice').press(write);
    expect(h.repliesTo('alice').at(-1)).toBe('That Ops shift change is over: the shift it handed to has ended.');
    await h.as('alice').command('handoff', 'note');
    expect(h.repliesTo('alice').at(-1)).toContain('You have no handoff note to write now');
  });
});
