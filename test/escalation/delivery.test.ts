import { PlatformError } from '../../src/core/errors';
import { findJobs } from '../../src/storage/jobs-repository';
import { openTestDatabase, rows, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import { OPS, TEAM, card, createPolicy, dms, makeAdmin, raise, resetDatabase } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await resetDatabase(database);
});

async function withPolicy() {
  const h = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
  await makeAdmin(h, 'erin');
  await createPolicy(h, 'erin', 'Ops', [{ users: ['carol'], channel: OPS, wait: '15' }]);
  await h.as('erin').command('escalate', 'policy default Ops');
  return h;
}

describe('delivery', () => {
  test('a rate-limited page is retried after the time the platform asks for, arrives once, and the wait costs no attempt', async () => {
    const h = await withPolicy();
    h.platform.failures.set('carol', new PlatformError('RATE_LIMITED', 'ratelimited', { retryAfterMs: 30_000 }));
    await raise(h, 'alice', { title: 'Printer down', owner: 'bob' });
    expect(dms(h, 'carol')).toEqual([]);
    await h.advance(29_000);
    expect(dms(h, 'carol')).toEqual([]);
    h.platform.failures.delete('carol');
    await h.advance(60_000);
    expect(dms(h, 'carol').map((s) => s.text.split('\n')[0])).toEqual([
      'ESC-1 needs someone to acknowledge it. You are on level 1 of 1 of Ops.',
    ]);
    const [page] = await findJobs(database.db, { kind: 'escalation.page', dedupeKey: 'esc:1:run:1:step:0:page:u:carol' });
    expect(page).toMatchObject({ state: 'done', attempts: 1, lastError: 'test asked to slow down' });
  });

  test('a channel the bot cannot post in is reported once to whoever last saved the policy, until it works again; the rest goes on', async () => {
    const h = await withPolicy();
    h.platform.failures.set(OPS, new PlatformError('PERMISSION', 'not in channel', { platformCode: 'not_in_channel' }));
    await raise(h, 'alice', { title: 'Printer down', owner: 'bob' });
    await raise(h, 'alice', { title: 'Scanner down', owner: 'bob' });
    expect(dms(h, 'carol')).toHaveLength(2);
    const reports = dms(h, 'erin').map((s) => s.text);
    expect(reports).toEqual([
      'Steady could not deliver something about ESC-1 (Printer down): a page to the channel (permission: not in channel). Check that Steady is in that conversation and may write there; the escalation itself is kept, see /escalate show ESC-1. You are told once until a delivery there works again.',
    ]);
    await h.advance(3_600_000);
    expect(dms(h, 'erin')).toHaveLength(1);
    // Once the channel works again, a new failure there is reported again.
    h.platform.failures.delete(OPS);
    await raise(h, 'alice', { title: 'Fax down', owner: 'bob' });
    h.platform.failures.set(OPS, new PlatformError('PERMISSION', 'not in channel'));
    await raise(h, 'alice', { title: 'Phone down', owner: 'bob' });
    expect(dms(h, 'erin').map((s) => s.text.split(':')[0])).toEqual([
      'Steady could not deliver something about ESC-1 (Printer down)',
      'Steady could not deliver something about ESC-4 (Phone down)',
    ]);
    expect((await findJobs(database.db, { kind: 'escalation.page', state: 'failed' })).map((j) => j.attempts)).toEqual([1, 1, 1]); // permanent: not retried
  });

  test('a card that cannot be posted: the raiser is told, the escalation carries on without it', async () => {
    const h = await withPolicy();
    h.platform.failures.set('test:C-private', new PlatformError('NOT_FOUND', 'channel not found', { platformCode: 'channel_not_found' }));
    await raise(h, 'alice', { title: 'Printer down', owner: 'bob', channel: 'test:C-private' });
    expect(dms(h, 'alice').map((s) => s.text)).toEqual([
      'Steady could not deliver something about ESC-1 (Printer down): its card in the channel (not found: channel not found). Check that Steady is in that conversation and may write there; the escalation itself is kept, see /escalate show ESC-1. You are told once until a delivery there works again.',
    ]);
    expect(dms(h, 'bob')).toHaveLength(1);
    expect(dms(h, 'carol')).toHaveLength(1);
    await h.as('bob').command('escalate', 'update ESC-1 on it');
    await h.advance(3_600_000);
    expect((await rows(database.db, 'escalations'))[0]).toMatchObject({ card_ref: null, card_failed: true });
    // Thread replies have no card to go under: they are dropped, not retried for ever.
    expect(await findJobs(database.db, { kind: 'escalation.notify', state: 'pending' })).toEqual([]);
    await h.as('bob').command('escalate', 'show ESC-1');
    expect(h.repliesTo('bob').at(-1)).toContain('Update from @bob: on it');
    expect(() => card(h, 'ESC-1')).toThrow();
  });
});
