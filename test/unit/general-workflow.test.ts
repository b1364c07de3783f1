import { richTextsOf } from '../../src/core/message';
import { plainText } from '../../src/core/rich-text';
import { helpMessage } from '../../src/people/general-workflow';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { Harness } from '../support/harness';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('/steady', () => {
  test("tz shows, sets and validates a person's zone; help lists the commands; home has a fallback", async () => {
    const h = new Harness(database, { people: { ann: { displayName: 'Ann', timeZone: 'America/Chicago' } } });
    const ann = h.as('ann');
    await ann.command('steady', 'tz');
    await ann.command('steady', 'tz Pacific/Auckland');
    await ann.command('steady', 'tz Atlantis/Central');
    await ann.command('steady', 'help');
    await ann.command('steady', 'home');
    const [shown, set, refused, help, home] = h.repliesTo('ann');
    expect(shown).toBe('Your time zone is America/Chicago. It is now Mon, 30 Nov 2026, 02:00 CST for you.');
    expect(set).toBe('Your time zone is now Pacific/Auckland. It is Mon, 30 Nov 2026, 21:00 GMT+13 for you.');
    expect(refused).toContain('"Atlantis/Central" is not a time zone I know');
    expect(help).toContain('/steady tz [zone]');
    expect(home).toContain('Nothing needs you right now');
    expect(await h.steady.people.zoneOf('test:W1', 'ann')).toBe('Pacific/Auckland');
  });

  test("a long help comes in several sections, each far within a platform's limit for one block, every line in order", () => {
    const lines = Array.from({ length: 40 }, (_, i) => `/steady thing${i}: ${'does something useful '.repeat(6).trim()}`);
    const texts = richTextsOf(helpMessage(lines)).map(plainText);
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text.length).toBeLessThan(1_500);
    expect(texts.join('\n')).toBe(['Steady commands', ...lines.map((line) => `• ${line}`)].join('\n'));
  });
});
