import { z } from 'zod';
import { UserError } from './errors';

/**
 * A form's state comes back from the platform with the submission (a modal's hidden state), so it
 * is input like any other: a stale, empty or forged one is refused with a sentence, never looked up.
 */
export const STALE_FORM =
  'That form is out of date or was changed on its way back to Steady, so nothing was saved. Please start again from the command.';

/** A database id (bigint): digits, no leading zero, well inside bigint's range. */
const recordId = z.string().regex(/^[1-9]\d{0,17}$/);

/** The record id a form carries as its state, or a refusal. */
export function recordIdState(state: string | undefined, refusal = STALE_FORM): string {
  const parsed = recordId.safeParse(state);
  if (!parsed.success) throw new UserError(refusal);
  return parsed.data;
}
