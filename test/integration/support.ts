import { sql } from 'kysely';
import type { FormValues } from '../../src/core/form';
import type { Button } from '../../src/core/message';
import type { TestDatabase } from '../support/database';
import { Harness, WORKSPACE } from '../support/harness';
import type { Sent } from '../support/recording-platform';

/**
 * Shared set-up for tests where Steady's real workflows meet: one team, a clean slate, and ways to
 * read what people were sent. Unlike each workflow's own tests, nothing here is faked but the
 * platform and the clock.
 */
export const TEAM = {
  alice: { displayName: 'Alice', timeZone: 'Europe/Berlin' },
  bob: { displayName: 'Bob', timeZone: 'Europe/Berlin' },
  carol: { displayName: 'Carol', timeZone: 'Europe/Berlin' },
  dave: { displayName: 'Dave', timeZone: 'Europe/London' },
  erin: { displayName: 'Erin', timeZone: 'Europe/Berlin' },
  eve: { displayName: 'Eve', timeZone: 'Europe/Berlin' },
};

export const GENERAL = 'test:C-general';
export const OPS = 'test:C-ops';
export const TEAM_CHANNEL = 'test:C-team';
export { WORKSPACE };

/** Steady with every real workflow, on this database, at this instant. */
export function steadyAt(database: TestDatabase, start: string): Harness {
  return new Harness(database, { start, people: TEAM });
}

/** Forgets everything a previous test in the file stored (the migrations stay). */
export async function resetDatabase(database: TestDatabase): Promise<void> {
  const tables = await sql<{
    tablename: string;
  }>`select tablename from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(database.db);
  const list = tables.rows.map((t) => sql.id(t.tablename));
  await sql`truncate ${sql.join(list)} restart identity cascade`.execute(database.db);
}

/** The rotation form's values for three shifts a day in Berlin from Tuesday 1 Dec 2026, overridable field by field. */
export function rotationValues(overrides: FormValues = {}): FormValues {
  return {
    name: 'Ops',
    members: ['alice', 'bob', 'carol'],
    shifts: '07:00-15:00, 15:00-23:00, 23:00-07:00',
    days: ['1', '2', '3', '4', '5', '6', '7'],
    zone: 'Europe/Berlin',
    start: '2026-12-01',
    channel: OPS,
    lead: '30m',
    timeout: '15m',
    supervisor: 'eve',
    ...overrides,
  };
}

/** `/handoff rotation create` and its form, as `by`. */
export async function createRotation(h: Harness, by: string, overrides: FormValues = {}): Promise<void> {
  await h.as(by, OPS).command('handoff', 'rotation create');
  const outcome = await h.as(by, OPS).submit(rotationValues(overrides));
  if (outcome?.status !== 'done') throw new Error(`rotation form refused: ${JSON.stringify(outcome)}`);
}

/** Direct messages a person received, in order (not the updates of them). */
export function dms(h: Harness, user: string): Sent[] {
  return h.platform.sent.filter((s) => s.op === 'direct' && s.to === user);
}

/** What a person or conversation was sent since a mark in the record of sends, updates left out. */
export function since(h: Harness, mark: number, target: string): string[] {
  return h.platform.sent
    .slice(mark)
    .filter((s) => s.to === target && s.op !== 'update')
    .map((s) => s.text);
}

/** The button with this label on the last message sent to `target` that has one. */
export function lastButton(h: Harness, target: string, label: string): Button {
  const sent = [...h.platform.sent].reverse().find((s) => s.to === target && h.buttonsOf(s).some((b) => b.label === label));
  if (!sent) throw new Error(`no "${label}" button sent to ${target}`);
  return h.buttonsOf(sent).find((b) => b.label === label)!;
}

/** The message as it reads now: its last update, else the post. */
export function current(h: Harness, sent: Sent): Sent {
  const updates = h.platform.sent.filter((s) => s.op === 'update' && s.ref === sent.ref);
  return updates[updates.length - 1] ?? sent;
}
