import { UserError } from '../core/errors';
import { plainText, type RichText } from '../core/rich-text';

/**
 * A refusal that names people (`@bob`) as mentions. The escalation handlers answer it in rich text;
 * anywhere else it still reads as its plain text.
 */
export class Refusal extends UserError {
  constructor(readonly rich: RichText) {
    super(plainText(rich));
  }
}
