import { UserError } from '../core/errors';
import { bold, link, time } from '../core/rich-text';
import type { CoreServices } from '../core/services';
import type { HandlerContext } from '../core/workflow';
import { addDays, isLocalDate, toLocal } from '../core/zoned-time';
import { dateLabel } from '../standup/schedule';
import { NO_PUBLIC_URL, signInUrl } from './command';
import { MAX_EXPORT_DAYS, type Period } from './filters';
import { LINK_LIFETIME_MS, issueLink } from './links';

export const EXPORT_KINDS = ['escalations', 'standups', 'handoffs'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export type ExportFormat = 'csv' | 'json';

const KIND_WORDS: Readonly<Record<ExportKind, string>> = {
  escalations: 'escalations with their timelines',
  standups: 'stand-up answers',
  handoffs: 'handoff notes',
};

/** When no period is typed. */
export const DEFAULT_EXPORT_DAYS = 30;

export const EXPORT_HELP = [
  `/steady export <escalations|standups|handoffs> [csv|json] [7d|2026-11-01..2026-11-30]: a private link that downloads that export (CSV and the last ${DEFAULT_EXPORT_DAYS} days unless you say)`,
];

const USAGE = `Use /steady export <escalations|standups|handoffs> [csv|json] [period], such as /steady export handoffs csv 7d. A period is 7d (the last 7 days, today included), a date (2026-11-30) or two dates (2026-11-01..2026-11-30), at most ${MAX_EXPORT_DAYS} days.`;

export interface ExportRequest {
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  readonly period: Period;
}

/**
 * `escalations csv 7d`: the kind first, then a format and a period in either order, each optional.
 * Dates are the person's local days (`today` is theirs). An error is the sentence that says how to fix it.
 */
export function parseExportRequest(text: string, today: string): { ok: true; value: ExportRequest } | { ok: false; error: string } {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const kind = words[0];
  if (!kind) return { ok: false, error: `Which export? ${USAGE}` };
  if (!(EXPORT_KINDS as readonly string[]).includes(kind))
    return { ok: false, error: `There is no "${kind.slice(0, 40)}" export. ${USAGE}` };
  let format: ExportFormat | undefined;
  let period: Period | undefined;
  for (const word of words.slice(1)) {
    if (word === 'csv' || word === 'json') {
      if (format) return { ok: false, error: `Name one format, csv or json. ${USAGE}` };
      format = word;
      continue;
    }
    if (period) return { ok: false, error: `"${word.slice(0, 40)}" is one word too many. ${USAGE}` };
    const parsed = /^\d/.test(word) ? parsePeriod(word, today) : `"${word.slice(0, 40)}" is neither a format (csv or json) nor a period.`;
    if (typeof parsed === 'string') return { ok: false, error: `${parsed} ${USAGE}` };
    period = parsed;
  }
  return {
    ok: true,
    value: {
      kind: kind as ExportKind,
      format: format ?? 'csv',
      period: period ?? { from: addDays(today, -(DEFAULT_EXPORT_DAYS - 1)), to: today },
    },
  };
}

/** `7d`, `2026-11-30` or `2026-11-01..2026-11-30`, or the sentence saying what is wrong with it. */
export function parsePeriod(word: string, today: string): Period | string {
  const days = /^(\d{1,4})d$/.exec(word);
  if (days) {
    const n = Number(days[1]);
    if (n < 1 || n > MAX_EXPORT_DAYS) return `"${word}" is not a period I can export: say between 1d and ${MAX_EXPORT_DAYS}d.`;
    return { from: addDays(today, -(n - 1)), to: today };
  }
  const [from, to, ...more] = word.split('..');
  const shown = word.slice(0, 40);
  if (more.length || !from || (to !== undefined && !to)) return `"${shown}" is not a period I understand.`;
  if (!isLocalDate(from) || (to !== undefined && !isLocalDate(to)))
    return `"${shown}" is not a period I understand: write dates as YYYY-MM-DD, such as 2026-11-30.`;
  const end = to ?? from;
  if (from > end) return `In "${shown}" the first date must be on or before the second.`;
  if (addDays(from, MAX_EXPORT_DAYS) <= end) return `"${shown}" is longer than ${MAX_EXPORT_DAYS} days: choose a shorter period.`;
  return { from, to: end };
}

/** The dashboard path of an export for a period. */
export function exportPath(r: ExportRequest): string {
  return `/dashboard/export/${r.kind}.${r.format}?from=${r.period.from}&to=${r.period.to}`;
}

const NEXT = /^\/dashboard\/export\/(escalations|standups|handoffs)\.(csv|json)(\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2})?$/;

/**
 * Where a sign-in link may send the browser after signing in: only an export path of this
 * dashboard, as exportPath writes it. Anything else (another site, `//host`, a scheme, a
 * backslash, another page) gives undefined, and the sign-in goes to /dashboard as usual.
 */
export function exportNext(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 200 && NEXT.test(value) ? value : undefined;
}

/** `/steady export …`: answered only to the person, with a sign-in link that lands on the export. */
export function exportCommand(services: Pick<CoreServices, 'db' | 'clock' | 'people' | 'publicUrl'>) {
  return async (ctx: HandlerContext, rest: string): Promise<void> => {
    const now = services.clock.now();
    const zone = await services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId);
    const request = parseExportRequest(rest, toLocal(now, zone).date);
    if (!request.ok) throw new UserError(request.error);
    if (!services.publicUrl) throw new UserError(NO_PUBLIC_URL);
    const r = request.value;
    const issued = await issueLink(services.db, ctx.actor, now);
    const url = `${signInUrl(services.publicUrl, issued.token)}&next=${encodeURIComponent(exportPath(r))}`;
    ctx.log.info({ kind: r.kind, format: r.format }, 'export link issued');
    // The token is in the reply only: never in a log line.
    await ctx.reply([
      bold(`Your export of ${KIND_WORDS[r.kind]}`),
      ` (${r.format.toUpperCase()}, ${dateLabel(r.period.from)} to ${dateLabel(r.period.to)}, your days in ${zone}): `,
      link(url, `download ${r.kind}.${r.format}`),
      `. It holds what the dashboard shows you. The link is yours alone: it signs you in to the dashboard for ${LINK_LIFETIME_MS / 3_600_000} hours (until `,
      time(issued.expiresAt, zone),
      '). Do not share it; /steady dashboard revoke signs out every link you were given.',
    ]);
  };
}
