import type { Workflow } from '../../src/core/workflow';
import { useSlackRig } from '../support/use-slack-rig';

/**
 * Backpressure: an instance handles a bounded number of events at once; the others are kept and
 * wait their turn in arrival order, acknowledged at once, and their people are told they are
 * queued rather than left in silence. Past the queue's bound, a kept request is left to the
 * scheduler and a command that only reads is turned away with a sentence. One slot and a queue of
 * one here, and a command that holds its slot until released.
 */
const ANN = 'U0ANN';
const BEN = 'U0BEN';

let release: () => void = () => undefined;
const held = new Promise<void>((resolve) => (release = resolve));
const order: string[] = [];
const slowWorkflow: Workflow = {
  name: 'slow',
  readOnly: { slow: ['peek'] },
  commands: {
    slow: async (ctx, text) => {
      order.push(`start ${text}`);
      if (text === 'first') await held;
      order.push(`end ${text}`);
      await ctx.reply(`Done: ${text}.`);
    },
  },
};

const setup = useSlackRig({
  workflows: () => [slowWorkflow],
  requests: { concurrency: 1, maxQueued: 1, queuedNoticeMs: 0 },
  users: { [ANN]: { name: 'ann', realName: 'Ann Archer', tz: 'UTC' }, [BEN]: { name: 'ben', realName: 'Ben Brook', tz: 'UTC' } },
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

test('a command that finds every slot busy is told in its acknowledgement that it is queued, and handled in its turn; past the queue, it is left to the scheduler, and a look is turned away', async () => {
  const QUEUED = /^Steady is busy: this is saved and queued, and will be done in a moment \(reference \w+\)\.$/;
  expect(await setup.rig.as(ANN).command('/slow', 'first', { settle: false })).toEqual({ status: 200, text: '' });
  await until(() => order.includes('start first'));
  // Told at once, so the notice rides in the acknowledgement.
  expect(await setup.rig.as(BEN).command('/slow', 'second', { settle: false })).toMatchObject({
    status: 200,
    text: expect.stringContaining('Steady is busy'),
  });
  await until(() => setup.rig.privateTo(BEN).length === 1);
  expect(setup.rig.privateTo(BEN)).toEqual([expect.stringMatching(QUEUED)]);

  expect(await setup.rig.as(ANN).command('/slow', 'third', { settle: false })).toMatchObject({
    status: 200,
    text: expect.stringContaining('Steady is busy'),
  });
  await until(() => setup.rig.privateTo(ANN).length === 1);
  expect(setup.rig.privateTo(ANN)).toEqual([expect.stringMatching(QUEUED)]);
  // Turned away in Slack's acknowledgement itself, which Slack shows to the person who typed it.
  const peek = await setup.rig.as(BEN).command('/slow', 'peek', { settle: false });
  expect(peek.status).toBe(200);
  expect(peek.text).toMatch(
    /^Steady is too busy to answer this right now; nothing was changed\. Please try again in a minute \(reference \w+\)\.$/,
  );
  expect(setup.rig.privateTo(BEN)).toHaveLength(1);
  expect(order).toEqual(['start first']);

  release();
  await setup.rig.idle();
  expect(order).toEqual(['start first', 'end first', 'start second', 'end second']);
  // The third was left to the scheduler, due now: the next instance with room runs it.
  await setup.rig.advance(0);
  expect(order).toEqual(['start first', 'end first', 'start second', 'end second', 'start third', 'end third']);
  expect(setup.rig.privateTo(BEN).at(-1)).toBe('Done: second.');
  expect(setup.rig.privateTo(ANN).slice(-2)).toEqual(['Done: first.', 'Done: third.']);
});
