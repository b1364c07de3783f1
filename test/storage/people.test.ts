import { FakeClock } from '../../src/core/clock';
import { Platforms } from '../../src/core/platform';
import { PeopleDirectory } from '../../src/people/people-directory';
import { WorkspaceAdmins } from '../../src/people/workspace-admins';
import { openTestDatabase, silentLog, type TestDatabase } from '../support/database';
import { RecordingPlatform } from '../support/recording-platform';
import { Harness, WORKSPACE } from '../support/harness';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('people, admins and problem reports', () => {
  test('a zone the person chose wins over the platform, and profiles are refreshed after their expiry', async () => {
    const clock = new FakeClock('2026-11-30T08:00:00Z');
    const platform = new RecordingPlatform('test', { ann: { displayName: 'Ann', timeZone: 'America/Chicago' } });
    const platforms = new Platforms();
    platforms.register(platform);
    const people = new PeopleDirectory({ db: database.db, platforms, clock, log: silentLog, defaultTimeZone: 'UTC', ttlMs: 3_600_000 });
    const ann = { workspaceId: 'test:W1', userId: 'ann' };
    await people.noticed(ann);
    expect(await people.zoneOf('test:W1', 'ann')).toBe('America/Chicago');
    await people.setTimeZone(ann, 'Europe/Lisbon');
    // The platform still says Chicago, and the profile is refreshed: the person's choice stays.
    clock.advance(2 * 3_600_000);
    platform.people.ann = { displayName: 'Ann B.', timeZone: 'America/Chicago' };
    expect(await people.get('test:W1', 'ann')).toMatchObject({ displayName: 'Ann B.', timeZone: 'Europe/Lisbon', hasOwnTimeZone: true });
    // Teams-style reported zones do not override it either.
    await people.noticed(ann, 'Asia/Tokyo');
    expect(await people.zoneOf('test:W1', 'ann')).toBe('Europe/Lisbon');
    // Someone the platform does not know is not a person of the workspace.
    expect(await people.get('test:W1', 'ghost')).toBeUndefined();
  });

  test('admins: configured, added by command, and the first one while there are none', async () => {
    const admins = new WorkspaceAdmins(database.db, new FakeClock('2026-11-30T08:00:00Z'), ['test:W2/root', 'globaladmin']);
    expect(await admins.isAdmin({ workspaceId: 'test:W2', userId: 'root' })).toBe(true);
    expect(await admins.isAdmin({ workspaceId: 'test:W9', userId: 'globaladmin' })).toBe(true);
    expect(await admins.mayManage({ workspaceId: 'test:W2', userId: 'bob' })).toEqual({ allowed: false, bootstrap: false });

    const open = new WorkspaceAdmins(database.db, new FakeClock('2026-11-30T08:00:00Z'), []);
    const carol = { workspaceId: 'test:W3', userId: 'carol' };
    expect(await open.mayManage(carol)).toEqual({ allowed: true, bootstrap: true });
    expect(await open.add(carol, 'carol')).toBe(true);
    expect(await open.add(carol, 'carol')).toBe(false);
    expect(await open.mayManage({ workspaceId: 'test:W3', userId: 'dave' })).toEqual({ allowed: false, bootstrap: false });
    expect(await open.list('test:W3')).toEqual([{ userId: 'carol', source: 'command' }]);
    expect(await open.remove(carol, 'carol')).toBe(true);
  });

  test('a problem is reported once per key, and again after it was resolved', async () => {
    const h = new Harness(database);
    const { problems } = h.steady.services;
    const report = async () => {
      const reported = await problems.reportOnce({
        key: 'standup:1:channel',
        workspaceId: WORKSPACE,
        userId: 'owner',
        text: 'I cannot post in #ops.',
      });
      await h.tick();
      return reported;
    };
    expect(await report()).toBe(true);
    expect(await report()).toBe(false);
    expect(h.sentTo('owner')).toEqual(['I cannot post in #ops.']);
    await problems.resolved('standup:1:channel');
    h.clock.advance(1_000);
    expect(await report()).toBe(true);
    expect(h.sentTo('owner')).toHaveLength(2);
  });
});
