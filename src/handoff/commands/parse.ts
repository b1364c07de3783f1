import { parseMention, words } from '../../core/command-text';
import { parseDuration, DAY_MS } from '../../core/duration';
import { isLocalDate, isLocalTime } from '../../core/zoned-time';
import { normaliseTime } from '../shift-pattern';

/**
 * Reading `/handoff` arguments. Rotation names come first and are optional (quotes allowed for
 * names with spaces); people are mentions; dates and times are local to the rotation's zone.
 */

export type LocalMoment =
  | { readonly kind: 'now' }
  | { readonly kind: 'local'; readonly date: string; readonly time: string }
  /** `+8h`: after the moment before it (or now, for a start). */
  | { readonly kind: 'after'; readonly ms: number };

export interface OverrideArgs {
  readonly rotation: string;
  readonly userId: string;
  readonly from: LocalMoment;
  readonly to: LocalMoment;
}

export interface SwapArgs {
  readonly rotation: string;
  readonly userId: string;
  readonly myDate: string;
  readonly theirDate: string | undefined;
}

export const OVERRIDE_USAGE =
  'Usage: /handoff override [rotation] @who <from> <to>, with local date-times in the rotation\'s zone, e.g. /handoff override Ops @dave 2026-12-01 23:00 2026-12-02 07:00; the start can be "now" and the end a length such as +8h.';
export const SWAP_USAGE =
  'Usage: /handoff swap [rotation] @who <your date> [<their date>], e.g. /handoff swap Ops @carol 2026-12-01 (dates as YYYY-MM-DD).';

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Splits "[rotation] @who rest…" at the first mention. */
function aroundMention(text: string): { rotation: string; userId: string; rest: string[] } | undefined {
  const tokens = words(text);
  const at = tokens.findIndex((t) => parseMention(t) !== undefined);
  if (at < 0) return undefined;
  return { rotation: tokens.slice(0, at).join(' '), userId: parseMention(tokens[at]!)!, rest: tokens.slice(at + 1) };
}

/** "2026-12-01 23:00", "2026-12-01T23:00" or "now", one after another. */
function moments(tokens: readonly string[]): LocalMoment[] | string {
  const out: LocalMoment[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.toLowerCase() === 'now') {
      out.push({ kind: 'now' });
      continue;
    }
    if (token.startsWith('+')) {
      const ms = parseDuration(token.slice(1));
      if (ms === undefined || ms <= 0) return `"${token}" is not a length of time: write it as +8h or +2d.`;
      out.push({ kind: 'after', ms });
      continue;
    }
    const joined = /^(\d{4}-\d{2}-\d{2})T(\d{1,2}:\d{2})$/.exec(token);
    const date = joined ? joined[1]! : token;
    const timeText = joined ? joined[2]! : tokens[i + 1];
    if (!isLocalDate(date)) return `"${token}" is not a date: write YYYY-MM-DD HH:MM.`;
    const time = timeText ? normaliseTime(timeText) : undefined;
    if (!time || !isLocalTime(time)) return `After ${date} give a time as HH:MM (24-hour).`;
    out.push({ kind: 'local', date, time });
    if (!joined) i++;
  }
  return out;
}

export function parseOverride(text: string): Parsed<OverrideArgs> {
  const split = aroundMention(text);
  if (!split) return { ok: false, error: `Say who covers, as a mention. ${OVERRIDE_USAGE}` };
  const found = moments(split.rest);
  if (typeof found === 'string') return { ok: false, error: `${found} ${OVERRIDE_USAGE}` };
  if (found.length !== 2) return { ok: false, error: `Give a start and an end. ${OVERRIDE_USAGE}` };
  if (found[1]!.kind === 'now') return { ok: false, error: `The end can't be "now". ${OVERRIDE_USAGE}` };
  if (found[0]!.kind === 'after') return { ok: false, error: `Give the start as a date and time or "now". ${OVERRIDE_USAGE}` };
  return { ok: true, value: { rotation: split.rotation, userId: split.userId, from: found[0]!, to: found[1]! } };
}

export function parseSwap(text: string): Parsed<SwapArgs> {
  const split = aroundMention(text);
  if (!split) return { ok: false, error: `Say who to swap with, as a mention. ${SWAP_USAGE}` };
  const [mine, theirs, ...extra] = split.rest;
  if (!mine || extra.length) return { ok: false, error: SWAP_USAGE };
  if (!isLocalDate(mine)) return { ok: false, error: `"${mine}" is not a date. ${SWAP_USAGE}` };
  if (theirs !== undefined && !isLocalDate(theirs)) return { ok: false, error: `"${theirs}" is not a date. ${SWAP_USAGE}` };
  return { ok: true, value: { rotation: split.rotation, userId: split.userId, myDate: mine, theirDate: theirs } };
}

/** "[rotation] [7d]": a trailing duration is the window. */
export function nameAndWindow(text: string, defaultMs: number): Parsed<{ rotation: string; windowMs: number }> {
  const tokens = words(text);
  const last = tokens[tokens.length - 1];
  const ms = last ? parseDuration(last) : undefined;
  if (ms !== undefined) {
    if (ms < 3_600_000 || ms > 366 * DAY_MS) return { ok: false, error: 'Give a window between 1h and 366d, such as 7d or 30d.' };
    return { ok: true, value: { rotation: tokens.slice(0, -1).join(' '), windowMs: ms } };
  }
  return { ok: true, value: { rotation: tokens.join(' '), windowMs: defaultMs } };
}
