import { createHash } from 'node:crypto';

/**
 * Keys that make Slack's repeats harmless: the dispatcher handles each key once (in the database,
 * so every instance agrees). Slack repeats in three ways:
 * - the Events API re-sends an event it thinks failed, with the same `event_id` (Socket Mode too,
 *   without the retry headers);
 * - a person double-clicks a button: two payloads, each with its own `action_ts` and trigger id;
 * - a modal is submitted twice before it closes: the same view, hash and values.
 */
export function eventKey(eventId: string): string {
  return `slack:event:${eventId}`;
}

export function commandKey(teamId: string, triggerId: string): string {
  return `slack:command:${teamId}:${digest(triggerId)}`;
}

export function viewSubmissionKey(viewId: string, hash: string | undefined, values: unknown): string {
  return `slack:view:${viewId}:${hash ?? ''}:${digest(JSON.stringify(values))}`;
}

/** Presses of one button by one person closer together than this are one press. */
export const DOUBLE_CLICK_WINDOW_MS = 3000;

/**
 * Two keys for a button press, on two grids of DOUBLE_CLICK_WINDOW_MS offset by half a window.
 * Presses less than half a window apart share a cell of at least one grid, wherever they fall, so
 * claiming both keys catches every double click; presses a whole window apart share none, so
 * pressing again later still works.
 */
export function buttonPressKeys(press: {
  readonly teamId: string;
  readonly userId: string;
  /** The message ts or view id the button is in. */
  readonly container: string;
  readonly actionId: string;
  readonly value: string;
  /** Slack's action_ts, seconds with a fraction. */
  readonly actionTs: string;
}): readonly [string, string] {
  const at = Math.round(Number(press.actionTs) * 1000);
  const base = `slack:press:${press.teamId}:${press.userId}:${digest(`${press.container}\n${press.actionId}\n${press.value}`)}`;
  const cellA = Math.floor(at / DOUBLE_CLICK_WINDOW_MS);
  const cellB = Math.floor((at + DOUBLE_CLICK_WINDOW_MS / 2) / DOUBLE_CLICK_WINDOW_MS);
  return [`${base}:a${cellA}`, `${base}:b${cellB}`];
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
