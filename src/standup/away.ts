import { UserError } from '../core/errors';
import type { HandlerContext } from '../core/workflow';
import { addDays, isLocalDate } from '../core/zoned-time';
import { standupsOf } from '../storage/standup/standups-repository';
import { endAbsences, insertAbsence } from '../storage/standup/absences-repository';
import { sessionsOfPersonOn, updateSession } from '../storage/standup/sessions-repository';
import { bold } from '../core/rich-text';
import type { StandupDeps } from './deps';
import type { DayPublisher } from './publisher';
import { dateLabel, localDate } from './schedule';

const MAX_AWAY_DAYS = 366;

/**
 * Out of office across all of a person's stand-ups: `/standup skip [today | until YYYY-MM-DD]`.
 * Dates are the person's own; the prompt job finds the absence and records the day as skipped
 * without asking.
 */
export class Away {
  constructor(
    private readonly deps: StandupDeps,
    private readonly publisher: DayPublisher,
  ) {}

  async skip(ctx: HandlerContext, typed: string): Promise<void> {
    const { db, clock, people } = this.deps.services;
    const { workspaceId, userId } = ctx.actor;
    const now = clock.now();
    const today = localDate(now, await people.zoneOf(workspaceId, userId));
    const until = this.untilDate(typed, today);
    const dates: string[] = [];
    for (let d = today; d <= until && dates.length < 14; d = addDays(d, 1)) dates.push(d);
    const changed = await db.transaction().execute(async (trx) => {
      await insertAbsence(trx, workspaceId, userId, { fromDate: today, untilDate: until }, now);
      const touched: { standupId: string; date: string; version: number }[] = [];
      for (const session of await sessionsOfPersonOn(trx, workspaceId, userId, dates)) {
        if (session.answeredAt || session.skippedAt) continue;
        await updateSession(trx, session.id, { skipped_at: now, skip_reason: 'away', chat_question: null }, now);
        touched.push({
          standupId: session.standupId,
          date: session.date,
          version: await this.publisher.changed(trx, session.standupId, session.date),
        });
      }
      return touched;
    });
    for (const day of changed) await this.publisher.publishNow(day.standupId, day.date, day.version, ctx.log);
    const count = (await standupsOf(db, workspaceId, userId)).length;
    ctx.log.info({ from: today, until }, 'out of office');
    await ctx.reply([
      until === today ? 'Skipped today' : `You are out of office until ${dateLabel(until)}`,
      count ? `: none of your ${count} stand-up${count === 1 ? '' : 's'} will ask you` : ' (you take part in no stand-ups yet)',
      until === today ? '.' : '. /standup back ends it early.',
    ]);
  }

  async back(ctx: HandlerContext): Promise<void> {
    const { db, clock, people } = this.deps.services;
    const { workspaceId, userId } = ctx.actor;
    const today = localDate(clock.now(), await people.zoneOf(workspaceId, userId));
    const ended = await endAbsences(db, workspaceId, userId, addDays(today, 1), today);
    await ctx.reply(
      ended
        ? ['Welcome back: your stand-ups ask you again from ', bold(dateLabel(addDays(today, 1))), '. Today stays skipped.']
        : 'You are not out of office.',
    );
  }

  private untilDate(typed: string, today: string): string {
    const text = typed.trim().toLowerCase();
    if (text === '' || text === 'today') return today;
    const match = /^until\s+(\S+)$/.exec(text);
    const date = match?.[1];
    if (!date || !isLocalDate(date))
      throw new UserError('Use /standup skip today, or /standup skip until YYYY-MM-DD (the last day you are away).');
    if (date < today) throw new UserError(`${date} is in the past; give the last day you will be away.`);
    if (date > addDays(today, MAX_AWAY_DAYS))
      throw new UserError('That is more than a year away; give a nearer date, or leave the stand-ups with /standup leave <name>.');
    return date;
  }
}
