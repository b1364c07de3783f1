import { prefill, type Form, type FormField, type FormValues } from '../../core/form';
import { MINUTE_MS, formatDuration, parseDuration } from '../../core/duration';
import type { RotationSummary } from '../../handoff/api';
import { FORMS } from './escalation';
import { LIMITS, type Policy, type PolicyLevel } from '../model';

/**
 * The policy form: a name, how often the levels repeat, and a fixed number of level slots (people,
 * a channel, a rotation's on-shift people, and the wait). Forms cannot grow rows, so editing offers
 * the existing levels plus two empty ones; a slot with nobody in it is dropped.
 */
const NO_ROTATION = 'none';

export function policyForm(policy: Policy | undefined, rotations: readonly RotationSummary[], name?: string): Form {
  const levels = policy?.levels ?? [];
  const slots = Math.min(LIMITS.policyLevels, Math.max(3, levels.length + 2));
  const fields: FormField[] = [
    {
      kind: 'text',
      id: 'name',
      label: 'Name',
      required: true,
      maxLength: LIMITS.policyName,
      ...(policy ? prefill(policy.name, LIMITS.policyName) : name ? givenUnlessCut(prefill(name, LIMITS.policyName)) : {}),
    },
    {
      kind: 'select',
      id: 'repeat',
      label: 'Repeat',
      required: true,
      initial: String(policy?.repeat ?? 0),
      options: Array.from({ length: LIMITS.policyRepeat + 1 }, (_, k) => ({
        value: String(k),
        label: k === 0 ? 'Go through the levels once' : `Repeat the levels ${k === 1 ? 'once' : `${k} times`} if nobody acknowledges`,
      })),
    },
  ];
  for (let i = 1; i <= slots; i++) {
    const level = levels[i - 1];
    fields.push({
      kind: 'users',
      id: `l${i}_users`,
      label: `Level ${i}: people`,
      required: false,
      ...(level?.users.length ? { initial: level.users } : {}),
      ...(i === 1
        ? {
            hint: 'Each level notifies its people, channel and on-shift people, then waits for an acknowledgement before the next. Leave a level empty to drop it.',
          }
        : {}),
    });
    fields.push({
      kind: 'channel',
      id: `l${i}_channel`,
      label: `Level ${i}: channel`,
      required: false,
      ...(level?.channel ? { initial: level.channel } : {}),
    });
    if (rotations.length > 0 || level?.rotationId) {
      const options = rotations.map((r) => ({ value: r.id, label: r.name }));
      if (level?.rotationId && !rotations.some((r) => r.id === level.rotationId))
        options.push({ value: level.rotationId, label: level.rotationName ?? 'a rotation that no longer exists' });
      fields.push({
        kind: 'select',
        id: `l${i}_rotation`,
        label: `Level ${i}: whoever is on shift in`,
        required: false,
        initial: level?.rotationId ?? NO_ROTATION,
        options: [{ value: NO_ROTATION, label: 'No rotation' }, ...options],
      });
    }
    fields.push({
      kind: 'text',
      id: `l${i}_wait`,
      label: `Level ${i}: minutes to wait for acknowledgement`,
      required: false,
      initial: level ? String(level.waitMinutes) : '15',
      maxLength: 10,
    });
  }
  return {
    formId: FORMS.policy,
    title: policy ? 'Edit escalation policy' : 'New escalation policy',
    submitLabel: 'Save policy',
    intro:
      'An escalation policy says who is notified, level by level, until someone acknowledges. Running escalations keep the policy they were raised with.',
    fields,
    state: policy ? policy.id : 'new',
  };
}

export interface LevelInput {
  readonly slot: number;
  readonly users: readonly string[];
  readonly channel: string | null;
  readonly rotationId: string | null;
  readonly waitMinutes: number | undefined;
  readonly waitText: string;
}

/** The policy as submitted, before people, channels and rotations are checked. */
export interface PolicyInput {
  readonly name: string;
  readonly repeat: number;
  readonly levels: readonly LevelInput[];
}

function text(values: FormValues, id: string): string {
  const v = values[id];
  return typeof v === 'string' ? v.trim() : '';
}

/** Minutes from "15", "30m", "1h30m"; undefined when unreadable. */
export function parseWait(textValue: string): number | undefined {
  if (/^\d{1,6}$/.test(textValue)) return Number(textValue);
  const ms = parseDuration(textValue);
  return ms === undefined ? undefined : Math.round(ms / MINUTE_MS);
}

export function readPolicyForm(values: FormValues): { input: PolicyInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = text(values, 'name');
  if (!name) errors.name = 'Give the policy a name.';
  else if (name.length > LIMITS.policyName) errors.name = `The name is ${name.length} characters; keep it to ${LIMITS.policyName}.`;
  else if (/^none$/i.test(name)) errors.name = '"none" is reserved; choose another name.';
  const repeatText = text(values, 'repeat') || '0';
  const repeat = /^\d$/.test(repeatText) ? Number(repeatText) : NaN;
  if (!(repeat >= 0 && repeat <= LIMITS.policyRepeat)) errors.repeat = `Choose how often to repeat: 0 to ${LIMITS.policyRepeat} times.`;
  const levels: LevelInput[] = [];
  for (let slot = 1; slot <= LIMITS.policyLevels; slot++) {
    const rawUsers = values[`l${slot}_users`];
    const users = Array.isArray(rawUsers) ? [...new Set(rawUsers.map((u) => String(u).trim()).filter(Boolean))] : [];
    const channel = text(values, `l${slot}_channel`) || null;
    const rotation = text(values, `l${slot}_rotation`);
    const rotationId = rotation && rotation !== NO_ROTATION ? rotation : null;
    if (users.length === 0 && !channel && !rotationId) continue;
    const waitText = text(values, `l${slot}_wait`) || '15';
    const waitMinutes = parseWait(waitText);
    if (waitMinutes === undefined || waitMinutes < 1)
      errors[`l${slot}_wait`] = `Level ${slot}: wait at least 1 minute (e.g. 15, 30m or 2h).`;
    else if (waitMinutes > LIMITS.waitMinutes)
      errors[`l${slot}_wait`] = `Level ${slot}: wait at most ${formatDuration(LIMITS.waitMinutes * MINUTE_MS)}.`;
    if (users.length > 50) errors[`l${slot}_users`] = `Level ${slot}: at most 50 people.`;
    levels.push({ slot, users, channel, rotationId, waitMinutes, waitText });
  }
  if (levels.length === 0) errors.l1_users = 'Add at least one level: people, a channel or a rotation to notify.';
  return { input: { name, repeat: Number.isNaN(repeat) ? 0 : repeat, levels }, errors };
}

export function toLevels(input: PolicyInput, rotations: readonly RotationSummary[]): PolicyLevel[] {
  return input.levels.map((l) => {
    const rotation = l.rotationId ? rotations.find((r) => r.id === l.rotationId) : undefined;
    return {
      users: [...l.users],
      ...(l.channel ? { channel: l.channel } : {}),
      ...(l.rotationId ? { rotationId: l.rotationId, rotationName: rotation?.name ?? 'a rotation' } : {}),
      waitMinutes: l.waitMinutes ?? 15,
    };
  });
}

/** A name typed with the command is not asked again, unless it had to be cut: then its hint is shown. */
function givenUnlessCut(value: { readonly initial: string; readonly hint?: string }): {
  readonly initial: string;
  readonly hint?: string;
  readonly given?: true;
} {
  return value.hint ? value : { ...value, given: true };
}
