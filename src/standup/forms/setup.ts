import { z } from 'zod';
import { parseDuration } from '../../core/duration';
import type { Form, FormField, FormValues, Validated } from '../../core/form';
import { prefill, validateForm } from '../../core/form';
import { canonicalZone, isLocalDate } from '../../core/zoned-time';
import { DEFAULT_QUESTIONS, DEFAULTS, LIMITS, type Question, type Standup, type StandupSettings } from '../model';
import { dayName } from '../schedule';

/** The set-up form (`/standup create`, `/standup edit`): what people fill in, and how it is checked. */
export const SETUP_FORM = 'standup.setup';

const OPTIONAL = /\s*\[optional\]\s*/gi;
const BLOCKER = /\s*\[blocker\]\s*/gi;

/** Questions as one line each, with their markers, as the form shows them. */
export function questionsText(questions: readonly Question[]): string {
  return questions.map((q) => `${q.text}${q.required ? '' : ' [optional]'}${q.blocker ? ' [blocker]' : ''}`).join('\n');
}

export function setupForm(args: {
  readonly existing?: { readonly standup: Standup; readonly participants: readonly string[] };
  readonly name?: string;
  readonly channel?: string;
  readonly creatorId: string;
  readonly creatorZone: string;
}): Form {
  const s = args.existing?.standup;
  const given = s?.name ?? args.name;
  const name = given ? prefill(given, LIMITS.nameLength) : undefined;
  const dayOptions = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: dayName(d) }));
  const fields: FormField[] = [
    {
      kind: 'text',
      id: 'name',
      label: 'Name',
      required: true,
      maxLength: LIMITS.nameLength,
      ...(name ?? {}),
      placeholder: 'Daily stand-up',
    },
    {
      kind: 'channel',
      id: 'channel',
      label: 'Report channel',
      required: true,
      hint: 'Answers are posted here, one thread a day',
      ...((s?.channel ?? args.channel) ? { initial: s?.channel ?? args.channel } : {}),
    },
    { kind: 'users', id: 'participants', label: 'Participants', required: true, initial: args.existing?.participants ?? [args.creatorId] },
    {
      kind: 'text',
      id: 'questions',
      label: 'Questions',
      required: true,
      multiline: true,
      initial: questionsText(s?.questions ?? DEFAULT_QUESTIONS),
      hint: `One a line, up to ${LIMITS.questions}. Add [optional] to a question that may be left blank and [blocker] to the one that asks about blockers.`,
    },
    {
      kind: 'multiselect',
      id: 'days',
      label: 'Days',
      required: true,
      options: dayOptions,
      initial: (s?.days ?? DEFAULTS.days).map(String),
    },
    { kind: 'time', id: 'time', label: 'Time', required: true, initial: s?.time ?? DEFAULTS.time, hint: '24-hour clock' },
    {
      kind: 'select',
      id: 'zoneMode',
      label: 'Time zone',
      required: true,
      initial: s?.zoneMode ?? 'participant',
      options: [
        { value: 'participant', label: "Each participant's own time zone" },
        { value: 'fixed', label: 'One fixed time zone for everyone' },
      ],
    },
    {
      kind: 'text',
      id: 'zone',
      label: 'Fixed time zone',
      required: false,
      initial: s?.fixedZone ?? args.creatorZone,
      hint: 'Only for one fixed time zone: an IANA name such as Europe/Berlin',
    },
    {
      kind: 'text',
      id: 'reminder',
      label: 'Reminder after (minutes)',
      required: true,
      initial: String(s?.reminderMinutes ?? DEFAULTS.reminderMinutes),
      hint: '0 for no reminder',
    },
    {
      kind: 'text',
      id: 'cutoff',
      label: 'Cut-off after (hours)',
      required: true,
      initial: String(s ? s.cutoffMinutes / 60 : DEFAULTS.cutoffHours),
      hint: `The day's summary is posted then; 1 to ${LIMITS.maxCutoffHours}`,
    },
    {
      kind: 'text',
      id: 'holidays',
      label: 'Holidays',
      required: false,
      multiline: true,
      ...(s?.holidays.length ? { initial: s.holidays.join(', ') } : {}),
      hint: 'Dates nobody is asked, as YYYY-MM-DD, separated by commas',
    },
    {
      kind: 'users',
      id: 'admins',
      label: 'Stand-up admins',
      required: false,
      initial: s?.adminIds ?? [],
      hint: 'Besides you, who may edit, pause or delete it',
    },
  ];
  return {
    formId: SETUP_FORM,
    title: s ? `Edit ${s.name}` : 'New stand-up',
    submitLabel: s ? 'Save' : 'Create',
    fields,
    ...(s ? { state: s.id } : {}),
  };
}

