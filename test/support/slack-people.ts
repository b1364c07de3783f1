import type { FakeUser } from './fake-slack';

// Slack user ids of the people the Slack tests meet; a team below says who each one is.
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const CAROL = 'U0CAROL';
export const DAVE = 'U0DAVE';
export const ERIN = 'U0ERIN';
export const AMY = 'U0AMY';
export const BEN = 'U0BEN';

/** Alice, Bob, Carol and Erin working from Berlin and Dave from New York: who raises, owns and administers escalations. */
export const BERLIN_TEAM = {
  [ALICE]: { name: 'alice', realName: 'Alice Adams', tz: 'Europe/Berlin' },
  [BOB]: { name: 'bob', realName: 'Bob Brown', tz: 'Europe/Berlin' },
  [CAROL]: { name: 'carol', realName: 'Carol Clark', tz: 'Europe/Berlin' },
  [DAVE]: { name: 'dave', realName: 'Dave Davis', tz: 'America/New_York' },
  [ERIN]: { name: 'erin', realName: 'Erin Evans', tz: 'Europe/Berlin' },
} satisfies Record<string, FakeUser>;

/** A stand-up team spread over the day: Amy in Tokyo, Ben in Chicago, Carol in London. */
export const TEAM_ACROSS_ZONES = {
  [AMY]: { name: 'amy', realName: 'Amy Abe', tz: 'Asia/Tokyo' },
  [BEN]: { name: 'ben', realName: 'Ben Bell', tz: 'America/Chicago' },
  [CAROL]: { name: 'carol', realName: 'Carol Cole', tz: 'Europe/London' },
} satisfies Record<string, FakeUser>;

/** These people of a team, in this order, as a rig's users. */
export function peopleOf<Id extends string>(team: Readonly<Record<Id, FakeUser>>, ...ids: readonly Id[]): Record<string, FakeUser> {
  return Object.fromEntries(ids.map((id) => [id, team[id]]));
}
