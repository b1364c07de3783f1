import { z } from 'zod';
import { recordChange } from '../audit/audit-log';
import type { Actor } from '../core/refs';
import { splitFirstWord } from '../core/command-text';
import { UserError } from '../core/errors';
import { textMessage } from '../core/message';
import { channel, time, type RichText } from '../core/rich-text';
import type { CoreServices } from '../core/services';
import type { HandlerContext } from '../core/workflow';
import { requireAdmin } from '../people/admin-gate';
import { parseChannelToken } from '../escalation/commands/parse';
import { belongsToWorkspace } from '../escalation/raise';
import { GiveUp, type JobKind, type AnyJobKind } from '../scheduler/job';
import { mayManage } from '../standup/permissions';
import { findRule } from '../storage/recurring-rules-repository';
import { digestFigures } from './digest-figures';
import { digestMessage } from './digest-message';
import { digestCron, loadDigestSettings, parseSchedule, saveDigestSettings, weekdayName, type DigestSettings } from './digest-settings';
import { DAY_MS } from '../core/duration';

export const DIGEST_JOB = 'insight.digest';

/** One rule per workspace: its occurrences' dedupe keys make the digest once per workspace and week. */
export const digestRuleKey = (workspaceId: string) => `digest:${workspaceId}`;

/** One post per workspace and occurrence, whoever runs it and however often. */
export const digestPostKey = (workspaceId: string, occurrence: string) => `digest:${workspaceId}:${occurrence}`;

/** Past a day late (Steady was down), a digest is skipped rather than posted mid-week. */
const STALE_AFTER_MS = DAY_MS;

const USAGE =
  'Use /steady digest channel #ops-leads (or "here"), /steady digest day monday time 09:00, /steady digest off, or /steady digest now for a private preview.';

export const DIGEST_HELP = [
  '/steady digest: the weekly digest of escalations, stand-ups and handoffs; /steady digest now previews it for you',
  '/steady digest channel #ops-leads · day monday time 09:00 · off: where and when it is posted (workspace admins)',
];

const digestPayload = z.object({ workspaceId: z.string().min(1), occurrence: z.iso.datetime() });

export interface Digest {
  /** `/steady digest …` */
  command(ctx: HandlerContext, text: string): Promise<void>;
  readonly jobs: readonly AnyJobKind[];
}

/**
 * The weekly digest: once a week (Monday 09:00 in the workspace's zone unless an admin says
 * otherwise) one message in the workspace's digest channel with the last 7 days against the 7
 * before; `/steady digest now` shows anyone the same privately, with who missed most days for the
 * stand-ups they administer.
 */
