import { z } from 'zod';
import type { Executor } from '../../db/schema';
import { loadDigestSettingsJson, saveDigestSettingsJson } from '../storage/insight/digest-repository';

/** ISO weekdays (Monday 1 … Sunday 7) by name, as people type them. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A workspace's weekly digest: where it goes (no channel: not sent), on which weekday and at what
 * wall-clock time in the zone it was scheduled in (the workspace's default when it was set).
 */
export const digestSettingsSchema = z.object({
  channel: z.string().min(1).max(500).nullable(),
  day: z.number().int().min(1).max(7),
  time: z.string().regex(HH_MM),
  zone: z.string().min(1).max(100),
  /** Who last changed it: told once if the channel refuses the digest. */
  setBy: z.string().min(1).max(200).nullable(),
});
export type DigestSettings = z.infer<typeof digestSettingsSchema>;

/** Monday 09:00; no channel until an admin names one. */
export function defaultDigestSettings(zone: string): DigestSettings {
  return { channel: null, day: 1, time: '09:00', zone, setBy: null };
}

/** What `/steady digest day <weekday> time <HH:MM>` accepts: either or both, in any order. */
export const scheduleInputSchema = z
  .object({
    day: z.enum(WEEKDAYS, { error: 'The day is a weekday: monday, tuesday, … sunday.' }).optional(),
    time: z.string().regex(HH_MM, { error: 'The time is 24-hour HH:MM, e.g. 09:00 or 16:30.' }).optional(),
  })
  .refine((v) => v.day !== undefined || v.time !== undefined, {
    error: 'Say a day, a time or both: /steady digest day monday time 09:00.',
  });

/** Reads `day monday time 09:00` (words in pairs); a stray word is refused by name. */
export function parseSchedule(text: string): { ok: true; day?: number; time?: string } | { ok: false; error: string } {
  const tokens = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const raw: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 2) {
    const key = tokens[i]!;
    const value = tokens[i + 1];
    if (key !== 'day' && key !== 'time')
      return { ok: false, error: `"${key.slice(0, 40)}" is not part of a schedule. Use /steady digest day monday time 09:00.` };
    if (value === undefined) return { ok: false, error: `Say which ${key}: /steady digest day monday time 09:00.` };
    if (key in raw) return { ok: false, error: `The ${key} is given twice.` };
    // A short day name ("mon") reads as its weekday.
    raw[key] = key === 'day' ? (WEEKDAYS.find((d) => value.length >= 3 && d.startsWith(value)) ?? value) : value;
  }
  const parsed = scheduleInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => i.message).join(' ') };
  return {
    ok: true,
    ...(parsed.data.day ? { day: WEEKDAYS.indexOf(parsed.data.day) + 1 } : {}),
    ...(parsed.data.time ? { time: parsed.data.time } : {}),
  };
}

export async function loadDigestSettings(db: Executor, workspaceId: string, defaultZone: string): Promise<DigestSettings> {
  const parsed = digestSettingsSchema.safeParse(await loadDigestSettingsJson(db, workspaceId));
  return parsed.success ? parsed.data : defaultDigestSettings(defaultZone);
}

export async function saveDigestSettings(db: Executor, workspaceId: string, settings: DigestSettings): Promise<void> {
  await saveDigestSettingsJson(db, workspaceId, digestSettingsSchema.parse(settings));
}

/** The recurring rule's five-field cron: minute hour * * weekday (cron counts Sunday as 0). */
export function digestCron(settings: Pick<DigestSettings, 'day' | 'time'>): string {
  const [hh, mm] = settings.time.split(':').map(Number);
  return `${mm} ${hh} * * ${settings.day % 7}`;
}

export function weekdayName(day: number): string {
  const name = WEEKDAYS[day - 1]!;
  return name[0]!.toUpperCase() + name.slice(1);
}
