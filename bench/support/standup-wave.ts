import { createHmac } from 'node:crypto';
import type { Db } from '../../db/schema';
import { DEFAULT_QUESTIONS } from '../../src/standup/model';
import { ensureWorkspace } from '../../src/storage/people-repository';
import { insertStandup } from '../../src/storage/standup/standups-repository';
import type { FakeApiUser } from '../../test/support/fake-slack-api';

export const TEAM = 'T0STEADY';
export const SIGNING_SECRET = 'soak-signing-secret-0123456789';
export const STANDUP_CHANNEL = 'C0STANDUP';

/**
 * A stand-up with many participants, stored as if it had been set up a while ago through the form
 * (people known with their zones, participants with their rules' zones), so the wave is what a
 * Monday morning sends: one prompt to each.
 */
export async function storeStandup(db: Db, users: readonly FakeApiUser[], name = 'Wave'): Promise<string> {
  const workspaceId = `slack:${TEAM}`;
  const now = new Date();
  await ensureWorkspace(db, workspaceId, 'slack', now);
  for (let from = 0; from < users.length; from += 1_000) {
    await db
      .insertInto('people')
      .values(
        users.slice(from, from + 1_000).map((u) => ({
          workspace_id: workspaceId,
          user_id: u.id,
          display_name: u.name,
          time_zone: u.tz,
          time_zone_source: 'platform' as const,
          is_bot: false,
          deleted: false,
          refreshed_at: now,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
      .execute();
  }
  const id = await insertStandup(db, {
    workspaceId,
    creatorId: users[0]!.id,
    now,
    settings: {
      name,
      channel: `slack:${TEAM}:${STANDUP_CHANNEL}`,
      participants: users.map((u) => u.id),
      questions: DEFAULT_QUESTIONS,
      days: [1, 2, 3, 4, 5],
      time: '09:30',
      zoneMode: 'participant',
      fixedZone: null,
      // The wave is the prompts alone: no reminder follows within it.
      reminderMinutes: 0,
      cutoffMinutes: 180,
      holidays: [],
      adminIds: [],
    },
  });
  for (let from = 0; from < users.length; from += 1_000) {
    await db
      .insertInto('standup_participants')
      .values(users.slice(from, from + 1_000).map((u) => ({ standup_id: id, user_id: u.id, rule_zone: u.tz, joined_at: now })))
      .execute();
  }
  return id;
}

/** `/standup now <name>` as Slack sends it, signed; resolves with Slack's HTTP status. */
export async function askEveryoneNow(port: number, creator: string, name = 'Wave'): Promise<number> {
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: TEAM,
    team_domain: 'acme',
    channel_id: STANDUP_CHANNEL,
    channel_name: 'standup',
    user_id: creator,
    user_name: creator,
    command: '/standup',
    text: `now ${name}`,
    api_app_id: 'A0STEADY',
    response_url: `http://127.0.0.1:${port}/nowhere`,
    trigger_id: 'trigger-wave',
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  });
  await res.text();
  return res.status;
}

/** The environment of one Steady instance on this database, talking to this fake Slack. */
export function instanceEnv(args: {
  databaseUrl: string;
  apiUrl: string;
  postsPerSecond: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    DATABASE_URL: args.databaseUrl,
    SLACK_BOT_TOKEN: 'xoxb-fake-token-1',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: args.apiUrl,
    SLACK_POSTS_PER_SECOND: String(args.postsPerSecond),
    HOST: '127.0.0.1',
    PORT: '0',
    CONSOLE: 'off',
    LOG_LEVEL: 'error',
    TICK_SECONDS: '1',
    ...args.extra,
  };
}
