import { person } from './fake-teams-activities';

// The people the Teams tests meet; a file whose story needs someone elsewhere spells the change
// against these (`{ ...BERLIN_TEAM.bob, zone: 'America/New_York' }`).

/** Alice and Bob working from Berlin: who raises, owns and administers escalations. */
export const BERLIN_TEAM = {
  alice: person('alice', { name: 'Alice Adams', zone: 'Europe/Berlin' }),
  bob: person('bob', { name: 'Bob Brown', zone: 'Europe/Berlin' }),
};

/** A stand-up team spread over the day: Amy in Tokyo, Ben in Chicago, Carol in London. */
export const TEAM_ACROSS_ZONES = {
  amy: person('amy', { name: 'Amy Abe', zone: 'Asia/Tokyo' }),
  ben: person('ben', { name: 'Ben Bell', zone: 'America/Chicago' }),
  carol: person('carol', { name: 'Carol Cole', zone: 'Europe/London' }),
};