const text = z.preprocess((v) => (v === null || v === undefined ? '' : v), z.string());
const userList = z.preprocess(
  (v) => (v === null || v === undefined ? [] : typeof v === 'string' ? [v] : v),
  z.array(z.string().min(1).max(200)),
);

/** Parses the questions box; each problem is a sentence about the box. */
export function parseQuestions(
  box: string,
  previous: readonly Question[] = [],
): { ok: true; questions: Question[] } | { ok: false; error: string } {
  const lines = box
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:\d+[.)]|[-*•])\s+/, '').trim())
    .filter(Boolean);
  if (lines.length === 0) return { ok: false, error: 'Add at least one question, one a line.' };
  if (lines.length > LIMITS.questions)
    return {
      ok: false,
      error: `A stand-up has at most ${LIMITS.questions} questions; this one has ${lines.length}. Remove ${lines.length - LIMITS.questions}.`,
    };
  const taken = new Set<string>();
  let nextId = Math.max(0, ...previous.map((q) => Number(q.id.slice(1)) || 0)) + 1;
  const questions: Question[] = [];
  for (const [i, line] of lines.entries()) {
    const optional = OPTIONAL.test(line);
    OPTIONAL.lastIndex = 0;
    const blocker = BLOCKER.test(line);
    BLOCKER.lastIndex = 0;
    const clean = line.replace(OPTIONAL, ' ').replace(BLOCKER, ' ').replace(/\s+/g, ' ').trim();
    if (!clean) return { ok: false, error: `Question ${i + 1} has only markers; write the question before them.` };
    if (clean.length > LIMITS.questionLength)
      return { ok: false, error: `Question ${i + 1} is longer than ${LIMITS.questionLength} characters; shorten it.` };
    const reused = previous.find((q) => q.text === clean && !taken.has(q.id));
    const id = reused?.id ?? `q${nextId++}`;
    taken.add(id);
    questions.push({ id, text: clean, required: !optional, blocker });
  }
  if (questions.filter((q) => q.blocker).length > 1) return { ok: false, error: 'Only one question can be the [blocker] question.' };
  return { ok: true, questions };
}

function minutesOf(value: string, unit: 'minutes' | 'hours'): number | undefined {
  const trimmed = value.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * (unit === 'hours' ? 60 : 1));
  const ms = parseDuration(trimmed);
  return ms === undefined ? undefined : Math.round(ms / 60_000);
}

/**
 * The holidays box. A date before `today` is refused (nobody is asked on a past day anyway, so it is
 * a typo), unless it was saved before: editing a stand-up never fails on holidays that have passed.
 */
export function parseHolidays(box: string, when: HolidayCheck = {}): { ok: true; dates: string[] } | { ok: false; error: string } {
  const parts = box.split(/[\s,;]+/).filter(Boolean);
  const wrong = parts.find((p) => !isLocalDate(p));
  if (wrong) return { ok: false, error: `"${wrong.slice(0, 40)}" is not a date; write holidays as YYYY-MM-DD, separated by commas.` };
  const today = when.today;
  const past = today ? parts.find((p) => p < today && !when.saved?.includes(p)) : undefined;
  if (past)
    return { ok: false, error: `${past} is in the past (today is ${today}); holidays are days to come. Remove it or correct the year.` };
  const dates = [...new Set(parts)].sort();
  if (dates.length > LIMITS.holidays) return { ok: false, error: `At most ${LIMITS.holidays} holidays; remove the past ones.` };
  return { ok: true, dates };
}

