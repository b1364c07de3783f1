/** The people a fake Slack workspace knows, and how users.info describes them. */
export interface FakeApiUser {
  readonly id: string;
  readonly name: string;
  readonly realName: string;
  readonly tz: string;
  readonly deleted?: boolean;
}

/** `count` people with names and a spread of time zones: U00000001, U00000002, ... */
export function generateUsers(count: number, options: { zones?: readonly string[]; first?: number } = {}): FakeApiUser[] {
  const zones = options.zones ?? [
    'America/Los_Angeles',
    'America/New_York',
    'Europe/London',
    'Europe/Berlin',
    'Asia/Kolkata',
    'Asia/Tokyo',
    'Australia/Sydney',
    'UTC',
  ];
  const first = options.first ?? 1;
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    return { id: `U${String(n).padStart(8, '0')}`, name: `person${n}`, realName: `Person ${n}`, tz: zones[i % zones.length]! };
  });
}

export function userJson(user: FakeApiUser, teamId: string, now: number): Record<string, unknown> {
  return {
    id: user.id,
    team_id: teamId,
    name: user.name,
    real_name: user.realName,
    deleted: user.deleted ?? false,
    is_bot: false,
    tz: user.tz,
    tz_offset: zoneOffsetSeconds(user.tz, now),
    profile: { display_name: user.name, real_name: user.realName },
  };
}

/** Building a formatter costs far more than using one, and users.info may be called thousands of times. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset at `at`, as Slack's tz_offset gives it (it moves with daylight saving). */
function zoneOffsetSeconds(zone: string, at: number): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, format);
  }
  const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60) : 0;
}
