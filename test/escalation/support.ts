import { sql } from 'kysely';
import type { FormValues } from '../../src/core/form';
import { findJobs } from '../../src/storage/jobs-repository';
import type { TestDatabase } from '../support/database';
import { type Harness, WORKSPACE } from '../support/harness';
import type { Sent } from '../support/recording-platform';

/** Shared set-up for the escalation tests: a team, a clean slate, and ways to read what people see. */
export const TEAM = {
  alice: { displayName: 'Alice', timeZone: 'Europe/Berlin' },
  bob: { displayName: 'Bob', timeZone: 'Europe/Berlin' },
  carol: { displayName: 'Carol', timeZone: 'Europe/Berlin' },
  dave: { displayName: 'Dave', timeZone: 'America/New_York' },
  erin: { displayName: 'Erin', timeZone: 'Europe/Berlin' },
  frank: { displayName: 'Frank', timeZone: 'Europe/Berlin' },
};

/** Forgets everything a previous test in the file stored. */
export async function resetDatabase(database: TestDatabase): Promise<void> {
  await sql`truncate escalation_direct_messages, escalation_events, escalations, escalation_policies, escalation_settings, escalation_counters, escalation_drafts, jobs, recurring_rules, workspace_admins, people, workspaces, inbound_events, reported_problems, outbox, send_lanes restart identity cascade`.execute(
    database.db,
  );
}

export const GENERAL = 'test:C-general';
export const OPS = 'test:C-ops';
export { WORKSPACE };

export interface LevelSpec {
  readonly users?: readonly string[];
  readonly channel?: string;
  readonly rotation?: string;
  readonly wait?: string;
}

/** An admin creates a policy through the command and its form. */
export async function createPolicy(h: Harness, admin: string, name: string, levels: readonly LevelSpec[], repeat = 0): Promise<void> {
  await h.as(admin).command('escalate', `policy create ${name}`);
  const values: Record<string, FormValues[string]> = { name, repeat: String(repeat) };
  levels.forEach((level, i) => {
    const n = i + 1;
    values[`l${n}_users`] = [...(level.users ?? [])];
    if (level.channel) values[`l${n}_channel`] = level.channel;
    if (level.rotation) values[`l${n}_rotation`] = level.rotation;
    values[`l${n}_wait`] = level.wait ?? '15';
  });
  const outcome = await h.as(admin).submit(values);
  if (outcome?.status !== 'done') throw new Error(`policy form refused: ${JSON.stringify(outcome)}`);
}

/** Makes `admin` the workspace's first admin. */
export async function makeAdmin(h: Harness, admin: string): Promise<void> {
  await h.as(admin).command('steady', `admins add <@${admin}>`);
}

/** `/escalate <title>` then submit the form with these values (the rest as the form offers them). */
export async function raise(h: Harness, raiser: string, values: FormValues & { title: string }, where = GENERAL) {
  await h.as(raiser, where).command('escalate', `new ${values.title}`);
  return h.as(raiser, where).submit({ impact: 'The whole floor cannot print', ...values });
}

/** The card of an escalation as it looks now (its last post or update). */
export function card(h: Harness, reference: string): Sent {
  const posted = h.platform.sent.find((s) => s.op === 'post' && !s.threadOf && s.text.startsWith(`${reference} · `));
  if (!posted) throw new Error(`no card for ${reference}`);
  const updates = h.platform.sent.filter((s) => s.op === 'update' && s.to === posted.ref);
  return updates[updates.length - 1] ?? posted;
}

export function cardRef(h: Harness, reference: string): string {
  return h.platform.sent.find((s) => s.op === 'post' && !s.threadOf && s.text.startsWith(`${reference} · `))!.ref;
}

/** Replies posted under the card, in order. */
export function thread(h: Harness, reference: string): string[] {
  const ref = cardRef(h, reference);
  return h.platform.sent.filter((s) => s.threadOf === ref).map((s) => s.text);
}

/** Direct messages a person received. */
export function dms(h: Harness, user: string): Sent[] {
  return h.platform.sent.filter((s) => s.op === 'direct' && s.to === user);
}

/** The button with this label on a message. */
export function buttonOn(h: Harness, sent: Sent, label: string) {
  const found = h.buttonsOf(sent).find((b) => b.label === label);
  if (!found) throw new Error(`no button "${label}" on: ${sent.text}`);
  return found;
}

export async function pendingJobs(h: Harness, escalationId = '1') {
  return findJobs(h.database.db, { owner: `escalation:${escalationId}`, state: 'pending' });
}