export function createDigest(services: CoreServices): Digest {
  const { db, clock, people, scheduler, outbox } = services;

  async function settingsOf(workspaceId: string): Promise<DigestSettings> {
    return loadDigestSettings(db, workspaceId, await people.workspaceZone(workspaceId));
  }

  /** Stores the settings and the rule that follows from them, together. */
  async function store(by: Actor, before: DigestSettings, settings: DigestSettings): Promise<Date | null> {
    const workspaceId = by.workspaceId;
    return db.transaction().execute(async (trx) => {
      await saveDigestSettings(trx, workspaceId, settings);
      const { setBy: _b, ...was } = before;
      const { setBy: _a, ...now } = settings;
      if (JSON.stringify(was) !== JSON.stringify(now))
        await recordChange(trx, by, clock.now(), { action: 'digest.changed', subject: 'weekly digest', before: was, after: now });
      if (!settings.channel) {
        await scheduler.removeRules({ key: digestRuleKey(workspaceId) }, trx);
        return null;
      }
      return scheduler.putRule(
        {
          key: digestRuleKey(workspaceId),
          jobKind: DIGEST_JOB,
          cron: digestCron(settings),
          zone: settings.zone,
          payload: { workspaceId },
          owner: digestRuleKey(workspaceId),
        },
        trx,
      );
    });
  }

  function describe(settings: DigestSettings, next: Date | null): RichText {
    const when = `every ${weekdayName(settings.day)} at ${settings.time} (${settings.zone})`;
    if (!settings.channel) return `The weekly digest is off. When a channel is set it is posted ${when}. ${USAGE}`;
    return [
      'The weekly digest is posted in ',
      channel(settings.channel),
      ` ${when}`,
      ...(next ? ['; next on ', time(next, settings.zone)] : []),
      '.',
    ];
  }

  async function preview(ctx: HandlerContext): Promise<void> {
    const ws = ctx.actor.workspaceId;
    const figures = await digestFigures(db, ws, clock.now(), await people.workspaceZone(ws));
    const mine = new Set<string>();
    for (const s of figures.standups) if (await mayManage(services, ctx.actor, s.standup)) mine.add(s.standup.id);
    await ctx.reply(digestMessage(figures, { showMissedFor: mine, preview: true }));
  }

  async function command(ctx: HandlerContext, text: string): Promise<void> {
    const ws = ctx.actor.workspaceId;
    const { word, rest } = splitFirstWord(text);
    if (word === 'now' || word === 'preview') return preview(ctx);
    if (word === '') {
      const settings = await settingsOf(ws);
      const rule = settings.channel ? ((await findRule(db, digestRuleKey(ws)))?.next_run_at ?? null) : null;
      await ctx.reply(textMessage(describe(settings, rule)));
      return;
    }
    if (!['channel', 'day', 'time', 'off'].includes(word))
      throw new UserError(`I don't know "/steady digest ${word.slice(0, 40)}". ${USAGE}`);
    await requireAdmin(services.admins, ctx.actor, 'change the weekly digest');
    const current = await settingsOf(ws);
    const zone = await people.workspaceZone(ws);
    let next: DigestSettings;
    switch (word) {
      case 'channel': {
        const arg = rest.trim();
        const ref = !arg || /^here$/i.test(arg) ? ctx.conversation : parseChannelToken(arg);
        if (!ref) throw new UserError(`Name the channel as a channel mention (#ops-leads), or "here" for this one. ${USAGE}`);
        if (!belongsToWorkspace(ref, ws)) throw new UserError('That channel is not in this workspace.');
        next = { ...current, channel: ref, zone, setBy: ctx.actor.userId };
        break;
      }
      case 'off':
        if (rest.trim()) throw new UserError(`"/steady digest off" takes nothing after it. ${USAGE}`);
        next = { ...current, channel: null, setBy: ctx.actor.userId };
        break;
      default: {
        const parsed = parseSchedule(text);
        if (!parsed.ok) throw new UserError(parsed.error);
        next = {
          ...current,
          ...(parsed.day ? { day: parsed.day } : {}),
          ...(parsed.time ? { time: parsed.time } : {}),
          zone,
          setBy: ctx.actor.userId,
        };
      }
    }
    const nextRun = await store(ctx.actor, current, next);
    await ctx.reply(textMessage(describe(next, nextRun)));
  }

  const job: JobKind<z.infer<typeof digestPayload>> = {
    kind: DIGEST_JOB,
    payload: digestPayload,
    staleAfterMs: STALE_AFTER_MS,
    run: async ({ workspaceId, occurrence }, ctx) => {
      const settings = await settingsOf(workspaceId);
      if (!settings.channel) {
        ctx.log.info({ workspace: workspaceId }, 'the weekly digest is off; nothing posted');
        return;
      }
      const figures = await digestFigures(db, workspaceId, new Date(occurrence), settings.zone);
      const where = settings.channel;
      const sent = await outbox.post({
        key: digestPostKey(workspaceId, occurrence),
        to: { workspaceId, conversation: where },
        message: digestMessage(figures, { showMissedFor: new Set() }),
        ...(settings.setBy
          ? {
              problem: {
                key: `digest:${workspaceId}:channel`,
                workspaceId,
                tell: settings.setBy,
                text: (err) => [
                  'I could not post the weekly digest in ',
                  channel(where),
                  ` (${err.code}). Invite me there, or choose another channel with /steady digest channel #name.`,
                ],
              },
            }
          : {}),
      });
      if (!sent.ok) throw new GiveUp(`the digest channel refused: ${sent.code}`);
    },
  };

  return { command, jobs: [job] };
}
