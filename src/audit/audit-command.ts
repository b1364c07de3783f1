import { message, section, context, type Block } from '../core/message';
import { FORMER_MEMBER_ID } from '../core/former-member';
import { bold, channel, code, joinRich, time, user, type Span } from '../core/rich-text';
import type { CoreServices } from '../core/services';
import type { HandlerContext } from '../core/workflow';
import { requireAdmin } from '../people/admin-gate';
import { UserError } from '../core/errors';
import { auditRecords, changedFields, type AuditRecord } from './audit-log';
import { DAY_MS } from '../core/duration';

export const DEFAULT_AUDIT_DAYS = 7;
export const MAX_AUDIT_DAYS = 90;
/** Changes listed in chat; the rest are counted, with where to read them all. */
export const AUDIT_LINES = 20;
/** Settings shown per change; the rest are counted. */
const FIELDS_SHOWN = 4;

export const AUDIT_HELP = [
  `/steady audit [7d]: who changed policies, settings, admins, rotations and stand-ups lately (up to ${MAX_AUDIT_DAYS}d; workspace admins)`,
];

const USAGE = `Use /steady audit for the last ${DEFAULT_AUDIT_DAYS} days, or /steady audit 30d for up to ${MAX_AUDIT_DAYS} days.`;

/** `30d`, `30 days`, or nothing for the default. */
export function parseAuditPeriod(text: string): { ok: true; days: number } | { ok: false; error: string } {
  const t = text.trim().toLowerCase();
  if (!t) return { ok: true, days: DEFAULT_AUDIT_DAYS };
  const m = /^(\d{1,4})\s*(d|days?)$/.exec(t);
  if (!m) return { ok: false, error: `"${text.trim().slice(0, 40)}" is not a number of days. ${USAGE}` };
  const days = Number(m[1]);
  if (days < 1 || days > MAX_AUDIT_DAYS)
    return {
      ok: false,
      error: `Say from 1d to ${MAX_AUDIT_DAYS}d. For longer, the dashboard's audit export covers up to a year. ${USAGE}`,
    };
  return { ok: true, days };
}

/** `/steady audit [Nd]`: the workspace's recent admin changes, newest first, only to the admin who asks. */
export function auditCommand(services: Pick<CoreServices, 'db' | 'clock' | 'admins' | 'people' | 'publicUrl'>) {
  return async (ctx: HandlerContext, rest: string): Promise<void> => {
    await requireAdmin(services.admins, ctx.actor, 'read the audit trail');
    const period = parseAuditPeriod(rest);
    if (!period.ok) throw new UserError(period.error);
    const now = services.clock.now();
    const from = new Date(now.getTime() - period.days * DAY_MS);
    const [{ records, total }, zone] = await Promise.all([
      auditRecords(services.db, ctx.actor.workspaceId, from, new Date(now.getTime() + 1), AUDIT_LINES),
      services.people.zoneOf(ctx.actor.workspaceId, ctx.actor.userId),
    ]);
    await ctx.reply(auditMessage(records, total, period.days, zone, Boolean(services.publicUrl)));
  };
}

export function auditMessage(
  records: readonly AuditRecord[],
  total: number,
  days: number,
  zone: string,
  hasDashboard: boolean,
): ReturnType<typeof message> {
  const span = `the last ${days === 1 ? 'day' : `${days} days`}`;
  if (records.length === 0) return message([section(`No admin changes in ${span}.`)]);
  const blocks: Block[] = [
    section([
      bold(`Admin changes in ${span}`),
      total > records.length ? ` (the newest ${records.length} of ${total})` : '',
      ', newest first:',
    ]),
  ];
  for (const r of records) blocks.push(section(recordLine(r, zone)));
  if (total > records.length) {
    blocks.push(
      context(
        `${total - records.length} more not shown. ${hasDashboard ? 'The audit export has them all: sign in with /steady dashboard, then open /dashboard/export/audit.csv (or .json, with ?from=YYYY-MM-DD&to=YYYY-MM-DD).' : "The dashboard's audit export has them all once PUBLIC_URL is set (/steady dashboard)."} Or choose a shorter period: /steady audit 1d.`,
      ),
    );
  }
  return message(blocks);
}

/** `Mon, 30 Nov 2026, 09:00 CET · @erin · policy.changed Ops · repeat: 0 → 2` */
function recordLine(r: AuditRecord, zone: string): Span[] {
  const fields = r.action === 'person.forgotten' ? [] : changedFields(r.before, r.after, 60);
  const subject: Span = isPersonSubject(r.action) || r.subject === FORMER_MEMBER_ID ? user(r.subject) : bold(r.subject);
  const out: Span[] = [time(r.at, zone), ' · ', user(r.actorId), ' · ', code(r.action), ' ', subject];
  if (r.before === null && r.after !== null && r.action.endsWith('.created')) out.push(' (created)');
  else if (r.after === null && r.action.endsWith('.removed')) out.push(' (removed)');
  else
    for (const f of fields.slice(0, FIELDS_SHOWN)) {
      out.push('\n   ', f.field ? `${f.field}: ` : '', ...shown(f.field, f.was, f.before), ' → ', ...shown(f.field, f.is, f.after));
    }
  if (fields.length > FIELDS_SHOWN && !r.action.endsWith('.created') && !r.action.endsWith('.removed'))
    out.push(`\n   and ${fields.length - FIELDS_SHOWN} more settings`);
  return out;
}

/** Settings that name people or a channel are shown as mentions, as the platform shows them elsewhere. */
const PEOPLE_FIELDS = new Set(['members', 'participants', 'adminIds']);
const PERSON_FIELDS = new Set(['supervisorId']);
const PEOPLE_SHOWN = 8;

function shown(field: string, raw: unknown, text: string): Span[] {
  if (field === 'channel' && typeof raw === 'string' && raw) return [channel(raw)];
  if (PERSON_FIELDS.has(field) && typeof raw === 'string' && raw) return [user(raw)];
  if (PEOPLE_FIELDS.has(field) && Array.isArray(raw) && raw.length > 0 && raw.every((id) => typeof id === 'string')) {
    const people = joinRich(
      raw.slice(0, PEOPLE_SHOWN).map((id) => [user(id)]),
      ', ',
    );
    return raw.length > PEOPLE_SHOWN ? [...people, ` and ${raw.length - PEOPLE_SHOWN} more`] : people;
  }
  return [text];
}

function isPersonSubject(action: string): boolean {
  return action === 'admin.added' || action === 'admin.removed';
}