export interface HolidayCheck {
  /** The submitter's date, YYYY-MM-DD. */
  readonly today?: string;
  /** The holidays already saved, which may have passed since. */
  readonly saved?: readonly string[];
}

const baseSchema = z.object({
  name: text.pipe(
    z.string().trim().min(1, 'Give the stand-up a name.').max(LIMITS.nameLength, `Keep the name to ${LIMITS.nameLength} characters.`),
  ),
  channel: text.pipe(z.string().min(1, 'Choose the channel the answers go to.').max(500)),
  participants: userList.pipe(
    z
      .array(z.string())
      .min(1, 'Add at least one participant.')
      .max(LIMITS.participants, `A stand-up has at most ${LIMITS.participants} participants.`),
  ),
  questions: text,
  days: userList.pipe(
    z.array(z.enum(['1', '2', '3', '4', '5', '6', '7'], 'Choose days of the week.')).min(1, 'Choose at least one day of the week.'),
  ),
  time: text.pipe(
    z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Write the time as HH:MM on the 24-hour clock, from 00:00 to 23:59 (e.g. 09:30).'),
  ),
  zoneMode: z.enum(['participant', 'fixed'], "Choose each participant's own zone or one fixed zone."),
  zone: text,
  reminder: text,
  cutoff: text,
  holidays: text,
  admins: userList,
});

/**
 * Checks the set-up form. Every field is checked, so a person sees all that is wrong at once, each
 * problem on its field.
 */
export function readSetup(
  values: FormValues,
  previous: readonly Question[] = [],
  holidayCheck: HolidayCheck = {},
): Validated<StandupSettings> {
  const base = validateForm(baseSchema, values);
  const errors: Record<string, string> = base.ok ? {} : { ...base.errors };
  const raw = (id: string) => {
    const value = values[id];
    return typeof value === 'string' ? value : '';
  };
  const questions = parseQuestions(raw('questions'), previous);
  if (!questions.ok) errors.questions ??= questions.error;
  const zoneText = raw('zone').trim();
  const zone = zoneText ? canonicalZone(zoneText) : undefined;
  if (zoneText && !zone)
    errors.zone ??= `"${zoneText.slice(0, 64)}" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/Chicago or Asia/Tokyo.`;
  if (values.zoneMode === 'fixed' && !zoneText) errors.zone ??= 'Name the fixed time zone, e.g. Europe/Berlin.';
  const cutoff = minutesOf(raw('cutoff'), 'hours');
  if (cutoff === undefined || cutoff < 30 || cutoff > LIMITS.maxCutoffHours * 60) {
    errors.cutoff ??= `Write the cut-off as hours after the time, from 1 to ${LIMITS.maxCutoffHours} (e.g. 3).`;
  }
  const reminder = minutesOf(raw('reminder'), 'minutes');
  if (reminder === undefined || reminder < 0) errors.reminder ??= 'Write the reminder as minutes after the time (e.g. 60), or 0 for none.';
  else if (cutoff !== undefined && reminder >= cutoff)
    errors.reminder ??= `The reminder must come before the cut-off (${cutoff} minutes after the time).`;
  const holidays = parseHolidays(raw('holidays'), holidayCheck);
  if (!holidays.ok) errors.holidays ??= holidays.error;
  if (!base.ok || !questions.ok || !holidays.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const v = base.value;
  return {
    ok: true,
    value: {
      name: v.name.replace(/\s+/g, ' '),
      channel: v.channel,
      participants: [...new Set(v.participants)],
      questions: questions.questions,
      days: [...new Set(v.days.map(Number))].sort((a, b) => a - b),
      time: v.time,
      zoneMode: v.zoneMode,
      fixedZone: v.zoneMode === 'fixed' ? zone! : null,
      reminderMinutes: reminder!,
      cutoffMinutes: cutoff!,
      holidays: holidays.dates,
      adminIds: [...new Set(v.admins)],
    },
  };
}
