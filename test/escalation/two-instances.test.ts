import { connectDatabase, type DatabaseConnection } from '../../src/storage/database';
import { onPostgres, openTestDatabase, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';
import type { Sent } from '../support/recording-platform';
import { TEAM, createPolicy, makeAdmin } from './support';

// PGlite is one connection: two instances claiming at once can only be shown on a real server.
const describeOnPostgres = onPostgres ? describe : describe.skip;

describeOnPostgres('two instances sharing one PostgreSQL database', () => {
  let database: TestDatabase;
  let second: DatabaseConnection;
  beforeAll(async () => {
    database = await openTestDatabase();
    second = await connectDatabase({ engine: 'postgres', url: database.url! });
  });
  afterAll(async () => {
    await second.close();
    await database.close();
  });

  test('ticking together, they send every page, reminder and chase of 20 escalations exactly once', async () => {
    const a = new Harness(database, { start: '2026-11-30T09:00:00Z', people: TEAM });
    const b = new Harness({ ...database, db: second.db }, { start: '2026-11-30T09:00:00Z', people: TEAM });
    await makeAdmin(a, 'erin');
    await createPolicy(a, 'erin', 'Ops', [
      { users: ['carol'], wait: '10' },
      { users: ['dave'], wait: '10' },
      { users: ['frank'], wait: '10' },
    ]);
    await a.as('erin').command('escalate', 'policy default Ops');
    for (let i = 1; i <= 20; i++) await (i % 2 ? a : b).as('alice').command('escalate', `new Thing ${i}`);
    for (let i = 1; i <= 20; i++) {
      const h = i % 2 ? a : b;
      await h.as('alice').submit({ impact: 'x', owner: 'bob', severity: 'SEV1' }, h.forms.get('alice')![Math.floor((i - 1) / 2)]);
    }
    // Every minute for three hours, both instances tick at once.
    for (let minute = 1; minute <= 180; minute++) {
      const at = new Date(Date.parse('2026-11-30T09:00:00Z') + minute * 60_000);
      a.clock.set(at);
      b.clock.set(at);
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    }
    const direct = (s: Sent) => s.op === 'direct';
    const sent = [...a.platform.sent, ...b.platform.sent].filter(direct).map((s) => `${s.to}: ${s.text.split('\n')[0]}`);
    const count = (prefix: string) => sent.filter((s) => s.startsWith(prefix)).length;
    for (const who of ['carol', 'dave', 'frank']) expect(count(`${who}: ESC-`)).toBe(20);
    expect(new Set(sent).size).toBe(sent.length);
    // Each of bob's escalations: owner message, "nobody acknowledged", reminder, overdue, and a chase at 11:00 and 12:00.
    expect(count('bob: ')).toBe(20 * 6);
    expect(count('alice: Nobody acknowledged')).toBe(20);
    // Each card posted once.
    const cards = [...a.platform.sent, ...b.platform.sent].filter((s) => s.op === 'post' && !s.threadOf && /^ESC-\d+ · /.test(s.text));
    expect(cards).toHaveLength(20);
  });
});
